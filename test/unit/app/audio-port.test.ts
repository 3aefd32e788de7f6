/**
 * Microphone audio through what ships (issue 9, defect 2): the BUILT preload in the strict stand-in's
 * page carries 2 s of real speech, as 20 ms frames pushed through window.earshot.audio.sendCapture
 * during a hotkey turn, over the audio MessagePort to the BUILT main bundle, which sends it to the
 * (fake) Realtime API. A renderer → MessagePortMain message with a transferred ArrayBuffer arrives as
 * null in Electron (electron/electron#34905), so a preload that transfers loses every frame.
 * Observed where the audio leaves main: the fake server's recorded input_audio_buffer.append bytes
 * must equal the WAV's PCM byte for byte. And back: the reply audio main posts reaches onPlayback intact.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePath, pcm16ToBytes, readWavPcm16 } from '../../support/fixtures.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureBuilt, startStandinApp, type Line, type StandinApp } from '../../support/electron-standin/child.ts';

interface Report extends Line {
  nullPortMessages: number;
  invokeFailures: unknown[];
  page: { capture: { frames: number; bytes: number; sha256: string }; playback: { chunks: number; bytes: number; sha256: string; items: string[] } };
}

const CAPTURE_MS = 2000;
let fake: FakeRealtime;
let app: StandinApp;
let userData: string;
let report: Report;
let expectedPcm: Buffer;

beforeAll(async () => {
  ensureBuilt();
  await ensureFixtures();
  const wav = readWavPcm16(fixturePath('question.wav'));
  expectedPcm = pcm16ToBytes(wav.samples.subarray(0, (CAPTURE_MS / 1000) * 24000));
  fake = await startFakeRealtime({ recordAudioPayloads: true });
  userData = mkdtempSync(join(tmpdir(), 'earshot-audio-port-'));
  app = startStandinApp({
    EARSHOT_USER_DATA: userData,
    DISPLAY: '',
    OPENAI_API_KEY: 'sk-standin-audio-0123456789abcdef',
    OPENAI_BASE_URL: fake.baseURL,
    NODE_EXTRA_CA_CERTS: fake.caPath,
    STANDIN_CAPTURE_WAV: fixturePath('question.wav'),
    STANDIN_CAPTURE_MS: String(CAPTURE_MS),
  });
  await app.waitFor('ready', 30_000);
  app.send('press'); // toggle mode (no key-up source without a display): press to start…
  const until = Date.now() + 10_000;
  let frames = 0;
  while (Date.now() < until && frames < CAPTURE_MS / 20) {
    await new Promise((r) => setTimeout(r, 200));
    frames = ((await app.report()) as Report).page.capture.frames;
  }
  app.send('press'); // …and again to send
  // If no audio reached main the turn is too short to commit: the assertions below then say so.
  await fake.waitFor('response.create', () => true, 10_000).then(() => fake.waitFor('response.done', () => true, 15_000)).catch((e: unknown) => console.log(`audio port: ${String(e)}`));
  // The reply audio reaches the page after response.done on a loaded machine: poll until the page
  // played every delta byte the fake sent (or the deadline passes; the assertions then say what is missing).
  const deltaBytes = (): number => fake.events('response.output_audio.delta').reduce((n, e) => n + Buffer.from(String(e.delta), 'base64').length, 0);
  const deadline = Date.now() + 15_000;
  report = (await app.report()) as Report;
  while (Date.now() < deadline && (deltaBytes() === 0 || report.page.playback.bytes !== deltaBytes())) {
    await new Promise((r) => setTimeout(r, 200));
    report = (await app.report()) as Report;
  }
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('the audio port, built preload → built main → Realtime API (strict stand-in)', () => {
  it('microphone frames reach main: 2 s of speech arrive at the API byte-exact, in order', () => {
    expect(report.page.capture.frames).toBe(CAPTURE_MS / 20);
    expect(report.page.capture.sha256).toBe(sha(expectedPcm)); // what the page sent is the WAV's PCM
    expect(report.nullPortMessages).toBe(0); // nothing arrived as null (#34905)
    const appended = Buffer.concat(fake.events('input_audio_buffer.append').map((e) => Buffer.from(String(e.audio), 'base64')));
    console.log(`audio port: page sent ${report.page.capture.bytes} bytes in ${report.page.capture.frames} frames; the API received ${appended.length} bytes`);
    expect(appended.length).toBe(expectedPcm.length);
    expect(appended.equals(expectedPcm)).toBe(true);
    const order = fake.received.map((r) => r.event.type).filter((t) => t === 'input_audio_buffer.append' || t === 'input_audio_buffer.commit' || t === 'response.create');
    expect(order.slice(-2)).toEqual(['input_audio_buffer.commit', 'response.create']);
  });

  it('the reply’s audio posted by main reaches the page’s onPlayback intact', () => {
    const deltas = Buffer.concat(fake.events('response.output_audio.delta').map((e) => Buffer.from(String(e.delta), 'base64')));
    expect(deltas.length).toBeGreaterThan(0);
    expect(report.page.playback.bytes).toBe(deltas.length);
    expect(report.page.playback.sha256).toBe(sha(deltas));
  });
});
