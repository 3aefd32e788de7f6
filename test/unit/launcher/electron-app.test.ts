/**
 * `npm start` / `npm run dev` (scripts/electron-app.mjs) on a fresh clone: the Electron binary is not
 * there yet (Electron ≥ 42 downloads it on first use). Each test runs the real launcher in a throw-away
 * project (temp-project.ts) against a mirror on 127.0.0.1, so what it proves holds on any machine:
 * offline it ends with one plain line and exit 1; a download that hangs is cut off; an override that
 * points nowhere is named; with a reachable mirror it downloads once and hands over to electron-vite,
 * passing arguments and Electron's exit code through.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findOldNode } from './old-node.ts';
import { artifactName, launcherEnv, makeTempProject, makeZip, sha256, type TempProject } from './temp-project.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runLauncher(project: TempProject, args: string[], env: Record<string, string>, node = process.execPath): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(project.dir, 'scripts', 'electron-app.mjs'), ...args], { cwd: project.dir, env: launcherEnv(project, env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`launcher did not finish in 60 s; stdout ${stdout}; stderr ${stderr}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A local HTTP "mirror": records every request; `respond` decides what each gets. */
interface Mirror {
  url: string;
  requests: string[];
  openSockets: () => number;
  close: () => Promise<void>;
}

async function startMirror(respond: (req: IncomingMessage, res: ServerResponse) => void): Promise<Mirror> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    respond(req, res);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released): connecting to it is refused at once. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

const ONE_LINE = /^Earshot cannot open: the Electron binary could not be downloaded \((.+)\)\. Connect to the internet and run (npm start|npm run dev) again, or set ELECTRON_OVERRIDE_DIST_PATH to an Electron \d+ build\.\n$/;

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/Error: Electron uninstall|node:internal|\.js:\d+:\d+/);
}

