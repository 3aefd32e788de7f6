/**
 * The e2e tier: the built renderer in real Chromium (fake microphone fed a speech WAV), its bridge
 * over the test WebSocket transport to the real main core in Node, which talks to the fake Realtime
 * server over TLS. The hotkey is pressed through the same functions the global shortcut calls.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '../support/browser.ts';
import { buildTestPreload } from '../support/build-test-preload.ts';
import { startCoreHost, type CoreHost } from '../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime, type RealtimeEventJson } from '../support/fake-realtime/index.ts';
import { watchRendered } from './rendered.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { serveBuiltRenderer, type RendererServer } from '../support/renderer-server.ts';

const root = join(import.meta.dirname, '..', '..');
const API_KEY = 'sk-test-e2e-9f8e7d6c5b4a39281706';
const missing = chromiumMissingReason();
if (missing) console.log(`skipped: ${missing}`);

function appendedMs(fake: FakeRealtime, since = 0): number {
  const bytes = fake
    .events('input_audio_buffer.append')
    .slice(since)
    .reduce((sum, e) => sum + Buffer.from(String(e.audio), 'base64').length, 0);
  return bytes / 2 / 24;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(missing !== null)('the app end to end (renderer in Chromium ↔ core in Node ↔ fake Realtime)', () => {
  let fake: FakeRealtime;
  let server: RendererServer;
  let host: CoreHost;
  let browser: Browser;
  let page: Page;
  let filesRoot: string;

  beforeAll(async () => {
    await ensureFixtures();
    mkdirSync(join(root, '.tmp'), { recursive: true });
    if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
      const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('electron-vite build failed');
    }
    const preload = await buildTestPreload();
    fake = await startFakeRealtime({ speedup: 4 });
    server = await serveBuiltRenderer(join(root, 'out', 'renderer'));
    filesRoot = mkdtempSync(join(tmpdir(), 'earshot-e2e-files-'));
    writeFileSync(join(filesRoot, 'shopping.txt'), 'milk\neggs\n');
    host = await startCoreHost({
      httpServer: server.server,
      pageOrigin: server.url,
      apiKey: API_KEY,
      baseURL: fake.baseURL,
      caPath: fake.caPath,
      settings: { turnMode: 'hold', allowedFolders: [filesRoot], micWarmSeconds: 30 },
    });
    browser = await launchChromium({ fakeMicWav: fixturePath('speech-60s-44k-stereo.wav') });
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[renderer] ${message.text()}`);
    });
    await page.addInitScript(`window.__EARSHOT_TEST_TRANSPORT_URL__ = ${JSON.stringify(host.transportUrl)};`);
    await page.addInitScript(preload);
    await page.goto(server.url);
    await page.getByTestId('state').waitFor();
    await until(() => host.transport.connectedClients() > 0, 10_000, 'the renderer to connect');
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
    await fake?.close();
    if (filesRoot) rmSync(filesRoot, { recursive: true, force: true });
  });

  it('carries a request and an event through the real bridge and handlers', async () => {
    const status = await page.evaluate(() => window.earshot.request.getStatus({}));
    expect(status).toMatchObject({ state: 'idle', turnMode: 'hold', apiKey: 'from-environment' });
    // The listener is in place (an awaited evaluate) before main emits; the page keeps the promise.
    await page.evaluate(() => {
      (window as unknown as { mutedSeen: Promise<boolean> }).mutedSeen = new Promise<boolean>((resolve) => {
        const off = window.earshot.on.status((s) => {
          if (s.micMuted) {
            off();
            resolve(s.micMuted);
          }
        });
      });
    });
    host.core.session.setMicMuted(true);
    expect(await page.evaluate(() => (window as unknown as { mutedSeen: Promise<boolean> }).mutedSeen)).toBe(true);
    host.core.session.setMicMuted(false);
  });

  it('runs a whole push-to-talk turn: speech in, answer played, transcripts and cost shown', async () => {
    host.core.hotkeyDown();
    await until(() => appendedMs(fake) >= 2000, 15_000, '2 s of microphone audio at the server');
    host.core.hotkeyUp();
    const commit = await fake.waitFor('input_audio_buffer.commit', undefined, 10_000);
    expect(commit).toBeTruthy();
    await fake.waitFor('response.create', undefined, 15_000);
    await fake.waitFor('response.done', undefined, 15_000);
    // The microphone audio was real speech, not silence.
    const pcm = Buffer.concat(fake.events('input_audio_buffer.append').map((e) => Buffer.from(String(e.audio), 'base64')));
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
    const rms = Math.sqrt(samples.reduce((s, v) => s + (v / 32768) ** 2, 0) / samples.length);
    console.log(`e2e turn: ${appendedMs(fake).toFixed(0)} ms of microphone audio sent, RMS ${rms.toFixed(3)}`);
    expect(rms).toBeGreaterThan(0.01);

    await page.getByText(fake.replyTranscript.slice(0, 30)).waitFor({ timeout: 15_000 });
    await page.locator('[data-role="user"]').first().waitFor();
    await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'idle', 20_000, 'the turn to finish');
    const metrics = await page.getByTestId('metrics').textContent();
    console.log(`e2e metrics bar: ${metrics}`);
    await page.screenshot({ path: join(root, '.tmp', 'e2e-turn.png') });
    expect(metrics).toMatch(/Answered in \d+\.\d s · .*today \$\d+\.\d\d/);
  });

  it('barges in: the player stops and the server is told how much was heard', async () => {
    const longReply = new Int16Array(24_000 * 8).map((_, i) => Math.round(Math.sin((2 * Math.PI * 330 * i) / 24000) * 8000));
    fake.setReply({ samples: longReply, transcript: 'This is a long answer that you will interrupt before it ends.' });
    const before = fake.events('input_audio_buffer.append').length;
    const rendered = watchRendered(host.core.session);
    host.core.hotkeyDown();
    await until(() => appendedMs(fake, before) >= 600, 15_000, 'microphone audio for the second turn');
    host.core.hotkeyUp();
    const firstDelta = await fake.waitForNext('response.output_audio.delta', undefined, 15_000);
    expect(firstDelta).toBeTruthy();
    await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'speaking', 15_000, 'speaking');
    // Heard, not merely received: the page's player has reported its first sample, then time passes.
    await until(() => rendered.sounding(), 15_000, 'the answer to sound in the page');
    rendered.stop();
    await new Promise((r) => setTimeout(r, 1200));
    const pressedAt = Date.now();
    host.core.hotkeyDown();
    const truncate = (await fake.waitForNext('conversation.item.truncate', undefined, 15_000)) as RealtimeEventJson & { audio_end_ms: number };
    const latency = Date.now() - pressedAt;
    console.log(`e2e barge-in: truncate at ${truncate.audio_end_ms} ms of 8000 ms, written ${latency} ms after the key`);
    // About 1200 ms were heard; a loaded machine's audio thread may have rendered less in that time.
    expect(truncate.audio_end_ms).toBeGreaterThan(200);
    expect(truncate.audio_end_ms).toBeLessThan(6000);
    await page.getByText('interrupted').waitFor({ timeout: 15_000 });
    host.core.hotkeyUp();
    await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'idle', 20_000, 'idle after barge-in');
  });

  it('asks before a write, shows the exact action, and writes only after "Allow once"', async () => {
    fake.setReply({ transcript: 'Done.' });
    const target = join(filesRoot, 'note.txt');
    fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'call the dentist' } });
    const before = fake.events('input_audio_buffer.append').length;
    host.core.hotkeyDown();
    await until(() => appendedMs(fake, before) >= 600, 15_000, 'microphone audio for the tool turn');
    host.core.hotkeyUp();
    const approval = page.getByTestId('approval');
    await approval.waitFor({ timeout: 15_000 });
    expect(await approval.textContent()).toContain('note.txt');
    await page.screenshot({ path: join(root, '.tmp', 'e2e-approval.png') });
    expect(existsSync(target)).toBe(false);
    await page.getByTestId('approve-once').click();
    const output = await fake.waitFor('conversation.item.create', (e) => (e.item as { type?: string } | undefined)?.type === 'function_call_output', 15_000);
    expect(JSON.stringify(output)).not.toContain('denied');
    expect(readFileSync(target, 'utf8')).toBe('call the dentist');
    await page.getByTestId('tool-call').first().waitFor();
    await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'idle', 20_000, 'idle after the tool turn');
  });

  it('never lets the API key reach the renderer or a log line', async () => {
    const settings = await page.evaluate(() => window.earshot.request.getSettings({}));
    expect(JSON.stringify(settings)).not.toContain(API_KEY);
    expect(await page.content()).not.toContain(API_KEY);
    expect(host.logLines.length).toBeGreaterThan(0);
    expect(host.logLines.filter((line) => line.includes(API_KEY))).toEqual([]);
    expect(fake.schemaErrors).toEqual([]);
  });
});
