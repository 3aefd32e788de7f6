/**
 * Player AudioWorklet: PCM16 chunks per output item → a ring buffer → gap-free mono output.
 * Reports the first rendered sample of each item, the final count when an item finishes, every
 * underrun, output levels about 30 times a second, and on stop goes silent from the next render
 * quantum with the exact count of the current item.
 */
import { LevelMeter } from './level-meter.ts';
import { PlaybackQueue } from './playback-queue.ts';
import { pcm16View } from './pcm.ts';
import {
  LEVEL_WINDOW_SAMPLES,
  PLAYER_PROCESSOR,
  type PlayerConfig,
  type PlayerIn,
  type PlayerOut,
} from './worklet-messages.ts';

const QUANTUM = 128;

class PlayerProcessor extends AudioWorkletProcessor {
  private readonly queue: PlaybackQueue;
  private readonly meter = new LevelMeter(LEVEL_WINDOW_SAMPLES);
  private wasActive = false;

  constructor(options?: AudioWorkletNodeOptions) {
    super();
    const config = options?.processorOptions as PlayerConfig | undefined;
    this.queue = new PlaybackQueue({
      preRollSamples: config?.preRollSamples ?? 480,
      maxPrimeWaitSamples: config?.maxPrimeWaitSamples ?? 1200,
      initialCapacity: config?.initialCapacity ?? sampleRate * 4,
    });
    this.port.onmessage = (event: MessageEvent<PlayerIn>) => this.onCommand(event.data);
  }

  private onCommand(message: PlayerIn): void {
    switch (message.type) {
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

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const active = this.queue.active;
    if (active || this.queue.buffered > 0) {
      for (const e of this.queue.render(out)) this.forward(e, currentFrame);
      const level = this.meter.add(out);
      if (level) this.post({ type: 'level', level });
      this.wasActive = true;
    } else if (this.wasActive) {
      // Went quiet: close the meter window so the UI falls back to zero.
      this.wasActive = false;
      const level = this.meter.addSilence(LEVEL_WINDOW_SAMPLES);
      if (level) this.post({ type: 'level', level });
    }
    return true;
  }

  private forward(event: ReturnType<PlaybackQueue['render']>[number], frame: number): void {
    if (event.type === 'first') this.post({ type: 'first', itemId: event.itemId, frame: frame + event.offset, renderedSamples: event.renderedSamples });
    else this.post(event);
  }

  private post(message: PlayerOut): void {
    this.port.postMessage(message);
  }
}

registerProcessor(PLAYER_PROCESSOR, PlayerProcessor);