describe('npm start / npm run dev with no Electron binary yet', () => {
  let project: TempProject;
  afterEach(() => project?.remove());

  it.each(['start', 'dev'])('%s offline: one plain line on stderr, exit 1, no stack trace, nothing half-installed', async (command) => {
    project = makeTempProject();
    const run = await runLauncher(project, [command], { ELECTRON_MIRROR: await closedPortUrl() });
    console.log(`launcher ${command} offline (${run.ms} ms): ${run.stderr.trim()}`);
    expect(run.code).toBe(1);
    const match = ONE_LINE.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    expect(match?.[1]).toMatch(/ECONNREFUSED/);
    expect(match?.[2]).toBe(command === 'dev' ? 'npm run dev' : 'npm start');
    expectNoStackTrace(run.stderr + run.stdout);
    expect(run.stdout).toContain(`downloading the Electron ${project.version} binary`);
    expect(existsSync(join(project.electronDir, 'path.txt'))).toBe(false);
    expect(run.ms).toBeLessThan(15_000);
  });

  it('cuts a download that hangs off at its time limit and ends the installer', async () => {
    project = makeTempProject();
    // Accepts the connection and the request, never answers.
    const mirror = await startMirror(() => undefined);
    try {
      const run = await runLauncher(project, ['start'], { ELECTRON_MIRROR: mirror.url, EARSHOT_ELECTRON_DOWNLOAD_TIMEOUT_MS: '2000' });
      console.log(`launcher with a silent mirror (${run.ms} ms): ${run.stderr.trim()}`);
      expect(run.code).toBe(1);
      expect(ONE_LINE.exec(run.stderr)?.[1]).toBe('no complete download within 2 s');
      expectNoStackTrace(run.stderr);
      // The installer asked the mirror we named for this machine's zip (it honours ELECTRON_MIRROR)…
      expect(mirror.requests).toEqual([`/v${project.version}/${artifactName(project.version)}`]);
      expect(run.ms).toBeGreaterThanOrEqual(2000);
      expect(run.ms).toBeLessThan(20_000);
      // …and was killed: its connection is gone.
      const deadline = Date.now() + 3000;
      while (mirror.openSockets() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(mirror.openSockets()).toBe(0);
    } finally {
      await mirror.close();
    }
  });

  it('names an ELECTRON_OVERRIDE_DIST_PATH that holds no binary and downloads nothing', async () => {
    project = makeTempProject();
    const empty = mkdtempSync(join(tmpdir(), 'earshot-empty-dist-'));
    const mirror = await startMirror((_req, res) => res.writeHead(404).end());
    try {
      const run = await runLauncher(project, ['start'], { ELECTRON_OVERRIDE_DIST_PATH: empty, ELECTRON_MIRROR: mirror.url });
      console.log(`launcher with an empty override: ${run.stderr.trim()}`);
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')).toEqual([expect.stringMatching(/^Earshot cannot open: ELECTRON_OVERRIDE_DIST_PATH is .+, which holds no Electron binary/), '']);
      expect(run.stderr).toContain(empty);
      expectNoStackTrace(run.stderr);
      expect(mirror.requests).toEqual([]);
    } finally {
      await mirror.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  const oldNode = findOldNode();
  if (!oldNode) console.log('skipped: launcher on an old Node: no Node older than package.json engines.node is installed here');
  it.skipIf(!oldNode)('on an old Node says which Node it needs, in one line, exit 1', async () => {
    project = makeTempProject();
    const run = await runLauncher(project, ['start'], { ELECTRON_MIRROR: await closedPortUrl() }, oldNode?.path);
    console.log(`launcher under ${oldNode?.version}: ${run.stderr.trim()}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^Earshot needs Node 24 or newer \\(this is Node ${oldNode?.version.replace(/\./g, '\\.')}\\)\\. .*npm start again\\.\\n$`));
    expect(run.stdout).toBe('');
  });
});

const handOffSkip = process.platform === 'win32' ? 'the stand-in Electron is a shell script, which Windows cannot run as electron.exe' : null;
if (handOffSkip) console.log(`skipped: launcher download and hand-off: ${handOffSkip}`);

describe.skipIf(handOffSkip !== null)('npm start with a reachable mirror', () => {
  let project: TempProject;
  let mirror: Mirror;
  const probe = join(mkdtempSync(join(tmpdir(), 'earshot-probe-')), 'electron-args.txt');

  beforeAll(async () => {
    project = makeTempProject();
    // A stand-in "Electron" in a zip laid out like Electron's (executable + `version`): it records how it
    // was started and exits with 7, a code only it produces.
    const executable = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
    const zip = makeZip([
      { name: executable, mode: 0o755, content: `#!/bin/sh\nprintf '%s\\n' "$PWD" "$@" > '${probe}'\nexit 7\n` },
      { name: 'version', mode: 0o644, content: project.version },
    ]);
    // The installer checks the download against the electron package's checksums.json; this project's
    // copy lists the stand-in's checksum instead of the real one.
    writeFileSync(join(project.electronDir, 'checksums.json'), JSON.stringify({ [artifactName(project.version)]: sha256(zip) }));
    mirror = await startMirror((req, res) => {
      if (req.url === `/v${project.version}/${artifactName(project.version)}`) res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length }).end(zip);
      else res.writeHead(404).end();
    });
  });

  afterAll(async () => {
    await mirror?.close();
    project?.remove();
  });

  it('downloads the binary once through the electron installer, then starts it through electron-vite with our arguments and its exit code', async () => {
    const env = { ELECTRON_MIRROR: mirror.url };
    const first = await runLauncher(project, ['start', '--skipBuild', '--', '--earshot-probe=1'], env);
    console.log(`launcher first start: exit ${first.code} in ${first.ms} ms; stdout: ${first.stdout.trim().replace(/\n+/g, ' | ')}`);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(7);
    expect(first.stdout).toMatch(/Electron [\d.]+ is installed/);
    expect(readFileSync(join(project.electronDir, 'path.txt'), 'utf8')).toBe(process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    // electron-vite preview started it in the project with the entry "." and the args after "--".
    expect(readFileSync(probe, 'utf8').split('\n')).toEqual([project.dir, '.', '--earshot-probe=1', '']);
    expect(mirror.requests).toHaveLength(1);

    rmSync(probe);
    const second = await runLauncher(project, ['start', '--skipBuild'], env);
    expect(second.code).toBe(7);
    expect(second.stdout).not.toContain('downloading');
    expect(readFileSync(probe, 'utf8').split('\n')).toEqual([project.dir, '.', '']);
    expect(mirror.requests).toHaveLength(1);
  });

  it('starts a binary named by ELECTRON_OVERRIDE_DIST_PATH without downloading', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'earshot-override-dist-'));
    try {
      // With no path.txt the electron package looks for `<override>/electron` (node_modules/electron/index.js).
      const binary = join(dist, 'electron');
      writeFileSync(binary, `#!/bin/sh\nprintf '%s\\n' override "$@" > '${probe}'\nexit 5\n`);
      chmodSync(binary, 0o755);
      const fresh = makeTempProject();
      try {
        const run = await runLauncher(fresh, ['start', '--skipBuild'], { ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_MIRROR: await closedPortUrl() });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(5);
        expect(run.stdout).not.toContain('downloading');
        expect(readFileSync(probe, 'utf8').split('\n')).toEqual(['override', '.', '']);
      } finally {
        fresh.remove();
      }
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
