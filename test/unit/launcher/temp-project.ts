/**
 * A throw-away copy of the project's start-up path for the launcher tests: the real
 * scripts/electron-app.mjs, the real electron package's install.js (its dependencies linked from our
 * node_modules) and electron-vite — but an electron folder of its own, so a test can start with no
 * downloaded binary on any machine and never touches the checkout's node_modules/electron.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const root = join(import.meta.dirname, '..', '..', '..');
const realModules = join(root, 'node_modules');

export interface TempProject {
  dir: string;
  electronDir: string;
  /** The electron package's version (what the installer downloads). */
  version: string;
  /** An empty download cache, so a zip cached on this machine cannot make a download "succeed". */
  cacheDir: string;
  remove(): void;
}

export function makeTempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-launcher-'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: unknown };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'earshot-launcher-test', private: true, type: 'module', main: 'out/main/index.js', engines: pkg.engines }));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts', 'electron-app.mjs'), join(dir, 'scripts', 'electron-app.mjs'));
  mkdirSync(join(dir, 'out', 'main'), { recursive: true });
  writeFileSync(join(dir, 'out', 'main', 'index.js'), '');
  const modules = join(dir, 'node_modules');
  const electronDir = join(modules, 'electron');
  mkdirSync(electronDir, { recursive: true });
  for (const file of ['package.json', 'install.js', 'index.js', 'checksums.json']) copyFileSync(join(realModules, 'electron', file), join(electronDir, file));
  // install.js requires @electron/get and @electron-internal/extract-zip; electron-vite is started by the
  // launcher. Node resolves a linked package's own dependencies from its real path (our node_modules).
  for (const linked of ['@electron', '@electron-internal', 'electron-vite']) symlinkSync(join(realModules, linked), join(modules, linked), 'junction');
  const cacheDir = join(dir, 'electron-cache');
  mkdirSync(cacheDir);
  const version = (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir, electronDir, version, cacheDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The environment for the launcher: this process's, minus every Electron download setting the
 * machine or npm may carry (mirrors, caches, overrides), plus `extra`.
 */
export function launcherEnv(project: TempProject, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(electron_|npm_config_electron|npm_package_config_electron|force_no_cache$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, electron_config_cache: project.cacheDir, ELECTRON_GET_NO_PROGRESS: '1', ...extra };
}

/** The file name @electron/get downloads for this machine (artifact-utils.js getArtifactFileName). */
export function artifactName(version: string): string {
  return `electron-v${version}-${process.platform}-${process.arch}.zip`;
}

/** A zip archive (stored, not compressed) whose entries keep their Unix modes, as Electron's zips do. */
export function makeZip(entries: { name: string; content: string; mode: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.content, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
