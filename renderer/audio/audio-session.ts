/**
 * The renderer's audio, wired to main through the bridge: microphone capture (kept warm between
 * turns), the player, device choice, levels and warnings. One AudioContext at 24 kHz holds one
 * worklet node that captures (its input) and plays (its output), so the audio thread makes one
 * `process()` call per quantum; audio crosses to main only as PCM16 ArrayBuffers.
 *
 *   bridge.on.capture   start → post frames; stop → flush, captureFlushed; release → close the mic
 *   bridge.audio.onPlayback(itemId, pcm) → player
 *   bridge.on.playback  stop → silence, reportPlayback{requestId}; end-of-item → final reportPlayback
 *   first sample of each item → reportPlayback{firstSampleAt}
 */
import type { EarshotBridge } from '../../preload/bridge.ts';
import type { CaptureCommand, PlaybackCommand, PlaybackReport } from '../../preload/contract.ts';
import duplexWorkletUrl from './duplex-worklet.ts?worker&url';
import { listAudioDevices, labelsHidden, resolveDevice, type AudioDeviceList } from './devices.ts';
import { EchoGuard, type EchoStrategy } from './echo-guard.ts';
import { SILENT_LEVEL, type Level } from './level-meter.ts';
import { closeMicrophone, openMicrophone, type CaptureConstraints } from './microphone.ts';
import { isLocalCheckId, LocalRecording, LOCAL_CHECK_PREFIX, type MicRecording } from './mic-check.ts';
import { SilenceWatch } from './silence-watch.ts';
import {
  DUPLEX_PROCESSOR,
  LEVEL_WINDOW_SAMPLES,
  type DuplexIn,
  type DuplexOut,
  type LevelWindow,
  type PlayerConfig,
} from './worklet-messages.ts';

export type { AudioDevice, AudioDeviceList } from './devices.ts';
export type { Level } from './level-meter.ts';
export type { EchoStrategy } from './echo-guard.ts';
export type { CaptureConstraints } from './microphone.ts';
export type { MicRecording } from './mic-check.ts';

const SAMPLE_RATE = 24000;
const MAX_CAPTURE_HOPS = 500;

export interface AudioSessionOptions {
  /** Persisted input choice (a device label); null/undefined for the system default. */
  inputDeviceLabel?: string | null;
  /** Persisted output choice (a device label); null/undefined for the system default. */
  outputDeviceLabel?: string | null;
  /** Keep the microphone open this long after a turn, so the next turn starts at once. */
  warmMs: number;
  constraints: CaptureConstraints;
  echoStrategy: EchoStrategy;
  /** Called when the user picks a device, so the app can persist the label (null = default). */
  onDeviceChoice?: (kind: 'input' | 'output', label: string | null) => void;
  /** Warn when a turn's microphone stayed below this peak (linear) for `silentWarningMs`. */
  silentPeakThreshold?: number;
  silentWarningMs?: number;
  /** Buffer this much before starting from empty, unless the item already ended. */
  preRollMs?: number;
  /** Suspend the audio context after this long with no microphone and nothing playing (CPU). */
  idleSuspendMs?: number;
  /** Tests and meters: the context and the node that feeds the speakers, once they exist. */
  onGraph?: (graph: { context: AudioContext; output: AudioNode }) => void;
}

export interface AudioLevels {
  input: Level;
  output: Level;
  micOpen: boolean;
  capturing: boolean;
  /** The playback is lowered because the user is talking over it (duck strategy). */
  ducked: boolean;
}

export type AudioWarningCode =
  | 'silent-microphone'
  | 'input-device-missing'
  | 'output-device-missing'
  | 'microphone-unavailable'
  | 'output-selection-unsupported';

export interface AudioWarning {
  code: AudioWarningCode;
  message: string;
}

export interface AudioStats {
  framesSent: number;
  samplesSent: number;
  /** Frames whose number did not follow the previous one (lost or duplicated). */
  frameSeqGaps: number;
  /** Render quanta the worklet saw skipped during turns. */
  captureRenderGaps: number;
  underruns: number;
  itemsStarted: number;
  micOpen: boolean;
  capturing: boolean;
  inputDeviceLabel: string | null;
  outputDeviceLabel: string | null;
  contextState: AudioContextState | 'none';
  playbackGain: number;
  /** The echo guard is holding the playback down (duck strategy, the user is talking over it). */
  ducked: boolean;
  /** Worklet → bridge hop of the last (up to 500) capture frames, ms (1 ms clock resolution). */
  captureHopsMs: number[];
}

