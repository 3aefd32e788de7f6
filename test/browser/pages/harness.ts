/**
 * Browser-tier harness: runs the real renderer/audio session against a fake bridge that lives in
 * the page, so a test can play main's part (capture/playback commands, playback chunks) and see
 * exactly what the renderer sent back. Exposed as window.harness for page.evaluate.
 */
import type { BridgeAudio, BridgeEvents, BridgeRequests, EarshotBridge } from '../../../preload/bridge.ts';
import { eventNames, requestNames, type EventName, type EventPayload } from '../../../preload/contract.ts';
import {
  startAudioSession,
  type AudioLevels,
  type AudioSession,
  type AudioSessionOptions,
  type AudioWarning,
} from '../../../renderer/audio/audio-session.ts';
import tapWorkletUrl from './tap-worklet.ts?worker&url';

interface RequestCall {
  name: string;
  input: unknown;
  at: number;
}

interface CapturedFrame {
  turnId: string;
  pcm: Int16Array;
  at: number;
}

const calls: RequestCall[] = [];
const frames: CapturedFrame[] = [];
const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
const playbackListeners = new Set<(itemId: string, pcm: ArrayBuffer) => void>();
const levels: (AudioLevels & { at: number })[] = [];
const warnings: (AudioWarning & { at: number })[] = [];
const choices: { kind: 'input' | 'output'; label: string | null }[] = [];
const tapBlocks: { frame: number; samples: Float32Array }[] = [];
let tapFlushed: (() => void) | null = null;
let session: AudioSession | null = null;
let context: AudioContext | null = null;
let tapNode: AudioWorkletNode | null = null;
let waiters: { test: (c: RequestCall) => boolean; resolve: (c: RequestCall) => void }[] = [];
let hiddenLabels = new Set<string>();

function makeBridge(): EarshotBridge {
  const request: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of requestNames) {
    request[name] = (input: unknown) => {
      const call = { name, input, at: performance.now() };
      calls.push(call);
      waiters = waiters.filter((w) => {
        if (!w.test(call)) return true;
        w.resolve(call);
        return false;
      });
      return Promise.resolve({ ok: true });
    };
  }
  const on: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const name of eventNames) {
    on[name] = (listener) => {
      const set = eventListeners.get(name) ?? new Set();
      eventListeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  }
  const audio: BridgeAudio = {
    sendCapture(turnId, pcm) {
      frames.push({ turnId, pcm: new Int16Array(pcm), at: performance.now() });
    },
    onPlayback(listener) {
      playbackListeners.add(listener);
      return () => playbackListeners.delete(listener);
    },
  };
  return { request: request as unknown as BridgeRequests, on: on as unknown as BridgeEvents, audio };
}

function emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
  for (const listener of eventListeners.get(name) ?? []) listener(payload);
}

function waitForCall(test: (c: RequestCall) => boolean, timeoutMs = 10_000): Promise<RequestCall> {
  const found = calls.find(test);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for a request')), timeoutMs);
    waiters.push({
      test,
      resolve: (c) => {
        clearTimeout(timer);
        resolve(c);
      },
    });
  });
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function int16Base64(pcm: Int16Array): string {
  return toBase64(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
}

/** The test signal: never exactly zero, different in every sample of a 997-sample cycle. */
function knownSignal(length: number, seed: number): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const v = Math.round(8000 * Math.sin((2 * Math.PI * (i + seed)) / 97) + ((i * 37 + seed) % 997)) + 1;
    out[i] = v === 0 ? 1 : v;
  }
  return out;
}

const originalEnumerate = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
navigator.mediaDevices.enumerateDevices = async () => (await originalEnumerate()).filter((d) => !hiddenLabels.has(d.label));

