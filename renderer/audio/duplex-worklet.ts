/**
 * The session's one AudioWorklet processor: capture and playback in a single `process()` call per
 * render quantum (half the audio-thread calls, and one message stream to the main thread).
 *
 * Capture (input 0, the microphone, mono at the context rate): numbered PCM16 frames of 480
 * samples, posted only during a turn; on stop the partial frame goes out at once.
 * Playback (output 0): PCM16 chunks per output item → a ring buffer → gap-free mono output; it
 * reports the first rendered sample of each item, the final count when an item finishes, every
 * underrun, and on stop goes silent from the next render quantum with the exact count.
 * Levels: one window of microphone and playback levels about 30 times a second, while a
 * microphone is connected or the playback sounds (an idle session posts nothing). During a turn
 * the window rides on the next frame instead of a message of its own.
 */
import { FrameAssembler } from './frame-assembler.ts';
import { LevelMeter, type Level } from './level-meter.ts';
import { PlaybackQueue, type PlaybackEvent } from './playback-queue.ts';
import { pcm16View } from './pcm.ts';
import {
  DUPLEX_PROCESSOR,
  FRAME_SAMPLES,
  LEVEL_WINDOW_SAMPLES,
  type DuplexIn,
  type DuplexOut,
  type LevelWindow,
  type PlayerConfig,
} from './worklet-messages.ts';

const QUANTUM = 128;
const SILENCE = new Float32Array(QUANTUM);

class DuplexProcessor extends AudioWorkletProcessor {
  // capture
  private readonly assembler = new FrameAssembler(FRAME_SAMPLES);
  private readonly inputMeter = new LevelMeter(LEVEL_WINDOW_SAMPLES);
  private turnId: string | null = null;
  private expectedFrame = -1;
  private renderGaps = 0;
  /** A level window completed during the turn, waiting for the next frame (or the flush). */
  private pendingLevels: LevelWindow | null = null;
  /** Made once: assembler.push calls it for every completed frame. */
  private readonly emitFrame = (pcm: Int16Array, seq: number): void => {
    if (this.turnId !== null) this.postFrame(this.turnId, pcm, seq);
  };
  // playback
  private readonly queue: PlaybackQueue;
  private readonly outputMeter = new LevelMeter(LEVEL_WINDOW_SAMPLES);
  /** What to post outside turns (see DuplexIn 'levels-outside-turns'). */
  private meterLevels = true;
  private echoLearning = false;
  /** The playback sounded during the current / the previous level window. */
  private sounding = false;
  private soundedBefore = false;

  constructor(options?: AudioWorkletNodeOptions) {
    super();
    const config = options?.processorOptions as PlayerConfig | undefined;
    this.queue = new PlaybackQueue({
      preRollSamples: config?.preRollSamples ?? 480,
      maxPrimeWaitSamples: config?.maxPrimeWaitSamples ?? 1200,
      initialCapacity: config?.initialCapacity ?? sampleRate * 4,
    });
    this.port.onmessage = (event: MessageEvent<DuplexIn>) => this.onCommand(event.data);
  }

  private onCommand(message: DuplexIn): void {
    switch (message.type) {
      case 'capture-start':
        this.assembler.reset();
        this.turnId = message.turnId;
        this.renderGaps = 0;
        this.expectedFrame = -1;
        this.pendingLevels = null;
        break;
      case 'capture-stop': {
        const turnId = this.turnId ?? message.turnId;
        const last = this.turnId !== null ? this.assembler.flush() : null;
        if (last) this.postFrame(turnId, last.pcm, last.seq);
        const flushed: DuplexOut = {
          type: 'flushed',
          turnId,
          totalSamples: this.assembler.totalSamples,
          frames: this.assembler.seq,
          renderGaps: this.renderGaps,
        };
        if (this.pendingLevels) flushed.levels = this.pendingLevels;
        this.port.postMessage(flushed);
        this.turnId = null;
        this.pendingLevels = null;
        this.assembler.reset();
        break;
      }
      case 'levels-outside-turns':
        this.meterLevels = message.meter;
        this.echoLearning = message.echoLearning;
        break;
      case 'chunk':
        this.queue.push(message.itemId, pcm16View(message.pcm));
        break;
      case 'end':
        for (const e of this.queue.end(message.itemId)) this.forward(e, 0);
        break;
      case 'stop': {
        const result = this.queue.stop();
        const last = this.queue.lastStartedItem;
        this.post({
          type: 'stopped',
          requestId: message.requestId,
          itemId: result.itemId,
          renderedSamples: result.renderedSamples,
          lastItemId: last,
          lastItemRendered: last ? this.queue.renderedOf(last) : 0,
          silentFromFrame: currentFrame + QUANTUM,
        });
        break;
      }
    }
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    // Playback first: its level window must be complete when the capture side reads it.
    const out = outputs[0]?.[0];
    let outputLevel: Level | null;
    if (out && (this.queue.active || this.queue.buffered > 0)) {
      const events = this.queue.render(out);
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        if (e) this.forward(e, currentFrame);
      }
      outputLevel = this.outputMeter.add(out);
      this.sounding = true;
    } else {
      // The output buffer is already silent (Web Audio zeroes it); only keep the window in step.
      outputLevel = this.outputMeter.addSilence(QUANTUM);
    }

    // Capture. With no input connected (the microphone is being switched) keep time with silence.
    const channel = inputs[0]?.[0];
    if (this.turnId !== null) {
      if (this.expectedFrame >= 0 && currentFrame !== this.expectedFrame) this.renderGaps++;
      this.expectedFrame = currentFrame + QUANTUM;
    }
    const inputLevel = channel ? this.inputMeter.add(channel) : this.inputMeter.addSilence(QUANTUM);
    // Both meters advance by one quantum per call, so their windows complete together.
    if (inputLevel && outputLevel) this.onWindow(inputLevel, channel !== undefined, outputLevel);
    if (this.turnId !== null) this.assembler.push(channel ?? SILENCE, this.emitFrame);
    return true;
  }

  private onWindow(input: Level, hasInput: boolean, output: Level): void {
    const sounded = this.sounding;
    const soundedBefore = this.soundedBefore;
    this.soundedBefore = sounded;
    this.sounding = false;
    if (this.turnId !== null) {
      // During a turn the window rides on the next frame (no message of its own).
      if (hasInput || sounded || soundedBefore) this.pendingLevels = { input, hasInput, output };
      return;
    }
    // Every message wakes the page's main thread (≈ 2 ms of CPU each here, CPU.md): post only what
    // someone uses. For a meter, one more window after the playback went quiet lets it fall to zero.
    const wanted = this.meterLevels ? hasInput || sounded || soundedBefore : this.echoLearning && hasInput && sounded;
    if (wanted) this.post({ type: 'levels', levels: { input, hasInput, output } });
  }

  private postFrame(turnId: string, pcm: Int16Array, seq: number): void {
    const buffer = pcm.buffer as ArrayBuffer;
    const frame: DuplexOut = { type: 'frame', turnId, seq, pcm: buffer, at: Date.now() };
    if (this.pendingLevels) {
      frame.levels = this.pendingLevels;
      this.pendingLevels = null;
    }
    this.port.postMessage(frame, [buffer]);
  }

  private forward(event: PlaybackEvent, frame: number): void {
    if (event.type === 'first') this.post({ type: 'first', itemId: event.itemId, frame: frame + event.offset, renderedSamples: event.renderedSamples });
    else this.post(event);
  }

  private post(message: DuplexOut): void {
    this.port.postMessage(message);
  }
}

registerProcessor(DUPLEX_PROCESSOR, DuplexProcessor);
