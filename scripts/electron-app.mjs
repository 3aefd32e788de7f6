#!/usr/bin/env node
/**
 * `npm start` / `npm run dev`: make sure an Electron binary exists, then hand over to electron-vite.
 *
 *   node scripts/electron-app.mjs start [electron-vite preview args…]   build once, open the built app
 *   node scripts/electron-app.mjs dev   [electron-vite dev args…]       dev server with hot reload
 *   node scripts/electron-app.mjs binary                                 print the binary's path (tests)
 *
 * Why it exists: Electron ≥ 42 no longer downloads its binary at `npm install`; the `electron` package
 * fetches it on the first `require('electron')` or `npx install-electron` (node_modules/electron/index.js
 * and install.js). electron-vite never requires `electron`: it reads node_modules/electron/path.txt itself
 * and throws `Error: Electron uninstall` when that file is missing (electron-vite 6.0.0,
 * dist/chunks/lib-DoUt4oMD.js, getElectronPath). So on a fresh clone both scripts died before this.
 *
 * This file is plain JavaScript (no TypeScript, no syntax newer than Node 18) so that it runs on an
 * old Node too and can say which Node the project needs instead of failing somewhere inside.
 * Every failure ends with ONE line on stderr, no stack trace, and exit code 1.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
/** Time limit for the first download; EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS overrides it (tests use a short one). */
const DOWNLOAD_TIMEOUT_MS = Number(process.env.EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS) > 0 ? Number(process.env.EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS) : 10 * 60_000;

class CannotOpen extends Error {}

/** The one line a person sees when the app cannot open. */
function fail(message) {
  process.stderr.write(`${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

/** The lowest Node major version package.json `engines.node` (">=24", ">= 24.1.0") accepts. */
function requiredNodeMajor() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const range = pkg.engines && pkg.engines.node;
  const match = typeof range === 'string' ? /^\s*>=\s*v?(\d+)(?:\.\d+){0,2}\s*$/.exec(range) : null;
  if (!match) throw new CannotOpen(`Earshot cannot open: package.json engines.node is "${String(range)}", not a ">=N" range this launcher understands.`);
  return Number(match[1]);
}

function checkNode(again) {
  const needed = requiredNodeMajor();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < needed) {
    throw new CannotOpen(
      `Earshot needs Node ${needed} or newer (this is Node ${process.version}). Install Node ${needed} LTS from https://nodejs.org or with your version manager (e.g. \`nvm install ${needed}\`), then run ${again} again.`,
    );
  }
}

/** The executable inside an Electron dist folder, as node_modules/electron/install.js names it. */
function platformPath() {
  const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function readOrNull(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function electronVersion() {
  const text = readOrNull(join(electronDir, 'package.json'));
  if (text === null) throw new CannotOpen('Earshot cannot open: node_modules/electron is missing. Run npm install, then npm start again.');
  return JSON.parse(text).version;
}

/**
 * Where the binary is without downloading anything, or why not ({ missing } when a download would
 * fix it, { error } when it would not).
 */
function findBinary(version) {
  // electron-vite's own override (lib-DoUt4oMD.js getElectronPath reads it first).
  const execPath = process.env.ELECTRON_EXEC_PATH;
  if (execPath) {
    return existsSync(execPath) ? { binary: execPath } : { error: `ELECTRON_EXEC_PATH is ${execPath}, which does not exist. Point it at an Electron ${version.split('.')[0]} binary or unset it.` };
  }
  const recorded = readOrNull(join(electronDir, 'path.txt'));
  // The electron package's override (node_modules/electron/index.js): the binary is looked for there and
  // nothing is downloaded, because install.js would extract into node_modules/electron/dist, not there.
  const overrideDir = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (overrideDir) {
    // index.js: path.join(ELECTRON_OVERRIDE_DIST_PATH, executablePath || 'electron').
    const binary = join(overrideDir, recorded || 'electron');
    return existsSync(binary)
      ? { binary }
      : { error: `ELECTRON_OVERRIDE_DIST_PATH is ${overrideDir}, which holds no Electron binary (no ${binary}). Point it at an Electron ${version.split('.')[0]} build, or unset it to download one.` };
  }
  // The same test as install.js isInstalled(): dist/version is this package's version, path.txt names
  // this platform's executable, and the executable exists.
  const distVersion = readOrNull(join(electronDir, 'dist', 'version'));
  if (recorded && recorded === platformPath() && distVersion && distVersion.replace(/^v/, '') === version) {
    const binary = join(electronDir, 'dist', recorded);
    if (existsSync(binary)) return { binary };
  }
  return { missing: true };
}

/** The installer's error, shortened to its message (install.js prints err.stack; the frames are noise). */
function shortReason(stderr, fallback) {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at ') && !/^Node\.js v\d/.test(line));
  const first = lines[0];
  if (!first) return fallback;
  // "TypeError: fetch failed" → "fetch failed"; "HTTPError: Response code 404 (Not Found) for …" stays whole.
  return first.replace(/^(?:Type|Range|Syntax)?Error:\s*/, '').slice(0, 300);
}

/**
 * Loaded into the installer with `node --import`: @electron/get downloads with the global fetch
 * (@electron/get 5, dist/FetchDownloader.js) and install.js prints only `err.stack`, in which undici's
 * "fetch failed" hides its cause ("getaddrinfo ENOTFOUND github.com", "connect ECONNREFUSED …"). This
 * puts the cause into the message so the one line says what went wrong. It changes nothing else.
 */
const FETCH_CAUSE_PRELOAD = `data:text/javascript,${encodeURIComponent(`
const original = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  try {
    return await original(input, init);
  } catch (error) {
    const detail = error && error.cause && (error.cause.message || error.cause.code);
    if (!detail || String(error.message).includes(detail)) throw error;
    throw new TypeError(error.message + ': ' + detail, { cause: error.cause });
  }
};`)}`;

/**
 * Runs the electron package's own installer (node_modules/electron/install.js, the `install-electron`
 * bin): it honours ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, the download cache (electron_config_cache) and
 * proxies (ELECTRON_GET_USE_PROXY) through @electron/get. Resolves with null on success or the reason.
 */
function runInstaller(version) {
  process.stdout.write(`Earshot: downloading the Electron ${version} binary (first start only)…\n`);
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', FETCH_CAUSE_PRELOAD, join(electronDir, 'install.js')], { cwd: electronDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.resume();
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, DOWNLOAD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise(`the installer could not run: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolvePromise(`no complete download within ${Math.round(DOWNLOAD_TIMEOUT_MS / 1000)} s`);
      else if (code === 0) {
        process.stdout.write(`Earshot: Electron ${version} is installed (${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
        resolvePromise(null);
      } else resolvePromise(shortReason(stderr, `the installer exited with ${code === null ? signal : `code ${code}`}`));
    });
  });
}