export interface AudioSession {
  /** Resolves once the context and the worklet are loaded. */
  readonly ready: Promise<void>;
  onLevels(listener: (levels: AudioLevels) => void): () => void;
  onWarning(listener: (warning: AudioWarning) => void): () => void;
  onDevicesChanged(listener: (devices: AudioDeviceList) => void): () => void;
  listDevices(): Promise<AudioDeviceList>;
  /** Picks the input by label (null = system default), persists it and switches live. */
  setInputDevice(label: string | null): Promise<void>;
  /** Picks the output by label (null = system default), persists it and switches live. */
  setOutputDevice(label: string | null): Promise<void>;
  /**
   * Whether a level meter is on screen (default true). While false, outside turns the worklet
   * posts no level windows (each one wakes this thread; CPU.md), except those the duck strategy
   * learns from; during a turn levels still arrive with the frames at ~30 Hz.
   */
  setMeterVisible(visible: boolean): void;
  /** Opens the microphone without a turn (the onboarding meter); it closes after the warm period. */
  warmUp(): Promise<void>;
  /**
   * Records `ms` of the microphone here, for onboarding's check (mic-check.ts): nothing is sent to
   * main. Rejects when a turn is using the microphone, or when one starts during the recording.
   */
  recordCheck(ms: number): Promise<MicRecording>;
  stats(): AudioStats;
  dispose(): Promise<void>;
}

interface SinkContext extends AudioContext {
  setSinkId?: (sinkId: string) => Promise<void>;
}

