/**
 * Turns typed (or shown) rather than spoken: a message, or a picture with optional words, as one user
 * item in the same conversation. Its user line is final at once, so the bubble stands above its answer
 * from the start; the item goes out only after a pending barge-in has sent its truncate, so the model
 * answers knowing what was heard.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../base/clock.ts';
import type { VoiceEngine } from './engine/engine.ts';
import type { SendTextResult, ShownImage } from './session-api.ts';
import type { TurnLedger } from './session-turns.ts';
import type { TranscriptAssembler } from './transcripts.ts';
import type { TurnInput } from './turn.ts';
import { textItemId } from './session-turns.ts';
import { newTurn } from './turn.ts';

export interface TypedTurnsDeps {
  clock: Clock;
  engine(): VoiceEngine;
  ledger: Pick<TurnLedger, 'add' | 'noteImage'>;
  transcripts: TranscriptAssembler;
  disposed(): boolean;
  /** May a typed turn start now? A refusal says why; otherwise the way is cleared (a barge-in if the assistant speaks). */
  admit(): SendTextResult | null;
  /** Settles once the last barge-in has sent its truncate (or delete). */
  bargeInSettled(): Promise<void>;
  /** Renew if old, and connect. */
  connect(): void;
  changed(): void;
}

export class TypedTurns {
  #d: TypedTurnsDeps;

  constructor(deps: TypedTurnsDeps) {
    this.#d = deps;
  }

  sendText(text: string, replyAs: TurnInput['replyAs']): SendTextResult {
    const body = text.trim();
    if (!body && !this.#d.disposed()) return { sent: false, reason: 'Type a message first.' };
    return this.#send({ text: body }, { kind: 'text', replyAs }, (itemId) => this.#d.engine().sendUserText(itemId, body, { textOnly: replyAs === 'text' }));
  }

  sendImage(shown: ShownImage, text: string | null, replyAs: TurnInput['replyAs']): SendTextResult {
    const words = text?.trim() || null;
    let turnId = '';
    const result = this.#send({ text: words ?? '', picture: shown.label }, { kind: 'image', replyAs }, (itemId) => {
      this.#d.ledger.noteImage(shown, turnId);
      this.#d.engine().sendUserImage(itemId, shown.image, words, { textOnly: replyAs === 'text' });
    });
    if (result.sent) turnId = result.turnId;
    return result;
  }

  #send(line: { text: string; picture?: string }, input: TurnInput, write: (itemId: string) => void): SendTextResult {
    const refused = this.#d.admit();
    if (refused) return refused;
    const { clock, ledger, transcripts } = this.#d;
    const now = clock.now();
    const t = newTurn(randomUUID(), clock.epochMs(), input);
    const itemId = textItemId();
    t.committed = true;
    t.userItemId = itemId;
    t.keyUpAt = now;
    t.keyUpEpoch = t.startedAtEpochMs;
    ledger.add(t);
    transcripts.done('user', itemId, line.text, line.picture);
    const send = (): void => {
      if (this.#d.disposed() || t.finished) return;
      this.#d.connect();
      write(itemId);
      this.#d.changed();
    };
    // After a barge-in (this one, or a Stop just before) the truncate goes first. With none pending
    // this runs in the next microtask.
    void this.#d.bargeInSettled().then(send);
    this.#d.changed();
    return { sent: true, turnId: t.id };
  }
}
