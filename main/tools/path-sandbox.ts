/**
 * The path sandbox: every file tool goes through it, and it refuses everything outside the folders
 * the user shared (the "roots").
 *
 * How a path is decided (all platforms):
 *  1. path-syntax.ts refuses tricks in the string itself (`..`, NUL, UNC, encoded and look-alike dots…).
 *  2. The path is made absolute (relative paths start at the first root) and resolved with the
 *     kernel's realpath: every link is followed *to see where it goes*. The real path must equal a
 *     root's real path or start with it plus a separator (exact, case- and normalisation-sensitive
 *     comparison: a different spelling that the file system maps elsewhere is simply outside).
 *  3. The object must be of the right kind: regular files for reading and writing (FIFOs, sockets
 *     and devices are refused before they are opened), folders for listing, and below the size limit
 *     (checked from stat, so a huge or sparse file is refused without reading a byte).
 *  4. Hard links: a regular file with nlink > 1 may be another name of a file outside. Writes to such
 *     a file are always refused. Reads are allowed only when a bounded scan of the roots finds all
 *     nlink names inside them (proof that no name is outside); otherwise refused.
 *  5. Open without following links, then check what was opened against what was checked:
 *     - Linux ('procfd'): the root folder is opened with O_DIRECTORY|O_NOFOLLOW and its dev+ino
 *       compared with the root's recorded identity; then each component of the real path is opened
 *       relative to the previous folder's descriptor through `/proc/self/fd/N/<name>` with O_NOFOLLOW
 *       (an `openat` walk). A link swapped in anywhere along the path after the check makes the open
 *       fail (ELOOP/ENOTDIR) instead of being followed. New files and folders are created in the
 *       opened parent descriptor the same way, so a create never lands outside.
 *       After opening: fstat dev+ino must match the checked object, and readlink(/proc/self/fd/N)
 *       must equal the checked real path.
 *     - macOS, other Unixes and Windows ('portable'): open the real path with O_NOFOLLOW where the
 *       platform has it (not Windows) and O_NONBLOCK, then fstat: dev+ino must equal the checked
 *       object (Windows: Node's file-index ino; folders cannot be opened there, so their identity is
 *       re-checked with lstat). A swap of a parent folder between the check and the open is detected
 *       for existing files (different identity). A *new* file or folder could be created through a
 *       parent swapped in that instant: it is detected right after (its realpath is outside), removed
 *       again while it is still the empty object we made, and the write does not happen. That brief
 *       empty entry is the documented residual limit of the portable strategy.
 *  6. The open uses O_NONBLOCK, so a FIFO swapped in at the last moment cannot hang the tool, and
 *     the fstat type check refuses it. Existing files opened for writing are never opened with
 *     O_TRUNC: they are truncated only after the checks pass.
 *
 * Known limit: a mount point (bind mount) inside a shared folder exposes what is mounted there.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkPathSyntax } from './path-syntax.ts';
import { PathRefused, ToolError, describeFsError, isFsCode } from './tool-error.ts';

const C = fs.constants;
const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
const O_NONBLOCK = C.O_NONBLOCK ?? 0;
const O_DIRECTORY = C.O_DIRECTORY ?? 0;

export type OpenStrategy = 'procfd' | 'portable';

export interface SandboxRoot {
  /** The path as the user gave it. */
  given: string;
  /** Its real path (no links), the reference for every containment check. */
  real: string;
  /** dev:ino of the root folder, checked again whenever the root is opened. */
  id: string;
  display: string;
}

export interface RejectedRoot {
  path: string;
  reason: string;
}

export interface Located {
  root: SandboxRoot;
  /** Real path of the deepest existing part, plus the missing names (for creating). */
  real: string;
  /** Path components from the root to `real`. */
  rel: string[];
  /** Names at the end of the path that do not exist yet (empty when the object exists). */
  missing: string[];
  display: string;
  /** lstat of the object, null when it does not exist. */
  stat: fs.BigIntStats | null;
}

