/**
 * Capture AudioWorklet: mono input at the context rate (24 kHz) → numbered PCM16 frames of 480
 * samples, posted only during a turn, plus an input level about 30 times a second. On stop the
 * partial frame goes out at once.
 */
import { FrameAssembler } from './frame-assembler.ts';
import { LevelMeter } from './level-meter.ts';
import { CAPTURE_PROCESSOR, FRAME_SAMPLES, LEVEL_WINDOW_SAMPLES, type CaptureIn, type CaptureOut } from './worklet-messages.ts';

const QUANTUM = 128;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly assembler = new FrameAssembler(FRAME_SAMPLES);
  private readonly meter = new LevelMeter(LEVEL_WINDOW_SAMPLES);
  private turnId: string | null = null;
  private expectedFrame = -1;
  private renderGaps = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<CaptureIn>) => this.onCommand(event.data);
  }

  private onCommand(message: CaptureIn): void {
    if (message.type === 'start') {
      this.assembler.reset();
      this.turnId = message.turnId;
      this.renderGaps = 0;
      this.expectedFrame = -1;
    } else if (message.type === 'stop') {
      const turnId = this.turnId ?? message.turnId;
      const last = this.turnId !== null ? this.assembler.flush() : null;
      if (last) this.postFrame(turnId, last.pcm, last.seq);
      this.post({
        type: 'flushed',
        turnId,
        totalSamples: this.assembler.totalSamples,
        frames: this.assembler.seq,
        renderGaps: this.renderGaps,
      });
      this.turnId = null;
      this.assembler.reset();
    }
  }

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (this.turnId !== null) {
      if (this.expectedFrame >= 0 && currentFrame !== this.expectedFrame) this.renderGaps++;
      this.expectedFrame = currentFrame + QUANTUM;
    }
    let level;
    if (channel) {
      level = this.meter.add(channel);
      const turnId = this.turnId;
      if (turnId !== null) this.assembler.push(channel, (pcm, seq) => this.postFrame(turnId, pcm, seq));
    } else {
      level = this.meter.addSilence(QUANTUM);
      // No input connected (the microphone is being switched): keep time with silence.
      const turnId = this.turnId;
      if (turnId !== null) this.assembler.push(SILENCE, (pcm, seq) => this.postFrame(turnId, pcm, seq));
    }
    // Levels only while a microphone is connected: an idle session posts nothing.
    if (level && channel) this.post({ type: 'level', level, hasInput: true });
    return true;
  }

  private postFrame(turnId: string, pcm: Int16Array, seq: number): void {
    const buffer = pcm.buffer as ArrayBuffer;
    this.port.postMessage({ type: 'frame', turnId, seq, pcm: buffer, at: Date.now() } satisfies CaptureOut, [buffer]);
  }

  private post(message: CaptureOut): void {
    this.port.postMessage(message);
  }
}

const SILENCE = new Float32Array(QUANTUM);

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
