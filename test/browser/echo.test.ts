/**
 * Echo in real Chromium, through a private PulseAudio loopback (the speakers' monitor is the
 * microphone: a 0 dB echo path). The real audio session plays speech while a turn is captured:
 * Chromium's echo canceller must remove Web Audio playback, and the duck strategy must lower the
 * playback when a second talker (the user) speaks over it, and never for the echo alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { measureEcho } from './echo-measure.ts';
import { buildAndServePages, type PageServer } from './page-server.ts';
import { pulseMissingReason, startPulseLoopback, type PulseLoopback } from './pulse-loopback.ts';

const skip = chromiumMissingReason() ?? pulseMissingReason();
if (skip) console.log(`browser echo tests skipped: ${skip}`);

let server: PageServer;
let pulse: PulseLoopback;
beforeAll(async () => {
  if (skip) return;
  await ensureFixtures();
  server = await buildAndServePages();
  pulse = await startPulseLoopback();
});
afterAll(async () => {
  await pulse?.close();
  await server?.close();
});

describe.skipIf(skip)('echo through a PulseAudio loopback', () => {
  test("Chromium's echo canceller removes the session's Web Audio playback (ERLE ≥ 20 dB once converged)", async () => {
    const off = await measureEcho(server, pulse, { echoCancellation: false, echoStrategy: 'none' });
    const on = await measureEcho(server, pulse, { echoCancellation: true, echoStrategy: 'none' });
    const erle = off.echoReturnDb - on.echoReturnDb;
    console.log(
      `echo: played ${off.playedDbfs.toFixed(1)} dBFS; AEC off: mic ${off.echoDbfs.toFixed(1)} dBFS, correlation ${off.correlation.toFixed(3)}, ` +
        `echo ${off.lagMs.toFixed(0)} ms after the first-sample report; AEC on: mic ${on.echoDbfs.toFixed(1)} dBFS whole, ` +
        `${on.echoLateDbfs.toFixed(1)} dBFS after 2 s; echo return per 0.5 s ${on.echoReturnSeries.map((x) => x.toFixed(0)).join(' ')} dB; ` +
        `ERLE (median window) ${erle.toFixed(1)} dB, after 2 s ${(off.echoLateDbfs - on.echoLateDbfs).toFixed(1)} dB`,
    );
    // The loop is real: without the canceller the microphone hears the playback itself.
    expect(off.correlation).toBeGreaterThan(0.9);
    expect(Math.abs(off.echoReturnDb)).toBeLessThan(3);
    expect(erle).toBeGreaterThanOrEqual(20);
    expect(off.echoLateDbfs - on.echoLateDbfs).toBeGreaterThanOrEqual(20);
  });

  test('duck: the echo alone never ducks; the user talking over the assistant does', async () => {
    const r = await measureEcho(server, pulse, {
      echoCancellation: false,
      echoStrategy: 'duck',
      echoPathDb: -15,
      user: { wav: fixturePath('question.wav'), afterMs: 2000 },
    });
    console.log(
      `echo duck (no canceller, echo path −15 dB): ducked ${r.duckedEchoOnly.ducked}/${r.duckedEchoOnly.of} windows with only the assistant ` +
        `talking, ${r.duckedUserTalking.ducked}/${r.duckedUserTalking.of} while the user talked over it (streams adjusted: ${r.streamsAdjusted})`,
    );
    expect(r.streamsAdjusted).toBeGreaterThan(0);
    expect(r.duckedEchoOnly.of).toBeGreaterThan(20);
    expect(r.duckedEchoOnly.ducked).toBe(0);
    expect(r.duckedUserTalking.ducked / r.duckedUserTalking.of).toBeGreaterThan(0.5);
  });
});
