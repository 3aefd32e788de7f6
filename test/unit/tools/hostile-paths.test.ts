/**
 * The hostile-path corpus: every trick we know for getting a file tool out of the shared folder,
 * run through the real ToolHost on real temporary folders. For every case: no content from outside
 * the root comes back, and nothing outside the root is created or changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolHost } from '../../../main/tools/index.ts';
import type { ConfigurableToolHost } from '../../../main/tools/index.ts';
import type { OpenPurpose, OpenStrategy } from '../../../main/tools/path-sandbox.ts';
import { ScriptedApprovals, call, makeTempDir } from './tool-test-kit.ts';

const SECRET = `SECRET-${Math.random().toString(36).slice(2)}${Date.now()}`;
const CANARY = `canary${Math.random().toString(36).slice(2)}`;
/** Text that only appears if something outside the root was read. */
const LEAKS = [SECRET, CANARY, 'root:x:0:0', 'PATH=/', '"productName"'];

type Expect = 'refused' | 'ok' | 'no-leak';
interface HostileCase {
  name: string;
  tool: string;
  args: Record<string, unknown> | (() => Record<string, unknown>);
  expect: Expect;
  setup?: () => Promise<void>;
  race?: (real: string, purpose: OpenPurpose) => Promise<void>;
  strategy?: OpenStrategy;
  host?: () => ConfigurableToolHost;
  /** Needs a character device made with mknod (root or CAP_MKNOD only). */
  needsDevice?: boolean;
  /** Must appear in the output (to show the case did what it says). */
  contains?: string;
  maxMs?: number;
}

let base: string;
let root: string; // base/Café (NFC), the shared folder
let outside: string;
let nextRace: HostileCase['race'] | null = null;
let raced = false;
const hosts = new Map<OpenStrategy, ConfigurableToolHost>();
const nfc = 'Caf\u00e9';
const nfd = 'Cafe\u0301';

async function snapshotOutside(): Promise<string> {
  const lines: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (full === root || full.startsWith(`${root}${path.sep}`) || full.startsWith(path.join(base, 'realroot'))) continue;
      const st = await fs.lstat(full);
      if (entry.isDirectory()) {
        lines.push(`d ${full}`);
        await walk(full);
      } else if (entry.isFile()) {
        lines.push(`f ${full} ${st.size} ${createHash('sha256').update(await fs.readFile(full)).digest('hex')}`);
      } else if (entry.isSymbolicLink()) {
        lines.push(`l ${full} ${await fs.readlink(full)}`);
      } else {
        lines.push(`s ${full}`);
      }
    }
  }
  await walk(base);
  return lines.join('\n');
}

function host(strategy: OpenStrategy = 'procfd'): ConfigurableToolHost {
  let h = hosts.get(strategy);
  if (!h) {
    h = createToolHost({
      roots: [root],
      approvals: { request: async () => ({ decision: 'allow-once' }) },
      sandbox: {
        homeDir: base,
        strategy,
        beforeOpen: async (real, purpose) => {
          const race = nextRace;
          nextRace = null;
          if (race) {
            raced = true;
            await race(real, purpose);
          }
        },
      },
    });
    hosts.set(strategy, h);
  }
  return h;
}

/** Recreates `file`; the test's own setup never goes through links (rm on a link removes the link). */
async function reset(file: string, content: string): Promise<void> {
  const top = root && file.startsWith(`${root}${path.sep}`) ? path.join(root, file.slice(root.length + 1).split(path.sep)[0] ?? '') : file;
  await fs.rm(top === file ? file : top, { recursive: true, force: true });
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
}

async function swapForLink(victim: string, target: string): Promise<void> {
  await fs.rm(victim, { recursive: true, force: true });
  await fs.symlink(target, victim);
}

const o = (rel: string): string => path.join(outside, rel);
const r = (rel: string): string => path.join(root, rel);

