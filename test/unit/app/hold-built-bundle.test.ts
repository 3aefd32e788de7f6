/**
 * Hold-to-talk through what ships (issue 9, defect 3): the BUILT main bundle, under the strict
 * stand-in Electron, loads the real uiohook-napi from node_modules (it must stay an external import:
 * bundled, it looks for its .node binding next to out/main and hold is unavailable everywhere).
 * Under Xvfb, xdotool presses Control+Alt+Space, holds it ~600 ms and releases it; the app must see
 * the key-up from uiohook and commit the turn to the (fake) Realtime API.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../../main/settings/settings-schema.ts';
import { ensureFixtures, fixturePath } from '../../support/fixtures.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { appRoot, ensureBuilt, startStandinApp, type Line, type StandinApp } from '../../support/electron-standin/child.ts';

const display = process.env.DISPLAY;
const xdotool = spawnSync('sh', ['-c', 'command -v xdotool']).status === 0;
const reason = !display ? 'no X display (run under xvfb-run)' : !xdotool ? 'xdotool is not installed' : null;
if (reason) console.log(`skipped: hold turn through the built bundle's uiohook: ${reason}`);

let fake: FakeRealtime | null = null;
let app: StandinApp | null = null;
let userData = '';
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe('the built main bundle keeps uiohook-napi external', () => {
  it('out/main imports uiohook-napi from node_modules and does not contain its code', () => {
    ensureBuilt();
    const bundle = readFileSync(join(appRoot, 'out', 'main', 'index.js'), 'utf8');
    expect(bundle).toMatch(/import\(\s*["']uiohook-napi["']\s*\)|from\s*["']uiohook-napi["']/);
    // uiohook-napi's own source: its class, and node-gyp-build looking for the binding.
    expect(bundle).not.toMatch(/class UiohookNapi|node-gyp-build|uiohook_napi\.node/);
  });
});

describe.skipIf(reason !== null)('a hold turn through the built bundle’s uiohook under X', () => {
  it('key-down starts the turn, key-up (seen by uiohook) commits it', async () => {
    ensureBuilt();
    await ensureFixtures();
    fake = await startFakeRealtime({ recordAudioPayloads: false });
    userData = mkdtempSync(join(tmpdir(), 'earshot-hold-'));
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, turnMode: 'hold' }));
    app = startStandinApp({
      EARSHOT_USER_DATA: userData,
      DISPLAY: display ?? '',
      OPENAI_API_KEY: 'sk-standin-hold-0123456789abcdef',
      OPENAI_BASE_URL: fake.baseURL,
      NODE_EXTRA_CA_CERTS: fake.caPath,
      STANDIN_CAPTURE_WAV: fixturePath('question.wav'),
    });
    await app.waitFor('ready', 30_000);
    // The hook may start after the page's first getStatus: take the newest status the page has (up to 5 s).
    type Status = { turnMode?: string; holdAvailable?: boolean };
    type PageReport = Line & { page: { calls: { name: string; value?: Status }[]; events: { name: string; payload: unknown }[] } };
    let status: Status | undefined;
    for (const until = Date.now() + 5000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
      const r = (await app.report()) as PageReport;
      status = (r.page.events.filter((e) => e.name === 'status').at(-1)?.payload as Status | undefined) ?? r.page.calls.find((c) => c.name === 'getStatus')?.value;
      if (status?.holdAvailable) break;
    }
    expect(status).toMatchObject({ turnMode: 'hold', holdAvailable: true });

    const t0 = performance.now();
    const xdo = (args: string[]): void => void spawnSync('xdotool', args, { env: process.env });
    // The stand-in's globalShortcut cannot see X keys: at the moment xdotool presses the keys, the
    // test calls the callback the app registered (what Electron does on the press). Key-up comes from
    // the real uiohook hook in the app's process, which does see them.
    xdo(['keydown', 'ctrl', 'keydown', 'alt', 'keydown', 'space']);
    app.send('press');
    const downAt = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 600));
    const upAt = performance.now() - t0;
    xdo(['keyup', 'space', 'keyup', 'alt', 'keyup', 'ctrl']);
    const commit = fake.waitFor('input_audio_buffer.commit', () => true, 10_000);
    const create = fake.waitFor('response.create', () => true, 10_000);
    await Promise.all([commit, create]);
    const committedAt = performance.now() - t0;
    console.log(`hold (built bundle, uiohook under X): key-down @${Math.round(downAt)} ms, key-up @${Math.round(upAt)} ms, commit + response.create by @${Math.round(committedAt)} ms`);
    const types = fake.received.map((r) => r.event.type);
    expect(types).toContain('input_audio_buffer.commit');
    expect(types.indexOf('response.create')).toBeGreaterThan(types.indexOf('input_audio_buffer.commit'));
    expect(committedAt).toBeGreaterThan(upAt); // sent on release, not before
  }, 60_000);
});