const harness = {
  async init(options: Partial<AudioSessionOptions> & { tap?: boolean } = {}) {
    const bridge = makeBridge();
    const { tap, ...rest } = options;
    session = startAudioSession(bridge, {
      warmMs: 10_000,
      constraints: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      echoStrategy: 'none',
      ...rest,
      onDeviceChoice: (kind, label) => choices.push({ kind, label }),
      onGraph: ({ context: ctx, output }) => {
        context = ctx;
        if (tap) {
          void ctx.audioWorklet.addModule(tapWorkletUrl).then(() => {
            tapNode = new AudioWorkletNode(ctx, 'earshot-test-tap', {
              numberOfInputs: 1,
              numberOfOutputs: 1,
              outputChannelCount: [1],
              channelCount: 1,
              channelCountMode: 'explicit',
            });
            tapNode.port.onmessage = (e: MessageEvent<{ type: string; frame?: number; samples?: Float32Array }>) => {
              if (e.data.type === 'block' && e.data.samples && e.data.frame !== undefined) {
                tapBlocks.push({ frame: e.data.frame, samples: e.data.samples });
              } else if (e.data.type === 'flushed') tapFlushed?.();
            };
            output.connect(tapNode);
            tapNode.connect(ctx.destination);
          });
        }
      },
    });
    session.onLevels((l) => levels.push({ ...l, at: performance.now() }));
    session.onWarning((w) => warnings.push({ ...w, at: performance.now() }));
    await session.ready;
    if (tap) while (!tapNode) await new Promise((r) => setTimeout(r, 5));
    const state = document.getElementById('state');
    if (state) state.textContent = 'ready';
    return { sampleRate: context?.sampleRate ?? 0, baseLatency: context?.baseLatency ?? 0, state: context?.state ?? 'none' };
  },

  // ---- capture ----
  startTurn(turnId: string) {
    emit('capture', { command: 'start', turnId });
  },
  async stopTurn(turnId: string) {
    const t0 = performance.now();
    emit('capture', { command: 'stop', turnId });
    const call = await waitForCall((c) => c.name === 'captureFlushed' && (c.input as { turnId: string }).turnId === turnId);
    return { ...(call.input as { turnId: string; totalSamples: number }), flushMs: call.at - t0 };
  },
  release() {
    emit('capture', { command: 'release' });
  },
  captured(turnId: string) {
    const mine = frames.filter((f) => f.turnId === turnId);
    const total = mine.reduce((n, f) => n + f.pcm.length, 0);
    const all = new Int16Array(total);
    let at = 0;
    for (const f of mine) {
      all.set(f.pcm, at);
      at += f.pcm.length;
    }
    return {
      frames: mine.length,
      sizes: mine.map((f) => f.pcm.length),
      arrivals: mine.map((f) => f.at),
      pcmBase64: int16Base64(all),
    };
  },
  firstFrameAt(turnId: string) {
    return frames.find((f) => f.turnId === turnId)?.at ?? null;
  },

  // ---- playback ----
  /** Feeds a known signal in irregular bursts; resolves when everything was handed to the bridge. */
  async feedKnownSignal(itemId: string, bursts: { samples: number; delayMs: number }[], seed = 0) {
    const total = bursts.reduce((n, b) => n + b.samples, 0);
    const signal = knownSignal(total, seed);
    let at = 0;
    const sentAt: number[] = [];
    for (const burst of bursts) {
      if (burst.delayMs > 0) await new Promise((r) => setTimeout(r, burst.delayMs));
      const chunk = signal.slice(at, at + burst.samples);
      at += burst.samples;
      sentAt.push(performance.now());
      for (const listener of playbackListeners) listener(itemId, chunk.buffer);
    }
    return { total, sentAt };
  },
  /** Feeds PCM16 (base64) in chunks of `chunkSamples`, all at once (ahead of real time, as main does). */
  feedPcm(itemId: string, pcmBase64: string, chunkSamples = 2400) {
    const bytes = Uint8Array.from(atob(pcmBase64), (c) => c.charCodeAt(0));
    const pcm = new Int16Array(bytes.buffer, 0, bytes.byteLength >> 1);
    const at = performance.now();
    for (let i = 0; i < pcm.length; i += chunkSamples) {
      const chunk = pcm.slice(i, i + chunkSamples);
      for (const listener of playbackListeners) listener(itemId, chunk.buffer);
    }
    return { at, samples: pcm.length };
  },
  knownSignalBase64(length: number, seed = 0) {
    return int16Base64(knownSignal(length, seed));
  },
  endOfItem(itemId: string) {
    emit('playback', { command: 'end-of-item', itemId });
  },
  stopPlayback(requestId: string) {
    const at = performance.now();
    const frame = context ? Math.round(context.currentTime * context.sampleRate) : 0;
    emit('playback', { command: 'stop', requestId });
    return { at, frame };
  },
  async waitReport(test: { itemId?: string; requestId?: string; final?: boolean }, timeoutMs = 15_000) {
    const call = await waitForCall((c) => {
      if (c.name !== 'reportPlayback') return false;
      const r = c.input as { itemId: string; requestId?: string; firstSampleAt?: number };
      if (test.requestId !== undefined) return r.requestId === test.requestId;
      if (test.itemId !== undefined && r.itemId !== test.itemId) return false;
      if (test.final) return r.requestId === undefined && r.firstSampleAt === undefined;
      return true;
    }, timeoutMs);
    return { input: call.input, at: call.at };
  },
  armTap() {
    tapBlocks.length = 0;
    tapNode?.port.postMessage({ type: 'arm' });
  },
  async tapped() {
    await new Promise<void>((resolve) => {
      tapFlushed = resolve;
      tapNode?.port.postMessage({ type: 'flush' });
    });
    tapFlushed = null;
    const total = tapBlocks.reduce((n, b) => n + b.samples.length, 0);
    const pcm = new Int16Array(total);
    let at = 0;
    for (const b of tapBlocks) {
      for (let i = 0; i < b.samples.length; i++) pcm[at + i] = Math.round((b.samples[i] ?? 0) * 32768);
      at += b.samples.length;
    }
    return { startFrame: tapBlocks[0]?.frame ?? 0, pcmBase64: int16Base64(pcm), blocks: tapBlocks.length };
  },

  // ---- devices, levels, warnings ----
  listDevices() {
    return session?.listDevices();
  },
  setInputDevice(label: string | null) {
    return session?.setInputDevice(label);
  },
  setOutputDevice(label: string | null) {
    return session?.setOutputDevice(label);
  },
  hideDevice(label: string) {
    hiddenLabels = new Set([...hiddenLabels, label]);
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
  },
  async warmUp() {
    await session?.warmUp();
  },
  setMeterVisible(visible: boolean) {
    session?.setMeterVisible(visible);
  },
  choices() {
    return choices;
  },
  levels() {
    return levels;
  },
  warnings() {
    return warnings;
  },
  calls() {
    return calls.map((c) => ({ name: c.name, input: c.input, at: c.at }));
  },
  stats() {
    return session?.stats();
  },
  async dispose() {
    await session?.dispose();
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
