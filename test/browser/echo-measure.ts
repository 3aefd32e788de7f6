/**
 * Echo measurement through the PulseAudio loopback (pulse-loopback.ts): the real audio session
 * plays speech while a turn is captured, and what its microphone picked up during playback is
 * compared with what was played. Shared by the browser-tier echo test and the echo benchmark.
 */
import type { PulseLoopback } from './pulse-loopback.ts';
import type { PageServer } from './page-server.ts';
import type { EchoStrategy } from '../../renderer/audio/audio-session.ts';
import { launchChromium } from '../support/browser.ts';
import { fixturePath, readWavPcm16 } from '../support/fixtures.ts';
import { fromBase64Pcm16, toMono, windowedFidelity } from './signal.ts';

const RATE = 24000;

export interface EchoRunOptions {
  echoCancellation: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  echoStrategy: EchoStrategy;
  /** Loss of the speaker → microphone path, in dB (0 = the loopback as is). */
  echoPathDb?: number;
  /** Another talker (the user) played into the room this long after the assistant starts. */
  user?: { wav: string; afterMs: number };
}

export interface EchoRunResult {
  /** RMS of what the assistant played (the reference), dBFS. */
  playedDbfs: number;
  /** RMS of the microphone while the assistant played, dBFS. */
  echoDbfs: number;
  /** The same after the first 2 s of playback (an echo canceller has converged by then). */
  echoLateDbfs: number;
  /** Median over 0.5 s windows of microphone RMS ÷ played RMS (aligned by the echo's lag), dB: the echo return. */
  echoReturnDb: number;
  /** Echo return of each 0.5 s window in playback order (how an echo canceller converges), dB. */
  echoReturnSeries: number[];
  /** RMS of the microphone before playback started, dBFS (the loopback's floor). */
  floorDbfs: number;
  /**
   * Median correlation of the microphone with the played speech over 0.5 s windows (each aligned
   * on its own: the loop may skip a few ms under load), and the median lag: how long after the
   * first sample was reported rendered the echo reached the microphone, ms.
   */
  correlation: number;
  lagMs: number;
  /** Level windows in which the playback was ducked: while only the assistant spoke, and while the user spoke too. */
  duckedEchoOnly: { ducked: number; of: number };
  duckedUserTalking: { ducked: number; of: number };
  /** Browser streams whose volume was set to echoPathDb. */
  streamsAdjusted: number;
}

/** ~7 s of the assistant's speech: reply.wav twice with a short pause. */
export function assistantSpeech(): Int16Array {
  const wav = readWavPcm16(fixturePath('reply.wav'));
  if (wav.sampleRate !== RATE) throw new Error('reply.wav is not 24 kHz');
  const one = toMono(wav.samples, wav.channels);
  const out = new Int16Array(one.length * 2 + RATE * 0.3);
  out.set(one, 0);
  out.set(one, one.length + RATE * 0.3);
  return out;
}

function rms(x: Int16Array, from = 0, to = x.length): number {
  let s = 0;
  const a = Math.max(0, from);
  const b = Math.min(x.length, to);
  for (let i = a; i < b; i++) s += ((x[i] ?? 0) / 32768) ** 2;
  return b > a ? Math.sqrt(s / (b - a)) : 0;
}

export const dbfs = (linear: number): number => (linear > 0 ? 20 * Math.log10(linear) : -Infinity);