async function ensureBinary(again) {
  const version = electronVersion();
  const major = version.split('.')[0];
  const found = findBinary(version);
  if (found.binary) return found.binary;
  if (found.error) throw new CannotOpen(`Earshot cannot open: ${found.error}`);
  const whatToDo = `Connect to the internet and run ${again} again, or set ELECTRON_OVERRIDE_DIST_PATH to an Electron ${major} build.`;
  const reason = await runInstaller(version);
  if (reason !== null) throw new CannotOpen(`Earshot cannot open: the Electron binary could not be downloaded (${reason}). ${whatToDo}`);
  const after = findBinary(version);
  if (after.binary) return after.binary;
  throw new CannotOpen(`Earshot cannot open: the Electron installer finished but left no binary in ${join(electronDir, 'dist')}. Delete node_modules/electron/dist and run ${again} again.`);
}

/** electron-vite in the foreground; its exit code (or the signal that ended it) becomes ours. */
async function runElectronVite(args, binary) {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(cli)) throw new CannotOpen('Earshot cannot open: node_modules/electron-vite is missing. Run npm install, then npm start again.');
  // electron-vite reads ELECTRON_EXEC_PATH before path.txt (lib-DoUt4oMD.js getElectronPath), so the
  // binary found here (an override included, which electron-vite does not know) is the one it starts.
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: binary } });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, () => forward(signal));
  const { code, signal } = await new Promise((resolvePromise) => {
    child.on('error', (error) => resolvePromise({ code: null, signal: null, error }));
    child.on('close', (exitCode, exitSignal) => resolvePromise({ code: exitCode, signal: exitSignal }));
  });
  if (code === null && signal === null) throw new CannotOpen('Earshot cannot open: electron-vite could not be started.');
  // Give stdio a moment to drain before exiting with the child's status.
  await delay(10);
  process.exit(code ?? 1);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'start' && command !== 'dev' && command !== 'binary') {
    process.stderr.write('usage: node scripts/electron-app.mjs start|dev|binary [electron-vite args…]\n');
    process.exit(2);
  }
  const again = command === 'dev' ? 'npm run dev' : 'npm start';
  checkNode(again);
  const binary = await ensureBinary(again);
  if (command === 'binary') {
    process.stdout.write(`${binary}\n`);
    return;
  }
  // `electron-vite preview` builds, then starts the built app (electron-vite 6.0.0,
  // dist/chunks/lib-BdmKdP2Y.js: `if (!options.skipBuild) await build(inlineConfig)`): one build, not two.
  await runElectronVite([command === 'start' ? 'preview' : 'dev', ...rest], binary);
}

main().catch((error) => {
  if (error instanceof CannotOpen) fail(error.message);
  fail(`Earshot cannot open: ${error instanceof Error ? error.message : String(error)}`);
});
