/** Signal comparison for the browser tier: alignment by cross-correlation, Pearson correlation. */

/** Pearson correlation of ref[i] with sig[i + lag] over i in [start, start + length) (clipped). */
export function correlationAt(ref: Int16Array, sig: Int16Array, lag: number, start = 0, length = ref.length): number {
  const from = Math.max(start, -lag, 0);
  const to = Math.min(start + length, ref.length, sig.length - lag);
  const n = to - from;
  if (n <= 0) return 0;
  let sx = 0;
  let sy = 0;
  for (let i = from; i < to; i++) {
    sx += ref[i] ?? 0;
    sy += sig[i + lag] ?? 0;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    const x = (ref[i] ?? 0) - mx;
    const y = (sig[i + lag] ?? 0) - my;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

function decimate(x: Int16Array, factor: number): Int16Array {
  const out = new Int16Array(Math.floor(x.length / factor));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let k = 0; k < factor; k++) s += x[i * factor + k] ?? 0;
    out[i] = Math.round(s / factor);
  }
  return out;
}

/**
 * The lag (sig index − ref index) that best aligns a window of ref with sig, searched over
 * center ± maxLag: coarse on 8× decimated signals, then sample-exact around the best coarse lag.
 */
export function bestLag(ref: Int16Array, sig: Int16Array, maxLag: number, start = 0, length = ref.length, center = 0): number {
  const f = 8;
  const rd = decimate(ref, f);
  const sd = decimate(sig, f);
  let best = 0;
  let bestR = -Infinity;
  const ds = Math.floor(start / f);
  const dl = Math.floor(length / f);
  const c = Math.round(center / f);
  for (let lag = c - Math.ceil(maxLag / f); lag <= c + Math.ceil(maxLag / f); lag++) {
    const r = correlationAt(rd, sd, lag, ds, dl);
    if (r > bestR) {
      bestR = r;
      best = lag * f;
    }
  }
  let fine = best;
  bestR = -Infinity;
  for (let lag = best - 2 * f; lag <= best + 2 * f; lag++) {
    const r = correlationAt(ref, sig, lag, start, length);
    if (r > bestR) {
      bestR = r;
      fine = lag;
    }
  }
  return fine;
}

export function fromBase64Pcm16(text: string): Int16Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Int16Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** Mono PCM16 from a possibly interleaved WAV. */
export function toMono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += samples[i * channels + c] ?? 0;
    out[i] = Math.round(s / channels);
  }
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? NaN;
}

/** sig delayed by a fraction of a sample (|d| ≤ 1), windowed-sinc interpolation, over [from, to). */
function fractionalSlice(sig: Int16Array, d: number, from: number, to: number): Float64Array {
  const taps = 24;
  const kernel = new Float64Array(2 * taps + 1);
  for (let k = -taps; k <= taps; k++) {
    const t = k - d;
    const w = 0.5 + 0.5 * Math.cos((Math.PI * t) / (taps + 2));
    kernel[k + taps] = (t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t)) * w;
  }
  const out = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    let s = 0;
    for (let k = -taps; k <= taps; k++) s += (sig[i + k] ?? 0) * (kernel[k + taps] ?? 0);
    out[i - from] = s;
  }
  return out;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i] ?? 0;
    sy += y[i] ?? 0;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[i] ?? 0) - mx;
    const b = (y[i] ?? 0) - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/**
 * Correlation of ref with sig at a fractional lag: resampled signals line up between samples, and an
 * integer-only alignment understates their similarity (0.989 instead of 0.9998 for speech here).
 */
export function correlationFractional(ref: Int16Array, sig: Int16Array, lag: number, start = 0, length = ref.length): number {
  const whole = Math.floor(lag);
  const d = lag - whole;
  const from = Math.max(start, -whole, 0);
  const to = Math.min(start + length, ref.length, sig.length - whole - 1);
  if (to - from <= 0) return 0;
  const shifted = fractionalSlice(sig, d, from + whole, to + whole);
  return pearson(ref.subarray(from, to), shifted, to - from);
}

/** Integer lag refined to 1/16 sample. */
export function refineLag(ref: Int16Array, sig: Int16Array, lag: number, start: number, length: number): { lag: number; r: number } {
  let best = { lag, r: correlationFractional(ref, sig, lag, start, length) };
  for (let step = 0.5; step >= 1 / 16; step /= 2) {
    for (const candidate of [best.lag - step, best.lag + step]) {
      const r = correlationFractional(ref, sig, candidate, start, length);
      if (r > best.r) best = { lag: candidate, r };
    }
  }
  return best;
}

export interface WindowedFidelity {
  windows: { startSec: number; lag: number; r: number }[];
  median: number;
  min: number;
  /** Samples the capture lost (positive) or gained between the first and last window. */
  drift: number;
  /** Windows whose lag moved by more than a sample from the previous one (the source skipped). */
  jumps: number;
  /** Median correlation of windows with no skip at either edge. */
  steadyMedian: number;
}

/** Aligns every window of ref separately (tracking the lag) and correlates it. */
export function windowedFidelity(ref: Int16Array, sig: Int16Array, windowSamples: number, maxLag: number): WindowedFidelity {
  const windows: WindowedFidelity['windows'] = [];
  let center = bestLag(ref, sig, maxLag, 0, windowSamples * 2);
  for (let start = 0; start + windowSamples <= ref.length; start += windowSamples) {
    // Pauses between sentences are digital silence in the source: nothing to correlate there.
    let energy = 0;
    for (let i = start; i < start + windowSamples; i++) energy += (ref[i] ?? 0) ** 2;
    if (Math.sqrt(energy / windowSamples) < 100) continue;
    let coarse = bestLag(ref, sig, 2400, start, windowSamples, center);
    let fine = refineLag(ref, sig, coarse, start, windowSamples);
    if (fine.r < 0.9) {
      // The source skipped further than the narrow search: look wider around the last lag.
      coarse = bestLag(ref, sig, maxLag, start, windowSamples, center);
      fine = refineLag(ref, sig, coarse, start, windowSamples);
    }
    windows.push({ startSec: start / 24000, lag: fine.lag, r: fine.r });
    center = coarse;
  }
  const rs = windows.map((w) => w.r).sort((a, b) => a - b);
  const steady = windows
    .filter((w, i) => {
      const prev = windows[i - 1];
      const next = windows[i + 1];
      return (!prev || Math.abs(prev.lag - w.lag) <= 1) && (!next || Math.abs(next.lag - w.lag) <= 1);
    })
    .map((w) => w.r)
    .sort((a, b) => a - b);
  let jumps = 0;
  for (let i = 1; i < windows.length; i++) if (Math.abs((windows[i]?.lag ?? 0) - (windows[i - 1]?.lag ?? 0)) > 1) jumps++;
  return {
    jumps,
    steadyMedian: steady[Math.floor(steady.length / 2)] ?? 0,
    windows,
    median: rs[Math.floor(rs.length / 2)] ?? 0,
    min: rs[0] ?? 0,
    drift: (windows[0]?.lag ?? 0) - (windows.at(-1)?.lag ?? 0),
  };
}