function toBase64(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

export async function measureEcho(server: PageServer, pulse: PulseLoopback, run: EchoRunOptions): Promise<EchoRunResult> {
  const browser = await launchChromium({ realDevices: true, env: pulse.env });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    await page.goto(`${server.origin}/harness.html`);
    await page.waitForFunction(() => 'harness' in window);
    await page.evaluate(
      (o) =>
        window.harness.init({
          warmMs: 60_000,
          echoStrategy: o.echoStrategy,
          constraints: { echoCancellation: o.echoCancellation, noiseSuppression: o.noiseSuppression ?? false, autoGainControl: o.autoGainControl ?? false },
        }),
      run,
    );
    await page.evaluate(() => window.harness.warmUp());
    await page.waitForTimeout(800);
    const streamsAdjusted = await pulse.setBrowserPlaybackDb(run.echoPathDb ?? 0);

    const speech = assistantSpeech();
    await page.evaluate(() => window.harness.startTurn('echo-turn'));
    await page.waitForTimeout(600);
    await page.evaluate(({ pcm }) => window.harness.feedPcm('echo-item', pcm), { pcm: toBase64(speech) });
    await page.evaluate(() => window.harness.endOfItem('echo-item'));
    let userAt = NaN;
    let userPlaying: Promise<number> = Promise.resolve(NaN);
    if (run.user) {
      await page.waitForTimeout(run.user.afterMs);
      userAt = await page.evaluate(() => performance.now());
      const t0 = Date.now();
      userPlaying = pulse.play(run.user.wav).then(() => Date.now() - t0);
    }
    const first = await page.evaluate(() => window.harness.waitReport({ itemId: 'echo-item' }));
    await page.evaluate(() => window.harness.waitReport({ itemId: 'echo-item', final: true }, 30_000));
    const userEnd = userAt + (await userPlaying);
    await page.waitForTimeout(500);
    await page.evaluate(() => window.harness.stopTurn('echo-turn'));
    const got = await page.evaluate(() => window.harness.captured('echo-turn'));
    const levels = await page.evaluate(() => window.harness.levels());
    const origin = await page.evaluate(() => performance.timeOrigin);

    const mic = fromBase64Pcm16(got.pcmBase64);
    const firstAt = ((first.input as { firstSampleAt?: number }).firstSampleAt ?? NaN) - origin;
    // Page time → sample index of the capture: frame k (480 samples) reached the bridge at arrivals[k].
    const indexAt = (t: number): number => {
      const k = got.arrivals.findIndex((a) => a >= t);
      return (k < 0 ? got.arrivals.length : k) * 480;
    };
    const start = indexAt(firstAt);
    const end = Math.min(mic.length, start + speech.length + Math.round(RATE * 0.3));
    const from = Math.max(0, start - RATE / 10);
    const fidelity = windowedFidelity(speech, mic.subarray(from, end + RATE / 2), RATE / 2, RATE / 2);
    const lags = fidelity.windows.map((w) => w.lag).sort((a, b) => a - b);
    const medianLag = lags[Math.floor(lags.length / 2)] ?? NaN;

    const during = levels.filter((l) => l.capturing && l.at >= firstAt + 300);
    const userFrom = userAt + 150;
    const echoOnly = during.filter((l) => (Number.isNaN(userAt) || l.at < userAt) && l.at < firstAt + (speech.length / RATE) * 1000);
    const withUser = Number.isNaN(userAt) ? [] : during.filter((l) => l.at >= userFrom && l.at <= userEnd);
    const returns: number[] = [];
    const lagSamples = Math.round(Number.isNaN(medianLag) ? start + RATE / 10 : medianLag + from);
    for (let w = 0; w + RATE / 2 <= speech.length; w += RATE / 2) {
      const played = rms(speech, w, w + RATE / 2);
      if (played < 0.01) continue;
      returns.push(dbfs(rms(mic, lagSamples + w, lagSamples + w + RATE / 2)) - dbfs(played));
    }
    const series = [...returns];
    returns.sort((a, b) => a - b);
    return {
      echoReturnSeries: series,
      echoReturnDb: returns[Math.floor(returns.length / 2)] ?? NaN,
      playedDbfs: dbfs(rms(speech)),
      echoDbfs: dbfs(rms(mic, start, end)),
      echoLateDbfs: dbfs(rms(mic, start + RATE * 2, end)),
      floorDbfs: dbfs(rms(mic, 0, Math.max(0, start - RATE * 0.1))),
      correlation: fidelity.median,
      lagMs: ((medianLag + from - start) / RATE) * 1000,
      duckedEchoOnly: { ducked: echoOnly.filter((l) => l.ducked).length, of: echoOnly.length },
      duckedUserTalking: { ducked: withUser.filter((l) => l.ducked).length, of: withUser.length },
      streamsAdjusted,
    };
  } finally {
    await browser.close();
  }
}
