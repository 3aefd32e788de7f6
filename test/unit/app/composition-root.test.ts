/**
 * The built main bundle (out/main/index.js) started under plain Node with a stand-in `electron`
 * module: proves the composition root wires the security policy, the app:// protocol, the window,
 * the IPC handlers, the tray and the hotkey, and that the handlers validate senders and payloads as
 * Electron would call them. The real-Electron run of the same app is the electron tier.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestNames, requestChannel } from '../../../preload/contract.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const KEY = 'sk-standin-7a6b5c4d3e2f1a0b9c8d';

interface Report {
  channels: string[];
  window: { url: string; show: boolean; webPreferences: Record<string, unknown> };
  audioPortSent: boolean;
  schemes: { schemes: { scheme: string; privileges: Record<string, boolean> }[]; beforeReady: boolean }[];
  shortcuts: string[];
  tray: { tooltip: string | null; items: string[] };
  statusFromApp: { ok: boolean; value?: { state: string; apiKey: string } };
  statusFromElsewhere: { ok: boolean; error?: string };
  invalidPayload: { ok: boolean; error?: string };
  windowOpen: { action: string } | null;
  micForApp: boolean;
  cameraForApp: boolean;
  micForOthers: boolean;
  servedPage: { status: number | null; csp: string | null };
  servedEscape: number | null;
  calls: string[];
}

let report: Report;
let userData: string;

beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('electron-vite build failed');
  }
  userData = mkdtempSync(join(tmpdir(), 'earshot-standin-'));
  const child = spawn(process.execPath, ['--import', './test/support/electron-standin/register.ts', 'test/support/electron-standin/run-main.ts'], {
    cwd: root,
    env: { ...process.env, EARSHOT_USER_DATA: userData, OPENAI_API_KEY: KEY, DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the main bundle did not start under the stand-in (exit ${code}): ${err}`);
  const line = out.trim().split('\n').at(-1) ?? '';
  report = JSON.parse(line) as Report;
}, 120_000);

afterAll(() => {
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe('the composition root (built main bundle under a stand-in Electron)', () => {
  it('registers the app:// scheme before ready and serves the renderer with the strict CSP, refusing escapes', () => {
    expect(report.schemes).toEqual([{ schemes: [{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) as unknown }], beforeReady: true }]);
    expect(report.servedPage.status).toBe(200);
    expect(report.servedPage.csp).toContain("script-src 'self'");
    expect(report.servedPage.csp).not.toContain('unsafe');
    expect(report.servedEscape).toBe(404);
  });

  it('opens one hidden, sandboxed, context-isolated window on app:// and hands it the audio port', () => {
    expect(report.window.url).toBe('app://earshot/index.html');
    expect(report.window.show).toBe(false);
    expect(report.window.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, backgroundThrottling: false });
    expect(report.audioPortSent).toBe(true);
  });

  it('handles exactly the contract’s requests, and only from our own page with valid payloads', () => {
    expect(report.channels).toEqual(requestNames.map(requestChannel).sort());
    expect(report.statusFromApp).toMatchObject({ ok: true, value: { state: 'idle', apiKey: 'from-environment' } });
    expect(report.statusFromElsewhere).toEqual({ ok: false, error: 'request refused: untrusted sender' });
    expect(report.invalidPayload.ok).toBe(false);
    expect(report.invalidPayload.error).toMatch(/setTurnMode: invalid request/);
  });

  it('grants the microphone to our page only, and never opens windows', () => {
    expect(report.micForApp).toBe(true);
    expect(report.cameraForApp).toBe(false);
    expect(report.micForOthers).toBe(false);
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.calls.filter((c) => c.startsWith('openExternal'))).toEqual([]);
  });

  it('puts the tray menu and the global hotkey in place, falling back to toggle without key-up events', () => {
    expect(report.shortcuts).toEqual(['Control+Alt+Space']);
    expect(report.tray.tooltip).toBe('Earshot — ready (Control+Alt+Space to talk)');
    expect(report.tray.items).toContain('Quit Earshot');
    expect((report.statusFromApp.value as { turnMode?: string } | undefined)?.turnMode).toBe('toggle');
  });

  it('writes settings through electron-store and never the key in plain text', () => {
    const files = readdirSync(userData);
    expect(files).toContain('settings.json');
    const all = files
      .filter((f) => !f.endsWith('history'))
      .map((f) => {
        try {
          return readFileSync(join(userData, f), 'utf8');
        } catch {
          return '';
        }
      })
      .join('\n');
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject({ version: 2, hotkey: 'Control+Alt+Space' });
    expect(all).not.toContain(KEY);
  });
});
