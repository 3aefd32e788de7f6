/**
 * Barge-in (DESIGN §2 "Barge-in"; docs/architecture.md "Barge-in and truncation"): the player goes
 * silent first, the response is cancelled without waiting for the player, and once the player says
 * how much it rendered, each cut item is truncated to what was heard (or deleted if nothing was), so
 * the model's context, the transcript and the history match what the user heard.
 */
import type { Clock } from '../base/clock.ts';
import type { Logger } from '../base/logger.ts';
import type { VoiceEngine } from './engine/engine.ts';
import type { PlaybackPort } from './ports.ts';
import type { HeardPart, PlaybackTracker } from './session-playback.ts';
import type { TurnLedger } from './session-turns.ts';
import type { TranscriptAssembler } from './transcripts.ts';
import type { ActiveTurn } from './turn.ts';

export interface BargeInDeps {
  player: PlaybackPort;
  playback: PlaybackTracker;
  engine(): VoiceEngine;
  ledger: Pick<TurnLedger, 'activeResponseId' | 'cancel' | 'byResponse' | 'maybeFinish'>;
  transcripts: TranscriptAssembler;
  clock: Clock;
  logger: Logger;
  changed(): void;
}

export interface BargeInOptions {
  /** Hands-free with interrupt_response: the server cancels its own response when the user speaks. */
  serverCancels?: boolean;
}

/** A cancelled response still sends response.done (with usage); the turn does not wait for it longer. */
const CANCELLED_RESPONSE_WAIT_MS = 3000;

/** Cuts the assistant off. Settles once the truncate (or delete) is sent: a typed turn waits for it. */
export function bargeIn(d: BargeInDeps, options: BargeInOptions = {}): Promise<void> {
  const stopping = d.player.stop(); // first: silence at once
  const responseId = d.ledger.activeResponseId;
  const playing = d.playback.stopAll();
  const owner = playing[0]?.turn ?? (responseId != null ? d.ledger.byResponse(responseId) : undefined) ?? null;
  // The turn is marked cut off before the engine is told: an HTTP engine reports its cancelled
  // response at once (inside cancelResponse), and the turn must not be closed as completed then.
  if (owner) {
    owner.aborted = true;
    owner.awaitingStopReport = true;
  }
  const cancelled = options.serverCancels ? responseId !== null : d.engine().cancelResponse(); // at once, without waiting for the player
  if (cancelled && responseId) d.ledger.cancel(responseId);
  if (owner) {
    d.clock.setTimeout(() => {
      owner.openResponses.clear();
      owner.awaitingStopReport = false;
      d.ledger.maybeFinish(owner);
    }, CANCELLED_RESPONSE_WAIT_MS);
    // A text-only answer has nothing to truncate: what was shown of it stays, marked as cut.
    for (const id of owner.assistantItemIds) if (!d.playback.has(id) && d.transcripts.has(id)) d.transcripts.truncate(id, 1);
  }
  return stopping.then(
    (report) => afterStop(d, d.playback.heard(report, playing), owner),
    (err: unknown) => {
      d.logger.warn('playback.stop failed', { error: String(err) });
      afterStop(d, d.playback.heard(null, playing), owner);
    },
  );
}

/** The player has answered: tell the model what was heard of each cut item, and correct the transcript. */
function afterStop(d: BargeInDeps, heard: HeardPart[], owner: ActiveTurn | null): void {
  const engine = d.engine();
  for (const part of heard) {
    if (part.heardMs > 0) engine.truncate(part.itemId, part.heardMs);
    else engine.deleteItem(part.itemId);
    d.transcripts.truncate(part.itemId, part.heardFraction);
    part.turn.truncatedAtMs = part.heardMs;
  }
  if (owner) {
    owner.awaitingStopReport = false;
    d.ledger.maybeFinish(owner);
  }
  d.changed();
}
