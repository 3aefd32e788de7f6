/**
 * Sentence pipelining: each sentence gets its own speech request as soon as it is written, at most
 * `maxInFlight` at a time, and their audio is handed on strictly in sentence order — a later sentence
 * that answers first is held until the ones before it are done. The first failure stops the queue.
 */

export interface SpeechQueueHooks {
  /** Start speaking sentence `index`; push its PCM through `onAudio`; resolve with its usage. */
  speak(index: number, text: string, onAudio: (pcm: Int16Array) => void): Promise<unknown>;
  /** Sentence `index` begins to be heard (its first audio is about to be emitted). */
  sentenceStarted(index: number, text: string): void;
  audio(index: number, pcm: Int16Array): void;
  /** All of sentence `index`'s audio was emitted. */
  sentenceDone(index: number): void;
}

interface Item {
  text: string;
  started: boolean;
  finished: boolean;
  buffered: Int16Array[];
  emitting: boolean;
}

export class SpeechQueue {
  #hooks: SpeechQueueHooks;
  #maxInFlight: number;
  #items: Item[] = [];
  /** The sentence whose audio is being emitted now. */
  #current = 0;
  #inFlight = 0;
  #closed = false;
  #failed: unknown = null;
  #settle: { resolve(): void; reject(e: unknown): void } | null = null;
  #done: Promise<void>;

  constructor(hooks: SpeechQueueHooks, maxInFlight = 2) {
    this.#hooks = hooks;
    this.#maxInFlight = Math.max(1, maxInFlight);
    this.#done = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.#done.catch(() => undefined); // observed by finish()
  }

  add(text: string): void {
    if (this.#closed || this.#failed) return;
    this.#items.push({ text, started: false, finished: false, buffered: [], emitting: false });
    this.#pump();
  }

  /** No more sentences: resolves once every sentence's audio was emitted (rejects on a failure). */
  finish(): Promise<void> {
    this.#closed = true;
    this.#advance();
    return this.#done;
  }

  /** Stop: no new requests; what is in flight is the caller's to abort. */
  stop(): void {
    this.#closed = true;
    this.#failed ??= new Error('stopped');
    this.#settle?.reject(this.#failed);
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && !this.#failed) {
      const index = this.#items.findIndex((i) => !i.started);
      if (index < 0) return;
      const item = this.#items[index] as Item;
      item.started = true;
      this.#inFlight++;
      this.#hooks
        .speak(index, item.text, (pcm) => this.#onAudio(index, pcm))
        .then(
          () => {
            this.#inFlight--;
            item.finished = true;
            this.#advance();
            this.#pump();
          },
          (err: unknown) => {
            this.#inFlight--;
            if (this.#failed) return;
            this.#failed = err;
            this.#settle?.reject(err);
          },
        );
    }
  }

  #onAudio(index: number, pcm: Int16Array): void {
    if (this.#failed) return;
    const item = this.#items[index];
    if (!item) return;
    if (index === this.#current) {
      this.#emit(index, item, pcm);
    } else item.buffered.push(pcm);
  }

  #emit(index: number, item: Item, pcm: Int16Array): void {
    if (!item.emitting) {
      item.emitting = true;
      this.#hooks.sentenceStarted(index, item.text);
    }
    this.#hooks.audio(index, pcm);
  }

  /** Move on past finished sentences, flushing what the next one already buffered. */
  #advance(): void {
    if (this.#failed) return;
    for (;;) {
      const item = this.#items[this.#current];
      if (!item) {
        if (this.#closed && this.#inFlight === 0) this.#settle?.resolve();
        return;
      }
      for (const pcm of item.buffered.splice(0)) this.#emit(this.#current, item, pcm);
      if (!item.finished) return;
      if (!item.emitting) {
        // A sentence that produced no audio is still "said": its text joins the transcript.
        item.emitting = true;
        this.#hooks.sentenceStarted(this.#current, item.text);
      }
      this.#hooks.sentenceDone(this.#current);
      this.#current++;
    }
  }
}
