/** search_files on real temporary folders: names, contents, .gitignore, and its bounds. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, hostFor, makeTempDir, writeTree } from './tool-test-kit.ts';
import type { ConfigurableToolHost } from '../../../main/tools/index.ts';

let base: string;
let root: string;
let host: ConfigurableToolHost;

function resultLines(output: string): string[] {
  return output.split('\n').filter((l) => l.startsWith('~/'));
}

beforeAll(async () => {
  base = await makeTempDir();
  root = path.join(base, 'code');
  await writeTree(root, {
    'README.md': 'Project readme\nThe budget is tight.\n',
    'docs/guide.md': 'How to use it\nbudget: see README\nBudget again\n',
    'docs/notes.txt': 'nothing here\n',
    'build/output.md': 'budget in build output\n',
    'logs/app.log': 'budget log line\n',
    'logs/keep.log': 'budget kept log\n',
    'src/.gitignore': 'generated/\n*.tmp\n',
    'src/main.ts': 'const budget = 3;\n',
    'src/cache.tmp': 'budget tmp\n',
    'src/generated/types.ts': 'budget generated\n',
    '.git/config': 'budget in git config\n',
    '.gitignore': '# build products\nbuild/\n*.log\n!keep.log\n',
    'img.bin': Buffer.concat([Buffer.from('budget'), Buffer.from([0, 1, 2, 3])]),
  });
  await fs.writeFile(path.join(root, 'big.txt'), Buffer.concat([Buffer.from('budget\n'), Buffer.alloc(2 * 1024 * 1024, 0x20)]));
  host = hostFor([root], { sandbox: { homeDir: base } });
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('search_files', () => {
  it('finds files by name glob, case-insensitively, honouring .gitignore', async () => {
    const r = await call(host, 'search_files', { name: '*.MD' });
    expect(r.status).toBe('done');
    expect(resultLines(r.output)).toEqual(['~/code/README.md', '~/code/docs/guide.md']);
    expect(r.output).toContain('2 files match name "*.MD" in the shared folders:');
  });

  it('finds files by content with the first matching line and a count', async () => {
    const r = await call(host, 'search_files', { contains: 'budget' });
    expect(resultLines(r.output)).toEqual([
      '~/code/README.md — line 2: The budget is tight.',
      '~/code/docs/guide.md — 2 matches, first at line 2: budget: see README',
      '~/code/logs/keep.log — line 1: budget kept log',
      '~/code/src/main.ts — line 1: const budget = 3;',
    ]);
    // Ignored by .gitignore (build/, *.log but not keep.log, nested generated/ and *.tmp), .git, binary, too large.
    expect(r.output).not.toContain('build/output.md');
    expect(r.output).not.toContain('app.log');
    expect(r.output).not.toContain('cache.tmp');
    expect(r.output).not.toContain('generated');
    expect(r.output).not.toContain('.git/config');
    expect(r.output).toContain('Skipped: 1 too large, 1 binary.');
  });

  it('searches case-sensitively when asked, and combines name and content', async () => {
    const r = await call(host, 'search_files', { contains: 'Budget', caseSensitive: true });
    expect(resultLines(r.output)).toEqual(['~/code/docs/guide.md — line 3: Budget again']);
    const both = await call(host, 'search_files', { name: '*.ts', contains: 'budget' });
    expect(resultLines(both.output)).toEqual(['~/code/src/main.ts — line 1: const budget = 3;']);
    const none = await call(host, 'search_files', { contains: 'zebra', path: '~/code/docs' });
    expect(none.output).toContain('No files match text "zebra" in ~/code/docs.');
  });

  it('stops at maxResults and says there may be more', async () => {
    const r = await call(host, 'search_files', { contains: 'budget', maxResults: 2 });
    expect(resultLines(r.output)).toHaveLength(2);
    expect(r.output).toContain('Stopped at 2 results; there may be more');
  });

  it('stops at the entry limit and at the time limit, and says results are incomplete', async () => {
    const many = await makeTempDir();
    for (let d = 0; d < 20; d += 1) {
      await writeTree(many, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`d${d}/f${i}.txt`, `hello ${d}/${i}\n`])));
    }
    const byEntries = hostFor([many], { limits: { searchEntries: 120 } });
    const e = await call(byEntries, 'search_files', { contains: 'hello', maxResults: 100 });
    expect(e.output).toContain('Stopped after 120 entries; results are incomplete.');
    expect(e.output).toContain('Looked at 120 entries');

    let t = 0;
    const fakeClock = { now: () => (t += 7), epochMs: () => Date.now(), setTimeout: (fn: () => void, ms: number) => {
      const id = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(id) };
    } };
    const byTime = hostFor([many], { clock: fakeClock, limits: { searchTimeMs: 500 } });
    const tr = await call(byTime, 'search_files', { contains: 'hello', maxResults: 100 });
    expect(tr.status).toBe('done');
    expect(tr.output).toContain('Stopped at the 0.5 s time limit; results are incomplete.');
    expect(resultLines(tr.output).length).toBeLessThan(100);
    await fs.rm(many, { recursive: true, force: true });
  });

  it('needs a name or a text', async () => {
    const r = await call(host, 'search_files', {});
    expect(r.status).toBe('error');
    expect(r.output).toContain('give a name pattern, a text to look for, or both');
  });
});
