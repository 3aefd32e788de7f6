/** list_directory, read_file and file_info on real temporary folders. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, hostFor, makeTempDir, writeTree } from './tool-test-kit.ts';
import type { ConfigurableToolHost } from '../../../main/tools/index.ts';

let base: string;
let root: string;
let host: ConfigurableToolHost;

beforeAll(async () => {
  base = await makeTempDir();
  root = path.join(base, 'shared');
  await fs.mkdir(root);
  await writeTree(root, {
    'notes.txt': 'first line\nsecond line\nthird line\n',
    'projects/plan.md': '# Plan\n',
    'projects/budget.csv': 'a,b\n1,2\n',
    '.hidden': 'secret-ish\n',
  });
  for (let i = 0; i < 75; i += 1) await fs.writeFile(path.join(root, 'projects', `item-${String(i).padStart(3, '0')}.txt`), `item ${i}\n`);
  host = hostFor([root], { sandbox: { homeDir: base } });
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('list_directory', () => {
  it('lists the shared folders when called without a path', async () => {
    const r = await call(host, 'list_directory', {});
    expect(r.status).toBe('done');
    expect(r.output).toContain('Shared folders (1)');
    expect(r.output).toContain('~/shared/');
  });

  it('shows names, kinds, sizes and modified times, folders first, hidden entries counted', async () => {
    const r = await call(host, 'list_directory', { path: '~/shared' });
    expect(r.status).toBe('done');
    const lines = r.output.split('\n');
    expect(r.output).toContain('~/shared has 2 entries (1 folder, 1 other)');
    expect(r.output).toContain('1 hidden entry not shown');
    const projects = lines.findIndex((l) => l.startsWith('projects/ — folder'));
    const notes = lines.findIndex((l) => l.startsWith('notes.txt — file, 34 B, modified 20'));
    expect(projects).toBeGreaterThan(0);
    expect(notes).toBeGreaterThan(projects);
    const hidden = await call(host, 'list_directory', { path: root, showHidden: true });
    expect(hidden.output).toContain('.hidden — file, 11 B');
  });

  it('pages through long folders with offset and limit', async () => {
    const first = await call(host, 'list_directory', { path: '~/shared/projects', limit: 30 });
    expect(first.output).toContain('~/shared/projects has 77 entries');
    expect(first.output).toContain('Showing 1–30:');
    expect(first.output).toContain('[47 more entries: ask again with offset 30]');
    const last = await call(host, 'list_directory', { path: '~/shared/projects', offset: 60, limit: 30 });
    expect(last.output).toContain('Showing 61–77:');
    expect(last.output).toContain('item-074.txt');
    expect(last.output).not.toContain('more entries');
    const beyond = await call(host, 'list_directory', { path: '~/shared/projects', offset: 500 });
    expect(beyond.output).toContain('Nothing at offset 500');
  });

  it('accepts a path relative to the first shared folder', async () => {
    const r = await call(host, 'list_directory', { path: 'projects', limit: 2 });
    expect(r.output).toContain('budget.csv — file, 8 B');
  });

  it('says so for a missing folder and for a file', async () => {
    expect((await call(host, 'list_directory', { path: 'nope' })).output).toContain('does not exist');
    const file = await call(host, 'list_directory', { path: 'notes.txt' });
    expect(file.status).toBe('error');
    expect(file.output).toContain('is not a folder');
  });
});

describe('read_file', () => {
  it('reads a text file with numbered lines and a header', async () => {
    const r = await call(host, 'read_file', { path: '~/shared/notes.txt' });
    expect(r.status).toBe('done');
    expect(r.output).toBe('~/shared/notes.txt — UTF-8, 34 B, 3 lines. Lines 1–3:\n1: first line\n2: second line\n3: third line');
  });

  it('returns a line range', async () => {
    const r = await call(host, 'read_file', { path: 'notes.txt', startLine: 2, endLine: 3 });
    expect(r.output).toContain('Lines 2–3:\n2: second line\n3: third line');
    expect(r.output).not.toContain('first line');
    const past = await call(host, 'read_file', { path: 'notes.txt', startLine: 9 });
    expect(past.output).toContain('There is no line 9; the file has 3 lines.');
    const bad = await call(host, 'read_file', { path: 'notes.txt', startLine: 3, endLine: 1 });
    expect(bad.status).toBe('error');
    expect(bad.output).toContain('endLine must not be before startLine');
  });

  it('cuts long files with a marker that says which line to ask for next', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line number ${i + 1} with some words to make it longer`);
    await fs.writeFile(path.join(root, 'long.txt'), lines.join('\n'));
    const r = await call(host, 'read_file', { path: 'long.txt' });
    expect(r.output.length).toBeLessThanOrEqual(12_000);
    const marker = /\[cut: showed lines 1–(\d+) of 3,000; ask with startLine (\d+) for more\]/.exec(r.output);
    expect(marker).not.toBeNull();
    const next = Number(marker?.[2]);
    expect(next).toBe(Number(marker?.[1]) + 1);
    const cont = await call(host, 'read_file', { path: 'long.txt', startLine: next, endLine: next + 1 });
    expect(cont.output).toContain(`${next}: line number ${next} with`);
  });

  it('detects binary files and names common kinds', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await fs.writeFile(path.join(root, 'pic.png'), png);
    await fs.writeFile(path.join(root, 'blob.bin'), Buffer.from([1, 2, 3, 0, 5, 6, 7]));
    expect((await call(host, 'read_file', { path: 'pic.png' })).output).toBe('~/shared/pic.png is a PNG image (12 B); it cannot be read as text.');
    expect((await call(host, 'read_file', { path: 'blob.bin' })).output).toContain('is a binary file (7 B)');
  });

  it('decodes UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM, and falls back to Latin-1', async () => {
    const text = 'Grüße, café — naïve\nzweite Zeile';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const beBody = Buffer.from(text, 'utf16le');
    for (let i = 0; i < beBody.length; i += 2) [beBody[i], beBody[i + 1]] = [beBody[i + 1] ?? 0, beBody[i] ?? 0];
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]);
    await writeTree(root, {
      'enc/utf8.txt': text,
      'enc/utf8bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'enc/utf16le.txt': le,
      'enc/utf16be.txt': be,
      'enc/latin1.txt': Buffer.from('Grüße, café naïve', 'latin1'),
    });
    const cases: Array<[string, string]> = [
      ['utf8.txt', 'UTF-8,'],
      ['utf8bom.txt', 'UTF-8 with BOM'],
      ['utf16le.txt', 'UTF-16 LE with BOM'],
      ['utf16be.txt', 'UTF-16 BE with BOM'],
    ];
    for (const [name, label] of cases) {
      const r = await call(host, 'read_file', { path: `enc/${name}` });
      expect(r.output, name).toContain(label);
      expect(r.output, name).toContain('1: Grüße, café — naïve\n2: zweite Zeile');
      expect(r.output, name).not.toContain('\ufeff');
    }
    const latin = await call(host, 'read_file', { path: 'enc/latin1.txt' });
    expect(latin.output).toContain('Latin-1');
    expect(latin.output).toContain('1: Grüße, café naïve');
    const forced = await call(host, 'read_file', { path: 'enc/utf8.txt', encoding: 'latin1' });
    expect(forced.output).toContain('GrÃ¼ÃŸe');
  });

  it('says a file is empty, and refuses folders and files over the size limit without reading them', async () => {
    await fs.writeFile(path.join(root, 'empty.txt'), '');
    expect((await call(host, 'read_file', { path: 'empty.txt' })).output).toBe('~/shared/empty.txt is empty (0 bytes).');
    const dir = await call(host, 'read_file', { path: 'projects' });
    expect(dir.status).toBe('error');
    expect(dir.output).toContain('is a folder; use list_directory');
    await fs.writeFile(path.join(root, 'big.log'), Buffer.alloc(5 * 1024 * 1024, 0x61));
    const big = await call(host, 'read_file', { path: 'big.log' });
    expect(big.status).toBe('error');
    expect(big.output).toContain('too large to read (5,242,880 bytes; the limit is 4,194,304)');
  });
});

describe('file_info', () => {
  it('describes files and folders', async () => {
    const f = await call(host, 'file_info', { path: 'notes.txt' });
    expect(f.output).toMatch(/^~\/shared\/notes\.txt: file, 34 B \(34 bytes\), modified \d{4}-\d\d-\d\d \d\d:\d\d, created .*permissions rw-r--r--\. Looks like text\.$/);
    const d = await call(host, 'file_info', { path: 'projects' });
    expect(d.output).toContain('~/shared/projects: folder with 77 entries');
    const png = await call(host, 'file_info', { path: 'pic.png' });
    expect(png.output).toContain('Looks like a PNG image.');
    const missing = await call(host, 'file_info', { path: 'missing.txt' });
    expect(missing.status).toBe('error');
    expect(missing.output).toBe('~/shared/missing.txt does not exist.');
  });
});