function buildCorpus(): HostileCase[] {
  const secretFile = o('secret.txt');
  const cases: HostileCase[] = [];
  const add = (c: HostileCase): void => {
    cases.push(c);
  };
  const read = (name: string, p: string | (() => string), expect: Expect = 'refused', extra: Partial<HostileCase> = {}): void =>
    add({ name, tool: 'read_file', args: typeof p === 'string' ? { path: p } : () => ({ path: p() }), expect, ...extra });

  // --- '..' chains
  read('.. to a sibling folder', '../outside/secret.txt');
  read('deep .. chain to /etc/passwd', '../../../../../../../../etc/passwd');
  read('.. after a real subfolder', 'sub/../../outside/secret.txt');
  read('~ path with ..', `~/${nfc}/../outside/secret.txt`);
  read('./.. prefix', './../outside/secret.txt');
  read('.. with doubled slashes', 'sub/..//..//outside/secret.txt');
  add({ name: 'list ..', tool: 'list_directory', args: { path: '..' }, expect: 'refused' });
  add({ name: 'write through ..', tool: 'write_file', args: { path: '../outside/new.txt', content: 'x' }, expect: 'refused' });
  add({ name: 'search from ..', tool: 'search_files', args: { path: '..', contains: 'SECRET' }, expect: 'refused' });
  read('four dots are just a name', '....//outside/secret.txt');

  // --- absolute paths elsewhere
  read('absolute path outside', secretFile);
  read('/etc/passwd', '/etc/passwd');
  read('double leading slash', '//etc/passwd');
  add({ name: 'list /', tool: 'list_directory', args: { path: '/' }, expect: 'refused' });
  add({ name: 'list outside folder', tool: 'list_directory', args: { path: outside }, expect: 'refused' });
  add({ name: 'file_info outside', tool: 'file_info', args: { path: secretFile }, expect: 'refused' });
  add({ name: 'search outside folder', tool: 'search_files', args: { path: outside, contains: 'SECRET' }, expect: 'refused' });
  add({ name: 'overwrite a file outside', tool: 'write_file', args: { path: o('victim.txt'), content: 'pwned', overwrite: true }, expect: 'refused' });
  add({ name: 'append to a file outside', tool: 'append_file', args: { path: o('victim.txt'), content: 'pwned' }, expect: 'refused' });
  add({ name: 'create a folder outside', tool: 'create_directory', args: { path: o('newdir') }, expect: 'refused' });
  read('sibling folder sharing the root as prefix', path.join(base, `${nfc}-evil`, 'secret.txt'));

  // --- symbolic links
  read('file link, absolute target', 'link-abs.txt');
  read('file link, relative target', 'link-rel.txt');
  add({ name: 'folder link, absolute target', tool: 'list_directory', args: { path: 'dirlink-abs' }, expect: 'refused' });
  add({ name: 'folder link, relative target', tool: 'list_directory', args: { path: 'dirlink-rel' }, expect: 'refused' });
  read('file through a folder link', 'dirlink-abs/inner.txt');
  read('chain: link → inside link → outside', 'chain1');
  read('chain through an inside folder link', 'sub/uplink/outside/secret.txt');
  add({ name: 'overwrite through a file link', tool: 'write_file', args: { path: 'link-victim.txt', content: 'pwned', overwrite: true }, expect: 'refused' });
  add({ name: 'append through a file link', tool: 'append_file', args: { path: 'link-victim.txt', content: 'pwned' }, expect: 'refused' });
  add({ name: 'new file inside a folder link', tool: 'write_file', args: { path: 'dirlink-abs/new.txt', content: 'x' }, expect: 'refused' });
  add({ name: 'create a folder inside a folder link', tool: 'create_directory', args: { path: 'dirlink-abs/newsub/deeper' }, expect: 'refused' });
  add({ name: 'write through a dangling link', tool: 'write_file', args: { path: 'dangling', content: 'x' }, expect: 'refused' });
  add({ name: 'append through a dangling link', tool: 'append_file', args: { path: 'dangling', content: 'x' }, expect: 'refused' });
  add({ name: 'file_info on a link outside', tool: 'file_info', args: { path: 'link-abs.txt' }, expect: 'refused' });
  add({ name: 'search contents does not follow links', tool: 'search_files', args: { contains: 'SECRET' }, expect: 'no-leak', contains: 'No files match' });
  add({ name: 'search names does not follow links', tool: 'search_files', args: { name: '*canary*' }, expect: 'no-leak', contains: 'No files match' });
  add({ name: 'listing shows outside links as unusable', tool: 'list_directory', args: { path: '.' }, expect: 'no-leak', contains: 'link-abs.txt — link pointing outside the shared folders' });
  read('link loop', 'loop-a');
  read('link to /dev/zero', 'link-zero', 'refused', { maxMs: 3000 });
  read('link to /proc/self/environ', 'link-environ');
  add({ name: 'link to /', tool: 'list_directory', args: { path: 'link-slash' }, expect: 'refused' });
  read('link through /proc/self/root to outside', 'link-procroot');
  read('inside link to an inside file is fine', 'link-inside.txt', 'ok', { contains: 'hello from inside' });

  // --- hard links
  read('hard link to an outside file', 'hardlink.txt');
  add({ name: 'overwrite a hard link to outside', tool: 'write_file', args: { path: 'hardlink.txt', content: 'pwned', overwrite: true }, expect: 'refused' });
  add({ name: 'append to a hard link to outside', tool: 'append_file', args: { path: 'hardlink.txt', content: 'pwned' }, expect: 'refused' });
  add({ name: 'file_info on a hard link to outside', tool: 'file_info', args: { path: 'hardlink.txt' }, expect: 'refused' });
  add({ name: 'search skips hard-linked files', tool: 'search_files', args: { name: 'hardlink*', contains: 'SECRET' }, expect: 'no-leak' });
  read('hard links all inside are readable', 'twin-a.txt', 'ok', { contains: 'twin content' });
  add({ name: 'writing a hard link inside is refused too', tool: 'write_file', args: { path: 'twin-a.txt', content: 'x', overwrite: true }, expect: 'refused' });

  // --- encoded tricks
  read('%2e%2e', '%2e%2e/outside/secret.txt');
  read('..%2f', '..%2foutside%2fsecret.txt');
  read('%2e%2e%5c', '%2e%2e%5coutside%5csecret.txt');
  read('double-encoded %252e', '%252e%252e/outside/secret.txt');
  read('overlong UTF-8 %c0%ae', '%c0%ae%c0%ae/outside/secret.txt');
  read('file:// URL outside', `file://${secretFile}`);
  read('file:///etc/passwd', 'file:///etc/passwd');

  // --- Unicode
  read('fullwidth dots', '\uff0e\uff0e/outside/secret.txt');
  read('one-dot leaders U+2024', '\u2024\u2024/outside/secret.txt');
  read('two-dot leader U+2025', '\u2025/outside/secret.txt');
  read('fullwidth solidus', '..\uff0foutside\uff0fsecret.txt');
  read('NFD spelling of the root is another folder', path.join(base, nfd, 'secret.txt'));
  read('lower-case spelling of the root', path.join(base, 'caf\u00e9', 'secret.txt'));
  read('upper-case spelling of the root', path.join(base, 'CAF\u00c9', 'secret.txt'));
  read('right-to-left override', `\u202etxt.terces/edistuo/..`);
  read('zero-width joiner between dots', '.\u200d./outside/secret.txt');

  // --- Windows forms
  read('drive letter with backslashes', 'C:\\Windows\\win.ini');
  read('drive letter with slashes', 'C:/Windows/win.ini');
  read('UNC \\\\server\\share', '\\\\server\\share\\secret.txt');
  read('UNC with forward slashes', '//server/share/secret.txt');
  read('\\\\?\\ verbatim prefix', '\\\\?\\C:\\Windows\\win.ini');
  read('\\\\.\\ device prefix', '\\\\.\\PhysicalDrive0');
  read('\\\\?\\UNC prefix', '\\\\?\\UNC\\server\\share\\secret.txt');
  read('backslash .. chain', '..\\outside\\secret.txt');
  read('NT object path \\??\\', '\\??\\C:\\Windows\\win.ini');

  // --- NUL, control characters, devices, FIFOs, huge files, /proc
  read('NUL byte', 'ok.txt\u0000../../etc/passwd');
  read('newline in path', 'ok.txt\n/etc/passwd');
  read('/dev/zero', '/dev/zero', 'refused', { maxMs: 3000 });
  read('/dev/random', '/dev/random', 'refused', { maxMs: 3000 });
  add({ name: 'write to /dev/null', tool: 'write_file', args: { path: '/dev/null', content: 'x', overwrite: true }, expect: 'refused' });
  read('FIFO inside the root (no hang)', 'pipe', 'refused', { maxMs: 3000, contains: 'pipe (FIFO)' });
  add({ name: 'write to a FIFO inside the root', tool: 'write_file', args: { path: 'pipe', content: 'x', overwrite: true }, expect: 'refused', maxMs: 3000 });
  add({ name: 'append to a FIFO inside the root', tool: 'append_file', args: { path: 'pipe', content: 'x' }, expect: 'refused', maxMs: 3000 });
  read('character device inside the root (mknod c 1 5)', 'zero-dev', 'refused', { needsDevice: true, maxMs: 3000, contains: 'device' });
  add({ name: 'write to a character device inside the root', tool: 'write_file', args: { path: 'zero-dev', content: 'x', overwrite: true }, expect: 'refused', needsDevice: true });
  // Refused by its size, not read: 60 GB (sparse, so free to make) would take far longer than 5 s to
  // read even at memory speed, and 5 s is room enough for a loaded machine to refuse it.
  read('huge sparse file refused by size', 'huge.bin', 'refused', { maxMs: 5000, contains: 'too large to read' });
  add({ name: 'search skips the huge file', tool: 'search_files', args: { name: 'huge*', contains: 'x' }, expect: 'no-leak', maxMs: 3000, contains: 'Skipped: 1 too large' });
  read('/proc/self/root/etc/passwd', '/proc/self/root/etc/passwd');
  read('/proc/self/cwd', '/proc/self/cwd/package.json');
  read('/proc/self/fd/0', '/proc/self/fd/0', 'refused', { maxMs: 3000 });
  read('/proc/self/environ', '/proc/self/environ');
  read('/proc/self/mem', '/proc/self/mem');
  read('/proc/self/root back into the root is the same file', () => `/proc/self/root${r('ok.txt')}`, 'ok', { contains: 'hello from inside' });

  // --- races: the checked object is swapped between the check and the open (beforeOpen hook)
  const raceRead = (strategy: OpenStrategy): HostileCase => ({
    name: `race (${strategy}): checked file replaced by a link out`,
    tool: 'read_file',
    args: { path: 'race.txt' },
    expect: 'refused',
    strategy,
    setup: () => reset(r('race.txt'), 'inside race file'),
    race: () => swapForLink(r('race.txt'), secretFile),
  });
  add(raceRead('procfd'));
  add(raceRead('portable'));
  for (const strategy of ['procfd', 'portable'] as const) {
    add({
      name: `race (${strategy}): parent folder replaced by a link out`,
      tool: 'read_file',
      args: { path: 'racedir/inner.txt' },
      expect: 'refused',
      strategy,
      setup: () => reset(r('racedir/inner.txt'), 'inside'),
      race: () => swapForLink(r('racedir'), o('dir')),
    });
    add({
      name: `race (${strategy}): overwrite target replaced by a link out`,
      tool: 'write_file',
      args: { path: 'race-w.txt', content: 'pwned', overwrite: true },
      expect: 'refused',
      strategy,
      setup: () => reset(r('race-w.txt'), 'inside'),
      race: () => swapForLink(r('race-w.txt'), o('victim.txt')),
    });
    add({
      name: `race (${strategy}): new file's folder replaced by a link out`,
      tool: 'write_file',
      args: { path: 'racedir2/new.txt', content: 'pwned' },
      expect: 'refused',
      strategy,
      setup: async () => {
        await fs.rm(r('racedir2'), { recursive: true, force: true });
        await fs.mkdir(r('racedir2'));
      },
      race: () => swapForLink(r('racedir2'), o('dir')),
    });
    add({
      name: `race (${strategy}): create_directory parent replaced by a link out`,
      tool: 'create_directory',
      args: { path: 'racedir3/made' },
      expect: 'refused',
      strategy,
      setup: async () => {
        await fs.rm(r('racedir3'), { recursive: true, force: true });
        await fs.mkdir(r('racedir3'));
      },
      race: () => swapForLink(r('racedir3'), o('dir')),
    });
    add({
      name: `race (${strategy}): listed folder replaced by a link out`,
      tool: 'list_directory',
      args: { path: 'racedir4' },
      expect: 'refused',
      strategy,
      setup: () => reset(r('racedir4/x.txt'), 'x'),
      race: () => swapForLink(r('racedir4'), o('dir')),
    });
    add({
      name: `race (${strategy}): checked file replaced by a hard link to outside`,
      tool: 'read_file',
      args: { path: 'race-hl.txt' },
      expect: 'refused',
      strategy,
      setup: () => reset(r('race-hl.txt'), 'inside'),
      race: async () => {
        await fs.rm(r('race-hl.txt'));
        await fs.link(o('hl-source.txt'), r('race-hl.txt'));
      },
    });
  }

  // --- the root itself behind a link
  add({
    name: 'reading through a symlinked root',
    tool: 'read_file',
    args: () => ({ path: path.join(base, 'linkroot', 'ok.txt') }),
    expect: 'ok',
    contains: 'hello from inside',
    host: () => createToolHost({ roots: [path.join(base, 'linkroot')], approvals: new ScriptedApprovals() }),
  });
  add({
    name: 'root link retargeted outside after sharing',
    tool: 'read_file',
    args: () => ({ path: path.join(base, 'linkroot2', 'secret.txt') }),
    expect: 'refused',
    setup: async () => {
      await fs.rm(path.join(base, 'linkroot2'));
      await fs.symlink(outside, path.join(base, 'linkroot2'));
    },
    host: () => rootHost2,
  });
  add({
    name: 'root folder replaced by a link to outside after sharing',
    tool: 'read_file',
    args: { path: 'secret.txt' },
    expect: 'refused',
    setup: async () => {
      await fs.rename(path.join(base, 'realroot3'), path.join(base, 'realroot3-moved'));
      await fs.symlink(outside, path.join(base, 'realroot3'));
    },
    host: () => rootHost3,
  });

  // --- odd forms
  read("~user form", '~root/secret.txt');
  read('very long path', `${'a/'.repeat(2500)}secret.txt`);
  read('empty path', '');
  add({ name: 'overwrite the root folder itself', tool: 'write_file', args: { path: '.', content: 'x', overwrite: true }, expect: 'refused' });
  add({ name: 'append to the root folder itself', tool: 'append_file', args: { path: r(''), content: 'x' }, expect: 'refused' });
  return cases;
}

