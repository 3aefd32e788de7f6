/**
 * Echo benchmark (run: node test/bench/audio-echo.ts): Chromium hears its own speakers through a
 * private PulseAudio loopback (0 dB echo path, the worst room there is). Prints, for the real audio
 * session playing ~7 s of speech while a turn is captured:
 *  - the echo at the microphone with Chromium's echo canceller off and on (ERLE = the difference),
 *    also with the app's full processing (AEC + noise suppression + auto gain);
 *  - the duck strategy: how often the playback was ducked while only the assistant spoke (should be
 *    never) and while a second talker (question.wav, the user) spoke over it.
 */
import { loadavg } from 'node:os';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { buildAndServePages } from '../browser/page-server.ts';
import { measureEcho, type EchoRunOptions, type EchoRunResult } from '../browser/echo-measure.ts';
import { pulseMissingReason, startPulseLoopback } from '../browser/pulse-loopback.ts';
import { startRun, writeResults } from './bench-results.lib.ts';

const missing = pulseMissingReason();
if (missing) {
  console.log(`echo benchmark skipped: ${missing}`);
  process.exit(0);
}

const f = (x: number): string => x.toFixed(1);
const line = (name: string, r: EchoRunResult): string =>
  `${name.padEnd(44)} played ${f(r.playedDbfs)} dBFS, mic during playback ${f(r.echoDbfs)} dBFS (after 2 s ${f(r.echoLateDbfs)}), ` +
  `echo return (median 0.5 s window) ${f(r.echoReturnDb)} dB, floor ${f(r.floorDbfs)}, corr ${r.correlation.toFixed(3)} @ ${f(r.lagMs)} ms, ducked echo-only ${r.duckedEchoOnly.ducked}/${r.duckedEchoOnly.of}` +
  (r.duckedUserTalking.of > 0 ? `, ducked user-talking ${r.duckedUserTalking.ducked}/${r.duckedUserTalking.of}` : '');

const benchRun = startRun();
await ensureFixtures();
const server = await buildAndServePages();
const pulse = await startPulseLoopback();
const question = fixturePath('question.wav');
try {
  const runs: [string, EchoRunOptions][] = [
    ['AEC off (strategy none)', { echoCancellation: false, echoStrategy: 'none' }],
    ['AEC on (strategy none)', { echoCancellation: true, echoStrategy: 'none' }],
    ['AEC+NS+AGC on (the app, strategy none)', { echoCancellation: true, noiseSuppression: true, autoGainControl: true, echoStrategy: 'none' }],
    ['AEC off, echo path −15 dB, duck, user at 2 s', { echoCancellation: false, echoStrategy: 'duck', echoPathDb: -15, user: { wav: question, afterMs: 2000 } }],
    ['AEC off, echo path 0 dB, duck, user at 2 s', { echoCancellation: false, echoStrategy: 'duck', echoPathDb: 0, user: { wav: question, afterMs: 2000 } }],
    ['AEC+NS+AGC on, 0 dB, duck, user at 2 s', { echoCancellation: true, noiseSuppression: true, autoGainControl: true, echoStrategy: 'duck', user: { wav: question, afterMs: 2000 } }],
  ];
  const results: Record<string, EchoRunResult> = {};
  for (const [name, run] of runs) {
    const r = await measureEcho(server, pulse, run);
    results[name] = r;
    console.log(`${line(name, r)} [load ${loadavg()[0]?.toFixed(1)}]`);
    if (run.echoCancellation) console.log(`   echo return per 0.5 s window: ${r.echoReturnSeries.map((x) => f(x)).join(' ')}`);
  }
  const off = results['AEC off (strategy none)'];
  const on = results['AEC on (strategy none)'];
  const app = results['AEC+NS+AGC on (the app, strategy none)'];
  if (off && on && app) {
    console.log(
      `ERLE (Chromium AEC on Web Audio playback): ${f(off.echoDbfs - on.echoDbfs)} dB whole, ${f(off.echoLateDbfs - on.echoLateDbfs)} dB after 2 s, ` +
        `${f(off.echoReturnDb - on.echoReturnDb)} dB median window; with NS+AGC: ${f(off.echoDbfs - app.echoDbfs)} dB whole, ` +
        `${f(off.echoLateDbfs - app.echoLateDbfs)} dB after 2 s, ${f(off.echoReturnDb - app.echoReturnDb)} dB median window`,
    );
  }
  writeResults('audio-echo', benchRun, {
    erleDb: off && on ? { whole: off.echoDbfs - on.echoDbfs, after2s: off.echoLateDbfs - on.echoLateDbfs, medianWindow: off.echoReturnDb - on.echoReturnDb } : null,
    runs: results,
  });
} finally {
  await pulse.close();
  await server.close();
}
