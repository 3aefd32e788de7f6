/**
 * Cascaded engine: key up → first reply audio, with and without sentence pipelining
 * (run: node test/bench/cascaded-pipelining.ts; BENCH_TURNS=n turns per mode, default 8).
 *
 * The fake HTTP API (in this process) answers with fixed "model" delays, the same in both modes:
 * transcription 300 ms, chat first token 400 ms then 30 ms per word-sized chunk, speech first byte
 * 250 ms. The reply is four sentences (~45 words). Without pipelining, speech starts once the chat
 * model has written the whole answer; with it, once the first sentence is written. Per turn:
 * key up (hotkeyUp) → first PlaybackPort.write (the first reply audio main hands to the player).
 * Printed: medians and p95 per mode and the ratio of the medians (pipelined / whole answer).
 */
import { createVoiceSession, defaultVoiceConfig, VoiceConfigSchema } from '../../main/voice/index.ts';
import type { TurnRecord } from '../../main/voice/index.ts';
import type { PlaybackPort } from '../../main/voice/ports.ts';
import type { PlaybackReport } from '../../preload/contract.ts';
import { systemClock } from '../../main/base/clock.ts';
import { nullLogger } from '../../main/base/logger.ts';
import { startFakeOpenAIHttp } from '../support/fake-openai-http/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../support/fixtures.ts';
import { MemoryToolHost, TestCapture } from '../unit/voice/harness.ts';
import { series, startRun, writeResults } from './bench-results.lib.ts';

const run = startRun();
const N = Number(process.env['BENCH_TURNS'] ?? 8);
const WARM_UP = 1;
const DELAYS = { transcriptionMs: 300, chatFirstTokenMs: 400, chatTokenMs: 30, speechFirstByteMs: 250 };
const REPLY =
  'Your documents folder holds two files and one folder. ' +
  'The first file is notes.txt, with the notes of Monday’s meeting. ' +
  'The second is todo.md, a list of seven open tasks for this week. ' +
  'The folder called old has nothing in it that changed this month.';

/** A player that plays instantly and notes when the first chunk of each turn arrived. */
class FirstWritePlayback implements PlaybackPort {
  firstWriteAt: number | null = null;
  written = new Map<string, number>();
  report: (r: PlaybackReport) => void = () => {};
  write(itemId: string, pcm: Int16Array): void {
    this.firstWriteAt ??= performance.now();
    this.written.set(itemId, (this.written.get(itemId) ?? 0) + pcm.length);
  }
  endOfItem(itemId: string): void {
    queueMicrotask(() => this.report({ itemId, renderedSamples: this.written.get(itemId) ?? 0 }));
  }
  async stop(): Promise<PlaybackReport | null> {
    return null;
  }
}

await ensureFixtures();
const question = readWavPcm16(fixturePath('question.wav')).samples;
const fake = await startFakeOpenAIHttp({ apiKey: null, speedup: 8, delays: DELAYS });
fake.setDefaultChatText(REPLY);

async function measure(pipelineSentences: boolean): Promise<{ firstAudio: number[]; total: number[] }> {
  const capture = new TestCapture();
  const playback = new FirstWritePlayback();
  const waiters = new Map<string, (r: TurnRecord) => void>();
  const session = createVoiceSession(VoiceConfigSchema.parse({ ...defaultVoiceConfig, engine: 'cascaded', cascaded: { pipelineSentences } }), {
    events: {
      status: () => {},
      transcript: () => {},
      toolCall: () => {},
      approval: () => {},
      turnMetrics: () => {},
      notice: (n) => {
        if (n.level !== 'info') console.warn(`  [notice ${n.level}] ${n.message}`);
      },
      turnEnded: (r) => waiters.get(r.turnId)?.(r),
    },
    capture,
    playback,
    tools: new MemoryToolHost(),
    clock: systemClock,
    logger: nullLogger,
    credentials: async () => ({ apiKey: 'sk-bench-abcdefghijklmnop', baseURL: fake.baseURL }),
  });
  playback.report = (r) => session.reportPlayback(r);
  capture.onStop = (turnId) => queueMicrotask(() => session.captureFlushed(turnId, capture.pushedTotal.get(turnId) ?? 0));
  const firstAudio: number[] = [];
  const total: number[] = [];
  try {
    for (let i = 0; i < WARM_UP + N; i++) {
      session.hotkeyDown();
      const turnId = capture.started.at(-1);
      if (!turnId) throw new Error('capture did not start');
      const ended = new Promise<TurnRecord>((resolve) => waiters.set(turnId, resolve));
      for (let at = 0; at < question.length; at += 480) {
        const frame = question.subarray(at, Math.min(question.length, at + 480));
        capture.pushedTotal.set(turnId, (capture.pushedTotal.get(turnId) ?? 0) + frame.length);
        session.pushCapture(turnId, frame);
      }
      playback.firstWriteAt = null;
      const keyUp = performance.now();
      session.hotkeyUp();
      const rec = await ended;
      if (rec.outcome !== 'completed') throw new Error(`turn ${i} ${rec.outcome}: ${rec.error ?? ''}`);
      if (i < WARM_UP || playback.firstWriteAt === null) continue;
      firstAudio.push(playback.firstWriteAt - keyUp);
      total.push(performance.now() - keyUp);
    }
  } finally {
    await session.dispose();
  }
  return { firstAudio, total };
}

try {
  const whole = await measure(false);
  const pipelined = await measure(true);
  const w = series(whole.firstAudio);
  const p = series(pipelined.firstAudio);
  const ratio = Math.round((p.p50 / w.p50) * 1000) / 1000;
  console.log(`cascaded pipelining, ${N} turns per mode, fixed fake delays ${JSON.stringify(DELAYS)}`);
  console.log(`  key up → first reply audio, whole answer first:  median ${w.p50} ms, p95 ${w.p95} ms`);
  console.log(`  key up → first reply audio, sentence pipelining: median ${p.p50} ms, p95 ${p.p95} ms`);
  console.log(`  ratio (pipelined / whole): ${ratio}`);
  writeResults(
    'cascaded-pipelining',
    run,
    {
      delays: DELAYS,
      replyChars: REPLY.length,
      keyUpToFirstAudioMs: { wholeAnswer: w, pipelined: p },
      keyUpToTurnEndMs: { wholeAnswer: series(whole.total), pipelined: series(pipelined.total) },
      ratioOfMedians: ratio,
    },
    ['The fake runs in this process; its delays are fixed, so the difference is what pipelining saves (the chat model writing the rest of the answer while the first sentence is spoken).'],
  );
} finally {
  await fake.close();
}