let rootHost2: ConfigurableToolHost;
let rootHost3: ConfigurableToolHost;
let corpus: HostileCase[] = [];
let escapes = 0;
let deviceMissing: string | null = null;
let ran = 0;
const notRun: string[] = [];

beforeAll(async () => {
  base = await makeTempDir('earshot-hostile-');
  root = path.join(base, nfc);
  outside = path.join(base, 'outside');
  await fs.mkdir(root);
  await reset(o('secret.txt'), `${SECRET}\n`);
  await reset(o('victim.txt'), 'ORIGINAL\n');
  await reset(o('hl-source.txt'), `${SECRET} hard\n`);
  await reset(o('dir/inner.txt'), `${SECRET} inner\n`);
  await reset(o(`dir/${CANARY}.txt`), `${SECRET}\n`);
  await reset(o(`dir/racedir-file.txt`), `${SECRET}\n`);
  await reset(path.join(base, `${nfc}-evil`, 'secret.txt'), `${SECRET}\n`);
  await reset(path.join(base, nfd, 'secret.txt'), `${SECRET}\n`);
  await reset(path.join(base, 'caf\u00e9', 'secret.txt'), `${SECRET}\n`);

  await reset(r('ok.txt'), 'hello from inside\n');
  await fs.mkdir(r('sub'));
  await fs.symlink(secretPath(), r('link-abs.txt'));
  await fs.symlink(path.join('..', 'outside', 'secret.txt'), r('link-rel.txt'));
  await fs.symlink(o('dir'), r('dirlink-abs'));
  await fs.symlink(path.join('..', 'outside', 'dir'), r('dirlink-rel'));
  await fs.symlink('chain2', r('chain1'));
  await fs.symlink('link-abs.txt', r('chain2'));
  await fs.symlink('../..', r('sub/uplink'));
  await fs.symlink(o('victim.txt'), r('link-victim.txt'));
  await fs.symlink(o('created-by-dangling.txt'), r('dangling'));
  await fs.symlink('loop-b', r('loop-a'));
  await fs.symlink('loop-a', r('loop-b'));
  await fs.symlink('/dev/zero', r('link-zero'));
  await fs.symlink('/proc/self/environ', r('link-environ'));
  await fs.symlink('/', r('link-slash'));
  await fs.symlink(`/proc/self/root${secretPath()}`, r('link-procroot'));
  await fs.symlink('ok.txt', r('link-inside.txt'));
  await fs.link(o('hl-source.txt'), r('hardlink.txt'));
  await reset(r('twin-a.txt'), 'twin content\n');
  await fs.link(r('twin-a.txt'), r('sub/twin-b.txt'));
  execFileSync('mkfifo', [r('pipe')]);
  try {
    execFileSync('mknod', [r('zero-dev'), 'c', '1', '5'], { stdio: 'pipe' });
  } catch (error) {
    deviceMissing = `mknod failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  await fs.writeFile(r('huge.bin'), '');
  await fs.truncate(r('huge.bin'), 60 * 1024 * 1024 * 1024);

  await reset(path.join(base, 'realroot', 'ok.txt'), 'hello from inside\n');
  await fs.symlink(path.join(base, 'realroot'), path.join(base, 'linkroot'));
  await reset(path.join(base, 'realroot2', 'ok.txt'), 'hello from inside\n');
  await fs.symlink(path.join(base, 'realroot2'), path.join(base, 'linkroot2'));
  rootHost2 = createToolHost({ roots: [path.join(base, 'linkroot2')], approvals: new ScriptedApprovals() });
  await reset(path.join(base, 'realroot3', 'ok.txt'), 'hello from inside\n');
  rootHost3 = createToolHost({ roots: [path.join(base, 'realroot3')], approvals: new ScriptedApprovals() });

  corpus = buildCorpus();
});

function secretPath(): string {
  return path.join(outside, 'secret.txt');
}

afterAll(async () => {
  console.log(`hostile path corpus: ${ran} cases, ${escapes} escapes${notRun.length > 0 ? ` (not run: ${notRun.join('; ')})` : ''}`);
  await fs.rm(base, { recursive: true, force: true });
});

describe('hostile path corpus', () => {
  // The cases are built after the temp folders exist; vitest needs the names now, so build a twin list.
  const names = (() => {
    base = '/nonexistent';
    root = path.join(base, nfc);
    outside = path.join(base, 'outside');
    return buildCorpus().map((c) => c.name);
  })();

  it('has at least 60 cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(new Set(names).size).toBe(names.length);
  });

  names.forEach((name, index) => {
    it(name, async (ctx) => {
      const c = corpus[index];
      if (!c || c.name !== name) throw new Error(`corpus mismatch at ${index}`);
      if (c.needsDevice && deviceMissing !== null) {
        notRun.push(`${name}: ${deviceMissing}`);
        console.log(`skipped "${name}": ${deviceMissing}`);
        ctx.skip();
      }
      await c.setup?.();
      const before = await snapshotOutside();
      raced = false;
      nextRace = c.race ?? null;
      const h = c.host ? c.host() : host(c.strategy);
      const args = typeof c.args === 'function' ? c.args() : c.args;
      const started = performance.now();
      const result = await call(h, c.tool, args);
      const elapsed = performance.now() - started;
      nextRace = null;
      ran += 1;
      if (process.env.HOSTILE_VERBOSE) console.log(`[${name}] ${result.status}: ${result.output.slice(0, 300)}`);
      const leaked = LEAKS.filter((l) => result.output.includes(l));
      const after = await snapshotOutside();
      const changed = after !== before;
      if (leaked.length > 0 || changed) escapes += 1;
      expect(leaked, `leaked into: ${result.output}`).toEqual([]);
      expect(changed, 'something outside the root changed').toBe(false);
      if (c.race) expect(raced, 'the race hook ran').toBe(true);
      if (c.expect === 'refused') expect(result.status, result.output).not.toBe('done');
      if (c.expect === 'ok') expect(result.status, result.output).toBe('done');
      if (c.contains) expect(result.output).toContain(c.contains);
      if (c.maxMs) expect(elapsed).toBeLessThan(c.maxMs);
    });
  });

  it('reports zero escapes', () => {
    expect(ran + notRun.length).toBe(names.length);
    expect(escapes).toBe(0);
  });
});