export interface OpenedFile {
  handle: fsp.FileHandle;
  stat: fs.BigIntStats;
  display: string;
  real: string;
}

export interface OpenedDir {
  /** Null on Windows, where folders cannot be opened as files (identity is checked by stat there). */
  handle: fsp.FileHandle | null;
  /** A path that names exactly this open folder (the /proc fd path on Linux). */
  access: string;
  real: string;
  display: string;
  root: SandboxRoot;
}

export type OpenPurpose = 'read' | 'list' | 'write' | 'mkdir';

export interface SandboxOptions {
  homeDir?: string;
  platform?: NodeJS.Platform;
  /** Defaults to 'procfd' on Linux when /proc is mounted, 'portable' elsewhere. */
  strategy?: OpenStrategy;
  /** Test hook: runs after a path was checked and before it is opened (to provoke races). */
  beforeOpen?: (real: string, purpose: OpenPurpose) => void | Promise<void>;
  /** How many entries the hard-link proof may visit (default 20 000). */
  hardLinkScanLimit?: number;
}

export function identityOf(stat: fs.BigIntStats): string {
  return `${stat.dev}:${stat.ino}`;
}

/** The model's path as shown back to it: control and invisible characters escaped, long ones shortened. */
export function quotePath(input: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = input.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${visible.length > 160 ? `${visible.slice(0, 80)}…${visible.slice(-40)}` : visible}"`;
}

/** Open failures after the checks passed mean the path changed under us: say so in words. */
async function guardOpen<T>(work: Promise<T>, display: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isFsCode(error, 'ELOOP', 'ENOTDIR', 'EMLINK')) {
      throw new PathRefused(`Refused ${display}: it changed while being opened (a link appeared on the path).`);
    }
    if (error instanceof ToolError) throw error;
    throw new ToolError(describeFsError(error, display));
  }
}

function detectStrategy(): OpenStrategy {
  return process.platform === 'linux' && fs.existsSync('/proc/self/fd') ? 'procfd' : 'portable';
}

/** Windows cannot open a folder as a file; there the folder's identity is checked with stat instead. */
const CAN_OPEN_FOLDERS = process.platform !== 'win32';

export function kindOf(stat: fs.BigIntStats | fs.Stats): string {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'folder';
  if (stat.isSymbolicLink()) return 'link';
  if (stat.isFIFO()) return 'pipe (FIFO)';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
  return 'special file';
}

export class PathSandbox {
  readonly roots: readonly SandboxRoot[];
  readonly rejected: readonly RejectedRoot[];
  readonly strategy: OpenStrategy;
  readonly homeDir: string;
  private readonly platform: NodeJS.Platform;
  private readonly beforeOpen: SandboxOptions['beforeOpen'];
  private readonly scanLimit: number;

  constructor(rootPaths: readonly string[], options: SandboxOptions = {}) {
    this.homeDir = options.homeDir ?? os.homedir();
    this.platform = options.platform ?? process.platform;
    this.strategy = options.strategy ?? detectStrategy();
    this.beforeOpen = options.beforeOpen;
    this.scanLimit = options.hardLinkScanLimit ?? 20_000;
    const roots: SandboxRoot[] = [];
    const rejected: RejectedRoot[] = [];
    for (const given of rootPaths) {
      const result = this.prepareRoot(given);
      if ('reason' in result) rejected.push(result);
      else if (!roots.some((r) => r.real === result.real)) roots.push(result);
    }
    this.roots = roots;
    this.rejected = rejected;
  }

  private prepareRoot(given: string): SandboxRoot | RejectedRoot {
    try {
      const expanded = given === '~' || given.startsWith('~/') ? path.join(this.homeDir, given.slice(1)) : given;
      if (!path.isAbsolute(expanded)) return { path: given, reason: 'a shared folder must be an absolute path' };
      const real = fs.realpathSync.native(expanded);
      const stat = fs.statSync(real, { bigint: true });
      if (!stat.isDirectory()) return { path: given, reason: 'not a folder' };
      if (path.parse(real).root === real) return { path: given, reason: 'the whole disk cannot be shared; pick a folder' };
      return { given, real, id: identityOf(stat), display: this.display(real) };
    } catch (error) {
      return { path: given, reason: describeFsError(error, given) };
    }
  }

