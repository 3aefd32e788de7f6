/**
 * Test-only tap: records exactly what reaches it (the session's output node), quantum by quantum,
 * with the context frame of each block, and passes nothing on.
 */
const BLOCK = 128 * 64;

class TapProcessor extends AudioWorkletProcessor {
  private block = new Float32Array(BLOCK);
  private fill = 0;
  private blockFrame = 0;
  private armed = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<{ type: 'arm' | 'flush' }>) => {
      if (event.data.type === 'arm') {
        this.armed = true;
        this.fill = 0;
      } else {
        this.post();
        this.armed = false;
        this.port.postMessage({ type: 'flushed' });
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (!this.armed) return true;
    const channel = inputs[0]?.[0];
    if (this.fill === 0) this.blockFrame = currentFrame;
    if (channel) this.block.set(channel, this.fill);
    else this.block.fill(0, this.fill, this.fill + 128);
    this.fill += 128;
    if (this.fill === BLOCK) this.post();
    return true;
  }

  private post(): void {
    if (this.fill === 0) return;
    const samples = this.block.slice(0, this.fill);
    this.port.postMessage({ type: 'block', frame: this.blockFrame, samples }, [samples.buffer]);
    this.fill = 0;
  }
}

registerProcessor('earshot-test-tap', TapProcessor);
