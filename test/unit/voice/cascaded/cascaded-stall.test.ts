/**
 * A cascaded stage whose body goes quiet after its headers: the watchdog gives up on it, and the turn
 * fails with "stopped sending mid-answer" — never a whole (perhaps empty) answer. The SDK ends a stream
 * quietly when its request is aborted, so each stage must tell a cut stream from a finished one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, httpSessionTests, SPEECH, warnings } from '../http/session-kit.ts';
import type { Rig } from '../http/session-kit.ts';
import { sseEvent, startStallingProxy } from '../http/stalling-proxy.ts';
import type { Stall, StallingProxy } from '../http/stalling-proxy.ts';

const t = httpSessionTests('cascaded');
let proxy: StallingProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

/** 100 ms of a 440 Hz tone, PCM16 24 kHz, as the first audio of a stalled speech stream. */
function toneBytes(): Buffer {
  const pcm = Buffer.alloc(2400 * 2);
  for (let i = 0; i < 2400; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000)), i * 2);
  return pcm;
}

const STALLS: Record<string, Stall> = {
  transcription: { path: '/v1/audio/transcriptions', contentType: 'text/event-stream', first: sseEvent({ type: 'transcript.text.delta', delta: 'What files' }) },
  chat: {
    path: '/v1/chat/completions',
    contentType: 'text/event-stream',
    first: sseEvent({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] }),
  },
  speech: { path: SPEECH, contentType: 'text/event-stream', first: sseEvent({ type: 'speech.audio.delta', audio: toneBytes().toString('base64') }) },
};

/** A turn through the proxy with `stall`: it fails within the watchdog's time, saying so; then a turn works. */
async function stallsThenRecovers(rig: Rig, p: StallingProxy, stall: Stall, label: string, url: string): Promise<void> {
  p.stall = stall;
  const started = performance.now();
  const rec = await rig.h.talk(t.speech.question);
  expect(p.stalled).toEqual([stall.path]);
  expect(rec.outcome).toBe('failed');
  expect(performance.now() - started).toBeLessThan(4000);
  const message = warnings(rig.h).find((m) => m.includes('stopped sending mid-answer'));
  expect(message, JSON.stringify(warnings(rig.h))).toContain(`${label} stage (${url})`);
  p.stall = null;
  const next = await rig.h.talk(t.speech.question);
  expect(next.outcome).toBe('completed');
  expect(next.assistantText.length).toBeGreaterThan(5);
}

describe('cascaded engine: a stage that goes quiet', () => {
  for (const [label, stall] of Object.entries(STALLS)) {
    it(`the ${label} stream stalls after its first event: a failure, not an answer`, async () => {
      const p = (proxy = await startStallingProxy());
      const rig = await t.start({ cascaded: { idleMs: 300, maxRetries: 0 }, credentials: () => async () => ({ apiKey: API_KEY, baseURL: p.url }) });
      p.upstream = rig.fake.baseURL;
      await stallsThenRecovers(rig, p, stall, label, p.url);
    });
  }

  it('raw PCM from a speech stage on its own server stalls: a failure, not a short answer', async () => {
    const p = (proxy = await startStallingProxy());
    const rig = await t.start({ cascaded: { idleMs: 300, maxRetries: 0 }, config: { cascaded: { speech: { baseURL: p.url, model: 'gpt-4o-mini-tts', keySource: 'openai' } } } });
    p.upstream = rig.fake.baseURL;
    await stallsThenRecovers(rig, p, { path: SPEECH, contentType: 'audio/pcm', first: toneBytes() }, 'speech', p.url);
  });
});
