/**
 * The built main bundle (out/main/index.js) started under the strict stand-in Electron, with the
 * built preload (out/preload/index.cjs) in its page: the security policy, the app:// protocol, the
 * window, the IPC handlers, the tray and the hotkey, as Electron 45 would run them. The real-Electron
 * run of the same app is the electron tier.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestNames, requestChannel } from '../../../preload/contract.ts';
import { ensureBuilt, startStandinApp, type Line, type StandinApp } from '../../support/electron-standin/child.ts';

const KEY = 'sk-standin-7a6b5c4d3e2f1a0b9c8d';

interface Report extends Line {
  channels: string[];
  window: { url: string; show: boolean; webPreferences: Record<string, unknown> };
  schemes: { schemes: { scheme: string; privileges: Record<string, boolean> }[]; beforeReady: boolean }[];
  shortcuts: string[];
  tray: { tooltip: string | null; items: string[] };
  images: { path: string; purpose: string; empty: boolean }[];
  drops: { channel: string; reason: string }[];
  preloads: { ok: boolean; error?: string }[];
  pageErrors: string[];
  calls: string[];
  page: { calls: { name: string; ok: boolean; error?: string; value?: unknown }[]; events: { name: string; payload: unknown }[] };
}
interface Probe extends Line {
  statusFromElsewhere: { ok: boolean; error?: string };
  windowOpen: { action: string } | null;
  micForApp: boolean;
  cameraForApp: boolean;
  micForOthers: boolean;
  servedPage: { status: number | null; csp: string | null };
  servedEscape: number | null;
}

let app: StandinApp;
let report: Report;
let probe: Probe;
let userData: string;

beforeAll(async () => {
  ensureBuilt();
  userData = mkdtempSync(join(tmpdir(), 'earshot-standin-'));
  app = startStandinApp({ EARSHOT_USER_DATA: userData, OPENAI_API_KEY: KEY, DISPLAY: '' });
  await app.waitFor('ready');
  report = (await app.report()) as Report;
  app.send('probe');
  probe = (await app.waitFor('probe')) as Probe;
}, 60_000);

afterAll(async () => {
  await app?.stop();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe('the composition root (built bundles under the strict stand-in Electron)', () => {
  it('registers the app:// scheme before ready and serves the renderer with the strict CSP, refusing escapes', () => {
    expect(report.schemes).toEqual([{ schemes: [{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) as unknown }], beforeReady: true }]);
    expect(probe.servedPage.status).toBe(200);
    expect(probe.servedPage.csp).toContain("script-src 'self'");
    expect(probe.servedPage.csp).not.toContain('unsafe');
    expect(probe.servedEscape).toBe(404);
  });

  it('opens one hidden, sandboxed, context-isolated window on app:// whose built preload runs', () => {
    expect(report.window.url).toBe('app://earshot/index.html');
    expect(report.window.show).toBe(false);
    expect(report.window.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, backgroundThrottling: false });
    expect(report.preloads).toEqual([expect.objectContaining({ ok: true })]);
    expect(report.pageErrors).toEqual([]);
  });

  it('the page’s calls on mount all succeed, and the audio port reaches a listening page', () => {
    expect(report.page.calls.map((c) => [c.name, c.ok, c.error ?? null])).toEqual([
      ['getStatus', true, null],
      ['getSettings', true, null],
    ]);
    expect(report.drops.filter((d) => d.channel === 'earshot:audio-port')).toEqual([]);
  });

  it('handles exactly the contract’s requests, and only from our own page', () => {
    expect(report.channels).toEqual(requestNames.map(requestChannel).sort());
    expect(report.page.calls.find((c) => c.name === 'getStatus')?.value).toMatchObject({ state: 'idle', apiKey: 'from-environment' });
    expect(probe.statusFromElsewhere).toEqual({ ok: false, error: 'request refused: untrusted sender' });
  });

  it('grants the microphone to our page only, and never opens windows', () => {
    expect(probe.micForApp).toBe(true);
    expect(probe.cameraForApp).toBe(false);
    expect(probe.micForOthers).toBe(false);
    expect(probe.windowOpen).toEqual({ action: 'deny' });
    expect(report.calls.filter((c) => c.startsWith('openExternal'))).toEqual([]);
  });

  it('every icon the app loads exists (no empty image in the window or the tray)', () => {
    expect(report.images.length).toBeGreaterThan(1);
    expect(report.images.filter((i) => i.empty)).toEqual([]);
  });

  it('puts the tray menu and the global hotkey in place, falling back to toggle without key-up events', () => {
    // The talk hotkey, and Shift + it, which asks about the screen (main/app/screen-shortcut.ts).
    expect(report.shortcuts).toEqual(['Control+Alt+Space', 'Shift+Control+Alt+Space']);
    // Toggle mode here (no key-up source without a display): the tooltip says what the hotkey does.
    expect(report.tray.tooltip).toBe('Earshot — ready · press Control+Alt+Space to talk');
    expect(report.tray.items).toContain('Quit Earshot');
    expect(report.tray.items.slice(0, 3)).toEqual(['Engine: Realtime · gpt-realtime-2.1', 'Talk (Control+Alt+Space)', 'Turn mode: press to talk']);
    expect((report.page.calls.find((c) => c.name === 'getStatus')?.value as { turnMode?: string } | undefined)?.turnMode).toBe('toggle');
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
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject({ hotkey: 'Control+Alt+Space' });
    expect(all).not.toContain(KEY);
  });
});
