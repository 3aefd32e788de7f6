/**
 * Downmix to mono and resample with a windowed-sinc (Blackman-windowed, 32 zero crossings) low-pass
 * interpolator. When downsampling, the cutoff follows the lower Nyquist frequency so nothing aliases.
 */

export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (ch[i] ?? 0);
  const scale = 1 / channels.length;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) * scale;
  return out;
}

const ZERO_CROSSINGS = 32;

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

function blackman(t: number): number {
  // t in [-1, 1]
  const n = (t + 1) / 2;
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * n) + 0.08 * Math.cos(4 * Math.PI * n);
}

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const ratio = toRate / fromRate;
  const outLength = Math.floor(input.length * ratio);
  const out = new Float32Array(outLength);
  // Cutoff relative to the input rate (1 = input Nyquist). Slightly below Nyquist for the transition band.
  const cutoff = Math.min(1, ratio) * 0.95;
  const halfWidth = ZERO_CROSSINGS / cutoff; // in input samples
  for (let o = 0; o < outLength; o++) {
    const center = o / ratio;
    const lo = Math.max(0, Math.ceil(center - halfWidth));
    const hi = Math.min(input.length - 1, Math.floor(center + halfWidth));
    let acc = 0;
    let norm = 0;
    for (let i = lo; i <= hi; i++) {
      const d = i - center;
      const w = cutoff * sinc(cutoff * d) * blackman(d / halfWidth);
      acc += (input[i] ?? 0) * w;
      norm += w;
    }
    out[o] = norm !== 0 ? acc / norm : 0;
  }
  return out;
}

export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    // Exact inverse of the reader's x / 32768; full-scale positive clips to 32767.
    out[i] = Math.max(-32768, Math.min(32767, Math.round((samples[i] ?? 0) * 32768)));
  }
  return out;
}

/** Any decoded WAV → PCM16 mono at `toRate`. */
export function toPcm16Mono(channels: readonly Float32Array[], fromRate: number, toRate: number): Int16Array {
  return floatToPcm16(resample(downmixToMono(channels), fromRate, toRate));
}
