/** The pure helpers behind the tools: path syntax per platform, .gitignore rules, name globs, decoding. */
import { describe, expect, it } from 'vitest';
import { checkPathSyntax } from '../../../main/tools/path-syntax.ts';
import { isIgnored, parseGitignore } from '../../../main/tools/gitignore.ts';
import { nameMatcher } from '../../../main/tools/glob-pattern.ts';
import { decodeText, detectBinary } from '../../../main/tools/text-decoding.ts';

describe('checkPathSyntax on Windows rules', () => {
  const win = (p: string) => checkPathSyntax(p, 'C:\\Users\\ann', 'win32');
  it.each([
    ['\\\\server\\share\\x.txt', 'network (UNC)'],
    ['//server/share/x.txt', 'network (UNC)'],
    ['\\\\?\\C:\\Windows', 'network (UNC) and device'],
    ['\\\\.\\PhysicalDrive0', 'network (UNC) and device'],
    ['\\??\\C:\\Windows', 'network (UNC) and device'],
    ['C:folder\\x.txt', 'drive-relative'],
    ['C:\\docs\\a.txt:secret', 'alternate data streams'],
    ['C:\\docs\\CON', 'reserved device name'],
    ['C:\\docs\\nul.txt', 'reserved device name'],
    ['C:\\docs\\COM1.log', 'reserved device name'],
    ['C:\\docs\\notes.txt.', 'end in a dot or a space'],
    ['C:\\docs\\notes.txt ', 'end in a dot or a space'],
    ['C:\\docs\\..\\Windows', "'..' is not allowed"],
  ])('refuses %s', (p, reason) => {
    const r = win(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
  it('accepts ordinary Windows paths and expands ~', () => {
    expect(win('C:\\Users\\ann\\Documents\\a.txt')).toEqual({ ok: true, path: 'C:\\Users\\ann\\Documents\\a.txt' });
    expect(win('D:/music/song.mp3').ok).toBe(true);
    expect(win('~\\notes.txt').ok).toBe(true);
  });
});

describe('checkPathSyntax on POSIX rules', () => {
  const posix = (p: string) => checkPathSyntax(p, '/home/ann', 'linux');
  it('expands ~/ and keeps ordinary names (dots inside names, spaces, accents)', () => {
    expect(posix('~/Documents/a.txt')).toEqual({ ok: true, path: '/home/ann/Documents/a.txt' });
    expect(posix('~')).toEqual({ ok: true, path: '/home/ann' });
    expect(posix('notes/..hidden..txt').ok).toBe(true);
    expect(posix('Photos/Été 2025/img 1.jpg').ok).toBe(true);
    expect(posix('100% done.txt').ok).toBe(true);
  });
  it.each(['C:/x', 'a\\b', '../x', 'x/..', '%2e%2e/x', 'file:///etc', '~root/x', '', 'a\u0000b', 'a\u202eb', '\uff0e\uff0e/x'])('refuses %j', (p) => {
    expect(posix(p).ok).toBe(false);
  });
});

describe('.gitignore rules', () => {
  const rules = parseGitignore(['# comment', '', 'dist/', '*.log', '!keep.log', '/top.txt', 'docs/**/draft*', '\\#literal', 'trailing   '].join('\n'), '');
  const ignored = (p: string, dir = false) => isIgnored([rules], p, dir);
  it('follows git semantics', () => {
    expect(ignored('dist', true)).toBe(true);
    expect(ignored('src/dist', true)).toBe(true);
    expect(ignored('dist', false)).toBe(false); // a file named dist is not a folder
    expect(ignored('a.log')).toBe(true);
    expect(ignored('deep/b.log')).toBe(true);
    expect(ignored('deep/keep.log')).toBe(false);
    expect(ignored('top.txt')).toBe(true);
    expect(ignored('sub/top.txt')).toBe(false);
    expect(ignored('docs/draft1.md')).toBe(true);
    expect(ignored('docs/a/b/draft2.md')).toBe(true);
    expect(ignored('other/draft.md')).toBe(false);
    expect(ignored('#literal')).toBe(true);
    expect(ignored('trailing')).toBe(true);
    expect(ignored('src/main.ts')).toBe(false);
  });
  it('nested .gitignore files apply below their folder only', () => {
    const nested = parseGitignore('*.tmp\n', 'src');
    expect(isIgnored([rules, nested], 'src/x.tmp', false)).toBe(true);
    expect(isIgnored([rules, nested], 'x.tmp', false)).toBe(false);
    expect(isIgnored([rules, nested], 'srcx/y.tmp', false)).toBe(false);
  });
});

describe('name globs', () => {
  it('match names at any depth, or paths when the pattern has a slash', () => {
    const md = nameMatcher('*.md');
    expect(md('a/b/README.MD', 'README.MD')).toBe(true);
    expect(md('a/b/x.mdx', 'x.mdx')).toBe(false);
    const q = nameMatcher('report-?.[ct]sv');
    expect(q('r/report-1.csv', 'report-1.csv')).toBe(true);
    expect(q('r/report-12.csv', 'report-12.csv')).toBe(false);
    const p = nameMatcher('docs/**/*.txt');
    expect(p('docs/a/b/c.txt', 'c.txt')).toBe(true);
    expect(p('docs/c.txt', 'c.txt')).toBe(true);
    expect(p('other/c.txt', 'c.txt')).toBe(false);
    expect(nameMatcher('a(b).txt')('a(b).txt', 'a(b).txt')).toBe(true);
  });
});

describe('decoding', () => {
  it('detects binary by signature, NUL bytes and control characters', () => {
    expect(detectBinary(Buffer.from('%PDF-1.7\n'))).toBe('a PDF document');
    expect(detectBinary(Buffer.from('plain text\n'))).toBeNull();
    expect(detectBinary(Buffer.from([65, 0, 66]))).toBe('a binary file');
    expect(detectBinary(Buffer.from([1, 2, 3, 4, 5, 65, 66]))).toBe('a binary file');
  });
  it('uses the BOM, then strict UTF-8, then Latin-1', () => {
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toEqual({ kind: 'text', text: 'A', encoding: 'utf-16le', bom: true });
    expect(decodeText(Buffer.from('é', 'utf8'))).toEqual({ kind: 'text', text: 'é', encoding: 'utf-8', bom: false });
    expect(decodeText(Buffer.from([0xe9, 0x80]))).toEqual({ kind: 'text', text: 'é€', encoding: 'latin1', bom: false });
  });
});