export function startAudioSession(bridge: EarshotBridge, options: AudioSessionOptions): AudioSession {
  const media = navigator.mediaDevices;
  const context: SinkContext = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  const levelListeners = new Set<(levels: AudioLevels) => void>();
  const warningListeners = new Set<(warning: AudioWarning) => void>();
  const deviceListeners = new Set<(devices: AudioDeviceList) => void>();
  const unsubscribers: (() => void)[] = [];
  const silence = new SilenceWatch({
    peakThreshold: options.silentPeakThreshold ?? 0.001,
    afterMs: options.silentWarningMs ?? 1500,
  });
  const windowMs = (LEVEL_WINDOW_SAMPLES / SAMPLE_RATE) * 1000;

  let wantedInput = options.inputDeviceLabel ?? null;
  let wantedOutput = options.outputDeviceLabel ?? null;
  let activeInputId: string | undefined;
  let activeOutputLabel: string | null = null;
  let stream: MediaStream | null = null;
  let source: MediaStreamAudioSourceNode | null = null;
  let micOpening: Promise<void> | null = null;
  let warmTimer: ReturnType<typeof setTimeout> | null = null;
  let capturingTurn: string | null = null;
  let expectedSeq = 0;
  let disposed = false;
  let inputLevel: Level = SILENT_LEVEL;
  let outputLevel: Level = SILENT_LEVEL;
  const lastWarned: Partial<Record<AudioWarningCode, string>> = {};
  /** Worklet → bridge hop of the last MAX_CAPTURE_HOPS frames (a ring). */
  const captureHops: number[] = [];
  let captureHopAt = 0;
  /** A level meter is on screen (setMeterVisible): level windows are wanted outside turns too. */
  let meterVisible = true;
  /** Items with audio queued and no final report yet (drives idle suspension). */
  const playingItems = new Set<string>();
  /** Items a stop cut off: their late chunks are dropped (the worklet drops them too). */
  const stoppedItems = new Set<string>();
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  const stats = { framesSent: 0, samplesSent: 0, frameSeqGaps: 0, captureRenderGaps: 0, underruns: 0, itemsStarted: 0 };
  /** Onboarding's local recording while it runs (its frames never reach the bridge). */
  let localCheck: { recording: LocalRecording; timer: ReturnType<typeof setTimeout>; done: (r: MicRecording) => void; fail: (e: Error) => void } | null = null;
  /** Local playbacks of a check, resolved when the worklet says the item finished. */
  const localPlays = new Map<string, () => void>();
  let localCount = 0;

  /** Captures from its input (the microphone) and plays through its output. */
  let duplexNode: AudioWorkletNode | null = null;
  const gain = context.createGain();
  gain.connect(context.destination);
  const echo = new EchoGuard(options.echoStrategy, (value) => gain.gain.setTargetAtTime(value, context.currentTime, 0.01));

  const warn = (code: AudioWarningCode, message: string): void => {
    if (lastWarned[code] === message && code !== 'silent-microphone') return;
    lastWarned[code] = message;
    for (const listener of warningListeners) listener({ code, message });
  };

  const emitLevels = (): void => {
    const levels: AudioLevels = {
      input: inputLevel,
      output: outputLevel,
      micOpen: stream !== null,
      capturing: capturingTurn !== null,
      ducked: echo.isDucked,
    };
    for (const listener of levelListeners) listener(levels);
  };

  const report = (payload: PlaybackReport): void => {
    bridge.request.reportPlayback(payload).catch(() => undefined);
  };

  /** A running context costs CPU even when silent: suspend it when nothing needs it. */
  const scheduleIdleCheck = (): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (!disposed && stream === null && capturingTurn === null && playingItems.size === 0 && context.state === 'running') {
        void context.suspend();
      }
    }, options.idleSuspendMs ?? 3000);
  };

  const ready = (async () => {
    await context.audioWorklet.addModule(duplexWorkletUrl);
    const preRoll = Math.round(((options.preRollMs ?? 20) / 1000) * SAMPLE_RATE);
    const playerConfig: PlayerConfig = {
      preRollSamples: preRoll,
      maxPrimeWaitSamples: preRoll * 3,
      initialCapacity: SAMPLE_RATE * 4,
    };
    duplexNode = new AudioWorkletNode(context, DUPLEX_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      // The input (the microphone) is mixed down to mono.
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: playerConfig,
    });
    duplexNode.connect(gain);
    duplexNode.port.onmessage = (event: MessageEvent<DuplexOut>) => onWorkletMessage(event.data);
    postLevelChoice();
    options.onGraph?.({ context, output: gain });
    await applyOutput(false);
    if (context.state !== 'running') await context.resume();
    scheduleIdleCheck();
  })();
  ready.catch(() => undefined);

  // ---------- worklet → main ----------

  function onWorkletMessage(message: DuplexOut): void {
    switch (message.type) {
      case 'frame': {
        if (localCheck && message.turnId === localCheck.recording.turnId) {
          localCheck.recording.push(message.pcm);
          if (message.levels) onLevelWindow(message.levels);
          break;
        }
        if (isLocalCheckId(message.turnId)) break;
        if (message.seq !== expectedSeq) stats.frameSeqGaps++;
        expectedSeq = message.seq + 1;
        stats.framesSent++;
        stats.samplesSent += message.pcm.byteLength / 2;
        bridge.audio.sendCapture(message.turnId, message.pcm);
        captureHops[captureHopAt] = performance.timeOrigin + performance.now() - message.at;
        captureHopAt = (captureHopAt + 1) % MAX_CAPTURE_HOPS;
        if (message.levels) onLevelWindow(message.levels);
        break;
      }
      case 'flushed': {
        if (isLocalCheckId(message.turnId)) {
          if (localCheck && message.turnId === localCheck.recording.turnId) finishLocalCheck();
          if (capturingTurn === null) armWarmTimer();
          break;
        }
        if (message.levels) onLevelWindow(message.levels);
        stats.captureRenderGaps += message.renderGaps;
        silence.stop();
        echo.setCapturing(false);
        if (capturingTurn === message.turnId) capturingTurn = null;
        bridge.request.captureFlushed({ turnId: message.turnId, totalSamples: message.totalSamples }).catch(() => undefined);
        armWarmTimer();
        break;
      }
      case 'levels':
        onLevelWindow(message.levels);
        break;
      default:
        onPlayerMessage(message);
    }
  }

  /** One window of microphone and playback levels (about 30 a second while anything is live). */
  function onLevelWindow(window: LevelWindow): void {
    inputLevel = window.hasInput ? window.input : SILENT_LEVEL;
    outputLevel = window.output;
    if (window.hasInput) {
      if (capturingTurn !== null && silence.feed(window.input, windowMs)) {
        warn('silent-microphone', 'Your microphone seems silent. Check that it is not muted and that the right input is selected.');
      }
      echo.onInputLevel(inputLevel, outputLevel);
    }
    emitLevels();
  }

  function postLevelChoice(): void {
    duplexNode?.port.postMessage({
      type: 'levels-outside-turns',
      meter: meterVisible,
      echoLearning: options.echoStrategy === 'duck',
    } satisfies DuplexIn);
  }

  // ---------- capture ----------

  function postCapture(message: DuplexIn): void {
    duplexNode?.port.postMessage(message);
  }

  function armWarmTimer(): void {
    if (warmTimer) clearTimeout(warmTimer);
    warmTimer = setTimeout(() => {
      warmTimer = null;
      if (capturingTurn === null) releaseMic();
    }, options.warmMs);
  }

  async function ensureMic(): Promise<void> {
    if (stream) return;
    micOpening ??= (async () => {
      try {
        const devices = await listAudioDevices(media);
        const resolved = resolveDevice(devices.inputs, wantedInput);
        if (resolved.fellBack) warn('input-device-missing', `The microphone "${wantedInput ?? ''}" is not connected; using the default microphone.`);
        const opened = await openMicrophone(media, resolved.deviceId, options.constraints);
        if (disposed) {
          closeMicrophone(opened);
          return;
        }
        attachStream(opened);
      } catch (err) {
        warn('microphone-unavailable', `The microphone could not be opened: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      } finally {
        micOpening = null;
      }
    })();
    return micOpening;
  }

  function attachStream(next: MediaStream): void {
    const nextSource = context.createMediaStreamSource(next);
    if (duplexNode) nextSource.connect(duplexNode);
    // Connect the new source and drop the old one in the same task: the graph switches at once.
    source?.disconnect();
    closeMicrophone(stream);
    stream = next;
    source = nextSource;
    if (context.state !== 'running') void context.resume();
    const track = next.getAudioTracks()[0];
    activeInputId = track?.getSettings().deviceId;
    track?.addEventListener('ended', () => {
      if (stream === next) void onInputLost();
    });
  }

  async function onInputLost(): Promise<void> {
    releaseMic();
    if (capturingTurn !== null) await ensureMic().catch(() => undefined);
  }

  function releaseMic(): void {
    if (warmTimer) clearTimeout(warmTimer);
    warmTimer = null;
    source?.disconnect();
    source = null;
    closeMicrophone(stream);
    stream = null;
    activeInputId = undefined;
    inputLevel = SILENT_LEVEL;
    emitLevels();
    scheduleIdleCheck();
  }

  let captureChain: Promise<void> = Promise.resolve();
  function onCaptureCommand(command: CaptureCommand): void {
    captureChain = captureChain.then(() => handleCapture(command)).catch(() => undefined);
  }

  async function handleCapture(command: CaptureCommand): Promise<void> {
    await ready;
    if (disposed) return;
    if (command.command === 'start') {
      if (warmTimer) clearTimeout(warmTimer);
      warmTimer = null;
      // A turn wins over the microphone check: the check ends unfinished.
      if (localCheck) {
        clearTimeout(localCheck.timer);
        localCheck.fail(new Error('A turn started during the microphone check.'));
        localCheck = null;
      }
      try {
        await ensureMic();
      } catch {
        capturingTurn = null;
        return;
      }
      if (context.state !== 'running') await context.resume();
      capturingTurn = command.turnId;
      expectedSeq = 0;
      silence.start();
      echo.setCapturing(true);
      postCapture({ type: 'capture-start', turnId: command.turnId });
    } else if (command.command === 'stop') {
      if (capturingTurn === command.turnId) {
        postCapture({ type: 'capture-stop', turnId: command.turnId });
      } else {
        // Nothing was captured for this turn (the microphone failed to open): say so at once.
        bridge.request.captureFlushed({ turnId: command.turnId, totalSamples: 0 }).catch(() => undefined);
      }
    } else {
      if (capturingTurn === null) releaseMic();
    }
  }

  // ---------- playback ----------

  function postPlayer(message: DuplexIn, transfer: Transferable[] = []): void {
    duplexNode?.port.postMessage(message, transfer);
  }

  function finishLocalCheck(): void {
    if (!localCheck) return;
    const { recording, done } = localCheck;
    localCheck = null;
    const { pcm, peak } = recording.take();
    done({
      samples: pcm.length,
      peak,
      play: () =>
        new Promise<void>((resolve) => {
          const itemId = `${LOCAL_CHECK_PREFIX}play-${++localCount}`;
          localPlays.set(itemId, resolve);
          if (context.state !== 'running') void context.resume();
          playingItems.add(itemId);
          const copy = pcm.slice(0).buffer;
          postPlayer({ type: 'chunk', itemId, pcm: copy }, [copy]);
          postPlayer({ type: 'end', itemId });
        }),
    });
  }

  function onPlayerMessage(message: Exclude<DuplexOut, { type: 'frame' | 'flushed' | 'levels' }>): void {
    // The microphone check's playback is this window's own business: main hears nothing of it.
    if ((message.type === 'first' || message.type === 'underrun') && isLocalCheckId(message.itemId)) return;
    if (message.type === 'finished' && isLocalCheckId(message.itemId)) {
      playingItems.delete(message.itemId);
      if (playingItems.size === 0) scheduleIdleCheck();
      localPlays.get(message.itemId)?.();
      localPlays.delete(message.itemId);
      return;
    }
    if (message.type === 'stopped') {
      for (const [id, resolve] of localPlays) {
        playingItems.delete(id);
        resolve();
      }
      localPlays.clear();
    }
    switch (message.type) {
      case 'first':
        stats.itemsStarted++;
        report({
          itemId: message.itemId,
          renderedSamples: message.renderedSamples,
          firstSampleAt: performance.timeOrigin + performance.now(),
        });
        break;
      case 'finished':
        playingItems.delete(message.itemId);
        if (playingItems.size === 0) scheduleIdleCheck();
        report({ itemId: message.itemId, renderedSamples: message.renderedSamples });
        break;
      case 'underrun':
        stats.underruns = message.underruns;
        break;
      case 'stopped':
        for (const id of playingItems) stoppedItems.add(id);
        if (message.itemId) stoppedItems.add(message.itemId);
        while (stoppedItems.size > 64) stoppedItems.delete(stoppedItems.values().next().value ?? '');
        playingItems.clear();
        scheduleIdleCheck();
        report({
          itemId: message.itemId ?? message.lastItemId ?? '',
          renderedSamples: message.itemId !== null ? message.renderedSamples : message.lastItemRendered,
          requestId: message.requestId,
        });
        break;
    }
  }

  function onPlaybackChunk(itemId: string, pcm: ArrayBuffer): void {
    if (disposed || pcm.byteLength < 2 || stoppedItems.has(itemId)) return;
    if (!duplexNode) {
      void ready.then(() => onPlaybackChunk(itemId, pcm));
      return;
    }
    playingItems.add(itemId);
    if (context.state !== 'running') void context.resume();
    try {
      postPlayer({ type: 'chunk', itemId, pcm }, [pcm]);
    } catch {
      // Not transferable (already detached or owned elsewhere): send a copy.
      postPlayer({ type: 'chunk', itemId, pcm: pcm.slice(0) });
    }
  }

  function onPlaybackCommand(command: PlaybackCommand): void {
    const send = (): void => {
      if (command.command === 'stop') postPlayer({ type: 'stop', requestId: command.requestId });
      else postPlayer({ type: 'end', itemId: command.itemId });
    };
    if (duplexNode) send();
    else void ready.then(send);
  }

  // ---------- devices ----------

  async function applyOutput(announce: boolean): Promise<void> {
    const devices = await listAudioDevices(media);
    const resolved = resolveDevice(devices.outputs, wantedOutput);
    if (resolved.fellBack) warn('output-device-missing', `The speaker "${wantedOutput ?? ''}" is not connected; using the default output.`);
    if (typeof context.setSinkId !== 'function') {
      if (wantedOutput && announce) warn('output-selection-unsupported', 'This system cannot choose the output device; using the default.');
      return;
    }
    const label = resolved.deviceId ? resolved.label : null;
    if (label === activeOutputLabel && !announce) return;
    await context.setSinkId(resolved.deviceId ?? '');
    activeOutputLabel = label;
  }

  async function applyInput(): Promise<void> {
    if (!stream) return;
    const devices = await listAudioDevices(media);
    const resolved = resolveDevice(devices.inputs, wantedInput);
    const current = activeInputId === 'default' ? undefined : activeInputId;
    if (resolved.fellBack) warn('input-device-missing', `The microphone "${wantedInput ?? ''}" is not connected; using the default microphone.`);
    if (resolved.deviceId === current) return;
    const next = await openMicrophone(media, resolved.deviceId, options.constraints);
    if (disposed) {
      closeMicrophone(next);
      return;
    }
    attachStream(next);
  }

  async function onDeviceChange(): Promise<void> {
    if (disposed) return;
    const devices = await listAudioDevices(media);
    for (const listener of deviceListeners) listener(devices);
    const inputGone = wantedInput !== null && resolveDevice(devices.inputs, wantedInput).fellBack;
    if (!inputGone) delete lastWarned['input-device-missing'];
    const outputGone = wantedOutput !== null && resolveDevice(devices.outputs, wantedOutput).fellBack;
    if (!outputGone) delete lastWarned['output-device-missing'];
    await Promise.all([applyInput(), applyOutput(false)]);
  }

  const deviceChangeHandler = (): void => {
    void onDeviceChange().catch(() => undefined);
  };
  media.addEventListener('devicechange', deviceChangeHandler);

  unsubscribers.push(
    bridge.on.capture(onCaptureCommand),
    bridge.on.playback(onPlaybackCommand),
    bridge.audio.onPlayback(onPlaybackChunk),
    () => media.removeEventListener('devicechange', deviceChangeHandler),
  );

  return {
    ready,
    onLevels(listener) {
      levelListeners.add(listener);
      return () => levelListeners.delete(listener);
    },
    onWarning(listener) {
      warningListeners.add(listener);
      return () => warningListeners.delete(listener);
    },
    onDevicesChanged(listener) {
      deviceListeners.add(listener);
      return () => deviceListeners.delete(listener);
    },
    async listDevices() {
      let list = await listAudioDevices(media);
      if (labelsHidden(list) && stream === null) {
        // Labels appear once the microphone permission is granted: ask once, close at once.
        closeMicrophone(await openMicrophone(media, undefined, options.constraints));
        list = await listAudioDevices(media);
      }
      return list;
    },
    async setInputDevice(label) {
      wantedInput = label;
      delete lastWarned['input-device-missing'];
      options.onDeviceChoice?.('input', label);
      await ready;
      await applyInput();
    },
    async setOutputDevice(label) {
      wantedOutput = label;
      delete lastWarned['output-device-missing'];
      options.onDeviceChoice?.('output', label);
      await ready;
      await applyOutput(true);
    },
    setMeterVisible(visible) {
      if (visible === meterVisible) return;
      meterVisible = visible;
      postLevelChoice();
    },
    async warmUp() {
      await ready;
      await ensureMic();
      if (capturingTurn === null) armWarmTimer();
    },
    async recordCheck(ms) {
      await ready;
      if (capturingTurn !== null || localCheck) throw new Error('The microphone is busy with a turn.');
      await ensureMic();
      if (capturingTurn !== null || localCheck) throw new Error('The microphone is busy with a turn.');
      if (warmTimer) clearTimeout(warmTimer);
      warmTimer = null;
      if (context.state !== 'running') await context.resume();
      const recording = new LocalRecording(`${LOCAL_CHECK_PREFIX}rec-${++localCount}`);
      return new Promise<MicRecording>((resolve, reject) => {
        const timer = setTimeout(() => postCapture({ type: 'capture-stop', turnId: recording.turnId }), ms);
        localCheck = { recording, timer, done: resolve, fail: reject };
        postCapture({ type: 'capture-start', turnId: recording.turnId });
      });
    },
    stats() {
      return {
        ...stats,
        micOpen: stream !== null,
        capturing: capturingTurn !== null,
        inputDeviceLabel: stream?.getAudioTracks()[0]?.label ?? null,
        outputDeviceLabel: activeOutputLabel,
        contextState: context.state,
        playbackGain: gain.gain.value,
        ducked: echo.isDucked,
        captureHopsMs: [...captureHops.slice(captureHopAt), ...captureHops.slice(0, captureHopAt)],
      };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const off of unsubscribers) off();
      if (warmTimer) clearTimeout(warmTimer);
      if (idleTimer) clearTimeout(idleTimer);
      source?.disconnect();
      closeMicrophone(stream);
      stream = null;
      await context.close().catch(() => undefined);
    },
  };
}