  /** "~/Documents/notes.txt" for paths under the home folder, the absolute path otherwise. */
  display(real: string): string {
    const home = this.homeDir;
    if (real === home) return '~';
    if (real.startsWith(home + path.sep)) return `~${path.sep}${real.slice(home.length + 1)}`;
    return real;
  }

  /** The root that contains `real` (the most specific one), or undefined. */
  rootOf(real: string): SandboxRoot | undefined {
    let best: SandboxRoot | undefined;
    for (const root of this.roots) {
      if (real === root.real || real.startsWith(root.real + path.sep)) {
        if (!best || root.real.length > best.real.length) best = root;
      }
    }
    return best;
  }

  private requireRoots(): void {
    if (this.roots.length === 0) {
      throw new PathRefused('No folders are shared with the assistant yet. The user can add folders in Settings → Files.');
    }
  }

  /** Checks a path from the model and finds where it really is. Throws PathRefused / ToolError. */
  async locate(input: string, options: { allowMissing?: boolean } = {}): Promise<Located> {
    this.requireRoots();
    const syntax = checkPathSyntax(input, this.homeDir, this.platform);
    const shown = quotePath(input);
    if (!syntax.ok) throw new PathRefused(`Refused ${shown}: ${syntax.reason}.`);
    const first = this.roots[0];
    if (!first) throw new PathRefused('No folders are shared.');
    const absolute = path.isAbsolute(syntax.path) ? path.resolve(syntax.path) : path.resolve(first.real, syntax.path);

    let existing = absolute;
    const missing: string[] = [];
    let real: string | undefined;
    for (;;) {
      try {
        real = await fsp.realpath(existing);
        break;
      } catch (error) {
        if (isFsCode(error, 'ELOOP')) throw new PathRefused(`Refused ${shown}: it goes through a loop of links.`);
        if (!isFsCode(error, 'ENOENT')) throw new ToolError(describeFsError(error, shown));
        // A name that lstat sees but realpath cannot follow is a dangling link: never create through it.
        const dangling = await fsp.lstat(existing).then(
          (s) => s.isSymbolicLink(),
          () => false,
        );
        if (dangling) throw new PathRefused(`Refused ${shown}: it is a link to something missing or outside the shared folders.`);
        const parent = path.dirname(existing);
        if (parent === existing) throw new ToolError(`${shown} does not exist.`);
        missing.unshift(path.basename(existing));
        existing = parent;
      }
    }
    const root = this.rootOf(real);
    if (!root) {
      throw new PathRefused(
        `Refused ${shown}: it is outside the shared folders (${this.roots.map((r) => r.display).join(', ')}).`,
      );
    }
    if (missing.length > 0 && !options.allowMissing) throw new ToolError(`${this.display(path.join(real, ...missing))} does not exist.`);
    const full = path.join(real, ...missing);
    const rel = real === root.real ? [] : real.slice(root.real.length + 1).split(path.sep);
    const stat = missing.length === 0 ? await fsp.lstat(real, { bigint: true }) : null;
    return { root, real: full, rel: [...rel, ...missing], missing, display: this.display(full), stat };
  }

  /** Opens a regular file for reading after every check in the header. */
  async openForRead(loc: Located, maxBytes: number): Promise<OpenedFile> {
    const stat = this.requireRegular(loc);
    if (stat.size > BigInt(maxBytes)) {
      throw new PathRefused(`${loc.display} is too large to read (${Number(stat.size).toLocaleString('en-US')} bytes; the limit is ${maxBytes.toLocaleString('en-US')}).`);
    }
    if (stat.nlink > 1n && !(await this.allLinksInside(stat))) {
      throw new PathRefused(`Refused ${loc.display}: it has ${stat.nlink} hard links and not all of them are inside the shared folders.`);
    }
    await this.beforeOpen?.(loc.real, 'read');
    const handle = await guardOpen(this.openExisting(loc, C.O_RDONLY | O_NONBLOCK), loc.display);
    try {
      const opened = await this.verifyOpened(handle, loc, stat);
      if (!opened.isFile()) throw new PathRefused(`Refused ${loc.display}: it is not a normal file.`);
      if (opened.size > BigInt(maxBytes)) throw new PathRefused(`${loc.display} is too large to read.`);
      return { handle, stat: opened, display: loc.display, real: loc.real };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Opens a folder for listing. */
  async openDirectory(loc: Located): Promise<OpenedDir> {
    if (!loc.stat) throw new ToolError(`${loc.display} does not exist.`);
    if (!loc.stat.isDirectory()) throw new ToolError(`${loc.display} is not a folder.`);
    await this.beforeOpen?.(loc.real, 'list');
    if (!CAN_OPEN_FOLDERS) {
      const now = await fsp.lstat(loc.real, { bigint: true });
      if (!now.isDirectory() || identityOf(now) !== identityOf(loc.stat)) {
        throw new PathRefused(`Refused ${loc.display}: it was replaced between the check and the open.`);
      }
      return { handle: null, access: loc.real, real: loc.real, display: loc.display, root: loc.root };
    }
    const handle = await guardOpen(this.openExisting(loc, C.O_RDONLY | O_DIRECTORY | O_NONBLOCK), loc.display);
    try {
      const opened = await this.verifyOpened(handle, loc, loc.stat);
      if (!opened.isDirectory()) throw new PathRefused(`Refused ${loc.display}: it is not a folder any more.`);
      return { handle, access: this.accessPath(handle, loc.real), real: loc.real, display: loc.display, root: loc.root };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Opens an entry of an open folder without following links (search uses it to walk a tree).
   * Returns null for links, devices, FIFOs and sockets. Hard-linked files (nlink > 1) are skipped too.
   */
  async openChild(dir: OpenedDir, name: string, kind: 'file' | 'folder'): Promise<OpenedFile | OpenedDir | null> {
    if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') return null;
    const real = path.join(dir.real, name);
    const flags = kind === 'folder' ? C.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK : C.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
    const before = await fsp.lstat(path.join(dir.access, name), { bigint: true });
    if (kind === 'folder' ? !before.isDirectory() : !before.isFile()) return null;
    if (kind === 'folder' && !CAN_OPEN_FOLDERS) {
      return { handle: null, access: real, real, display: this.display(real), root: dir.root };
    }
    const handle = await fsp.open(path.join(dir.access, name), flags);
    try {
      const stat = await handle.stat({ bigint: true });
      if (identityOf(stat) !== identityOf(before)) throw new PathRefused(`Refused ${this.display(real)}: it changed while being opened.`);
      await this.verifyFdPath(handle, real);
      if (kind === 'folder') {
        if (!stat.isDirectory()) throw new PathRefused('not a folder');
        return { handle, access: this.accessPath(handle, real), real, display: this.display(real), root: dir.root };
      }
      if (!stat.isFile() || stat.nlink > 1n) {
        await handle.close();
        return null;
      }
      return { handle, stat, display: this.display(real), real };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Opens a file for writing. 'create' refuses an existing file, 'overwrite' truncates it only after
   * the checks passed, 'append' adds at the end. The parent folder must exist.
   */
  async openForWrite(loc: Located, mode: 'create' | 'overwrite' | 'append'): Promise<OpenedFile & { created: boolean }> {
    if (loc.missing.length > 1) {
      throw new ToolError(`The folder ${this.display(path.dirname(loc.real))} does not exist; create it first.`);
    }
    const exists = loc.missing.length === 0;
    if (exists) {
      const stat = this.requireRegular(loc);
      if (mode === 'create') throw new ToolError(`${loc.display} already exists.`);
      if (stat.nlink > 1n) throw new PathRefused(`Refused ${loc.display}: it has ${stat.nlink} hard links, so writing could change a file elsewhere.`);
    }
    if (loc.rel.length === 0) throw new PathRefused(`Refused: ${loc.display} is a shared folder itself.`);
    await this.beforeOpen?.(loc.real, 'write');
    const flags =
      C.O_WRONLY | O_NOFOLLOW | O_NONBLOCK | (exists ? 0 : C.O_CREAT | C.O_EXCL) | (mode === 'append' ? C.O_APPEND : 0);
    const handle = await guardOpen(this.openPath(loc.root, loc.rel, flags, 0o644), loc.display);
    try {
      const opened = await handle.stat({ bigint: true });
      if (!opened.isFile()) throw new PathRefused(`Refused ${loc.display}: it is not a normal file.`);
      if (opened.nlink > 1n) throw new PathRefused(`Refused ${loc.display}: it has hard links.`);
      if (exists && loc.stat && identityOf(opened) !== identityOf(loc.stat)) {
        throw new PathRefused(`Refused ${loc.display}: it was replaced while being opened.`);
      }
      await this.verifyFdPath(handle, loc.real);
      if (!exists && this.strategy === 'portable') await this.verifyCreatedPortable(handle, loc);
      if (mode === 'overwrite' && exists) await handle.truncate(0);
      return { handle, stat: opened, display: loc.display, real: loc.real, created: !exists };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Creates the missing folders of `loc`, one level at a time, each inside the checked parent. */
  async makeDirectories(loc: Located): Promise<number> {
    return guardOpen(this.makeDirectoriesUnguarded(loc), loc.display);
  }

  private async makeDirectoriesUnguarded(loc: Located): Promise<number> {
    if (loc.missing.length === 0) {
      if (loc.stat?.isDirectory()) return 0;
      throw new ToolError(`${loc.display} already exists and is not a folder.`);
    }
    const existingRel = loc.rel.slice(0, loc.rel.length - loc.missing.length);
    let real = path.join(loc.root.real, ...existingRel);
    await this.beforeOpen?.(loc.real, 'mkdir');
    if (this.strategy === 'portable') {
      for (const name of loc.missing) {
        real = path.join(real, name);
        await fsp.mkdir(real, { mode: 0o755 });
        const check = await fsp.realpath(real);
        if (this.rootOf(check) !== loc.root) {
          // A parent was swapped for a link in the meantime: take the folder we just made back out.
          await fsp.rmdir(check).catch(() => undefined);
          throw new PathRefused(`Refused: ${this.display(real)} ended up outside the shared folders.`);
        }
      }
      return loc.missing.length;
    }
    let dir = await this.openPath(loc.root, existingRel, C.O_RDONLY | O_DIRECTORY | O_NONBLOCK);
    try {
      for (const name of loc.missing) {
        const access = this.accessPath(dir, real);
        await fsp.mkdir(path.join(access, name), { mode: 0o755 });
        const next = await fsp.open(path.join(access, name), C.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
        await dir.close();
        dir = next;
        real = path.join(real, name);
        await this.verifyFdPath(dir, real);
      }
      return loc.missing.length;
    } finally {
      await dir.close();
    }
  }

  private requireRegular(loc: Located): fs.BigIntStats {
    const stat = loc.stat;
    if (!stat) throw new ToolError(`${loc.display} does not exist.`);
    if (stat.isDirectory()) throw new ToolError(`${loc.display} is a folder; use list_directory for folders.`);
    if (!stat.isFile()) throw new PathRefused(`Refused ${loc.display}: it is a ${kindOf(stat)}, not a normal file.`);
    return stat;
  }

  /** The path that names an open descriptor: /proc/self/fd/N on Linux, the checked real path elsewhere. */
  private accessPath(handle: fsp.FileHandle, real: string): string {
    return this.strategy === 'procfd' ? `/proc/self/fd/${handle.fd}` : real;
  }

  private async openExisting(loc: Located, flags: number): Promise<fsp.FileHandle> {
    return this.openPath(loc.root, loc.rel, flags);
  }

  /** Opens root/rel[0]/…/rel[n-1] without following any link after the root (see header, step 5). */
  private async openPath(root: SandboxRoot, rel: readonly string[], flags: number, mode?: number): Promise<fsp.FileHandle> {
    if (this.strategy === 'portable') {
      return fsp.open(path.join(root.real, ...rel), flags | O_NOFOLLOW, mode);
    }
    let dir = await fsp.open(root.real, C.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    try {
      if (identityOf(await dir.stat({ bigint: true })) !== root.id) {
        throw new PathRefused(`Refused: the shared folder ${root.display} was replaced.`);
      }
      // The root itself: reopen the checked descriptor (a /proc magic link, so no O_NOFOLLOW here).
      if (rel.length === 0) return await fsp.open(`/proc/self/fd/${dir.fd}`, flags);
      for (let i = 0; i < rel.length - 1; i += 1) {
        const next = await fsp.open(`/proc/self/fd/${dir.fd}/${rel[i]}`, C.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        await dir.close();
        dir = next;
      }
      return await fsp.open(`/proc/self/fd/${dir.fd}/${rel[rel.length - 1]}`, flags | O_NOFOLLOW, mode);
    } finally {
      await dir.close();
    }
  }

  private async verifyOpened(handle: fsp.FileHandle, loc: Located, checked: fs.BigIntStats): Promise<fs.BigIntStats> {
    const stat = await handle.stat({ bigint: true });
    if (identityOf(stat) !== identityOf(checked)) {
      throw new PathRefused(`Refused ${loc.display}: it was replaced between the check and the open.`);
    }
    await this.verifyFdPath(handle, loc.real);
    return stat;
  }

  /** Linux: the kernel's name for the open descriptor must be the checked real path. */
  private async verifyFdPath(handle: fsp.FileHandle, real: string): Promise<void> {
    if (this.strategy !== 'procfd') return;
    const actual = await fsp.readlink(`/proc/self/fd/${handle.fd}`);
    if (actual !== real || !this.rootOf(actual)) {
      throw new PathRefused(`Refused ${this.display(real)}: what was opened is not what was checked.`);
    }
  }

  /**
   * Portable strategy, new file: where did it really land? If a parent folder was swapped for a link
   * in the instant between check and create, the new (empty) file is outside: remove it again.
   */
  private async verifyCreatedPortable(handle: fsp.FileHandle, loc: Located): Promise<void> {
    const opened = await handle.stat({ bigint: true });
    const real = await fsp.realpath(loc.real);
    if (this.rootOf(real) === loc.root) {
      const onDisk = await fsp.lstat(real, { bigint: true });
      if (identityOf(onDisk) === identityOf(opened)) return;
    } else {
      const onDisk = await fsp.lstat(real, { bigint: true }).catch(() => null);
      if (onDisk && identityOf(onDisk) === identityOf(opened) && onDisk.size === 0n) await fsp.unlink(real).catch(() => undefined);
    }
    throw new PathRefused(`Refused ${loc.display}: the folder was swapped while the file was created.`);
  }

  /**
   * Proof for reading a hard-linked file: walks the roots (never following links, at most
   * `hardLinkScanLimit` entries) and counts names with the same dev+ino. All nlink names inside → safe.
   */
  private async allLinksInside(stat: fs.BigIntStats): Promise<boolean> {
    const target = identityOf(stat);
    let found = 0;
    let budget = this.scanLimit;
    // Nested roots are scanned once, through the outer one, so no name is counted twice.
    const stack = this.roots
      .filter((r) => !this.roots.some((o) => o !== r && r.real.startsWith(o.real + path.sep)))
      .map((r) => r.real);
    while (stack.length > 0) {
      const dir = stack.pop();
      if (dir === undefined) break;
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        budget -= 1;
        if (budget < 0) return false;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else if (entry.isFile()) {
          const s = await fsp.lstat(full, { bigint: true }).catch(() => null);
          if (s && identityOf(s) === target) {
            found += 1;
            if (BigInt(found) >= stat.nlink) return true;
          }
        }
      }
    }
    return false;
  }
}
