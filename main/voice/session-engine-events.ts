/**
 * What each engine event (engine.ts EngineListener) means for the session's turns: which turn a
 * commit, a response, audio or text belongs to, the timestamps its latency is measured from, and how
 * a response ends (priced, its audio closed, the turn finished when nothing of it is pending).
 * Connection changes, errors and rate limits go to the session itself.
 */
import { randomUUID } from 'node:crypto';
import type { Notice } from '../../preload/contract.ts';
import type { Clock } from '../base/clock.ts';
import type { EngineListener } from './engine/engine.ts';
import type { BargeInOptions } from './session-barge-in.ts';
import type { PlaybackTracker } from './session-playback.ts';
import type { ToolRunner } from './session-tools.ts';
import type { TurnLedger } from './session-turns.ts';
import type { TranscriptAssembler } from './transcripts.ts';
import { newTurn } from './turn.ts';

export interface EngineEventDeps {
  clock: Clock;
  ledger: TurnLedger;
  playback: PlaybackTracker;
  transcripts: TranscriptAssembler;
  tools: ToolRunner;
  notice(notice: Notice): void;
  /** What the session itself handles. */
  session: Pick<EngineListener, 'connection' | 'error' | 'rateLimits'> & {
    handsFreeOpen(): boolean;
    assistantBusy(): boolean;
    bargeIn(options: BargeInOptions): void;
    changed(): void;
  };
}

export function engineListener(d: EngineEventDeps): EngineListener {
  const { clock, ledger, playback, transcripts, tools, session } = d;
  return {
    connection: (phase, detail) => session.connection(phase, detail),
    commitWritten: (at) => {
      const t = ledger.findLast((x) => x.committed && x.commitAt == null && x.input.kind === 'voice');
      if (t) t.commitAt = at;
    },
    userTextWritten: (itemId, at) => {
      const t = ledger.find((x) => x.userItemId === itemId);
      if (t && t.commitAt == null) t.commitAt = at;
    },
    inputCommitted: (itemId) => {
      transcripts.place('user', itemId);
      const t = ledger.findLast((x) => !x.finished && x.userItemId == null);
      if (t) {
        t.userItemId = itemId;
        t.committed = true;
      }
    },
    speechStarted: () => {
      if (!session.handsFreeOpen()) return;
      // With interrupt_response the server cancels its own response when the user speaks: we
      // only stop the player and truncate to what was heard.
      if (session.assistantBusy()) session.bargeIn({ serverCancels: true });
      ledger.add(newTurn(randomUUID(), clock.epochMs()));
      session.changed();
    },
    speechStopped: () => {
      const t = ledger.findLast((x) => !x.finished && x.keyUpAt == null);
      if (t) {
        t.keyUpAt = clock.now();
        t.keyUpEpoch = clock.epochMs();
        t.commitAt = t.keyUpAt; // the server commits on its own in hands-free
      }
    },
    responseStarted: (responseId) => {
      ledger.responseStarted(responseId);
      let t = ledger.findLast((x) => !x.finished && !x.aborted && (x.committed || x.toolCalls.length > 0));
      if (!t) {
        t = newTurn(randomUUID(), clock.epochMs());
        t.committed = true;
        ledger.add(t);
      }
      t.responseIds.add(responseId);
      t.openResponses.add(responseId);
      session.changed();
    },
    audio: (itemId, responseId, pcm) => {
      if (ledger.isCancelled(responseId)) return;
      const t = ledger.byResponse(responseId);
      if (!t || t.aborted) return;
      playback.audio(t, itemId, pcm);
    },
    audioDone: (itemId) => playback.audioDone(itemId),
    transcriptDelta: (role, itemId, delta) => {
      if (role === 'assistant' && playback.wasCut(itemId)) return;
      transcripts.delta(role, itemId, delta);
    },
    transcriptDone: (role, itemId, text) => {
      if (role === 'assistant' && playback.wasCut(itemId)) return;
      transcripts.done(role, itemId, text);
    },
    outputText: (itemId, responseId, text, done) => {
      if (ledger.isCancelled(responseId)) return;
      const t = ledger.byResponse(responseId);
      if (!t || t.aborted) return;
      if (!t.assistantItemIds.includes(itemId)) t.assistantItemIds.push(itemId);
      if (t.firstAudioAt == null) {
        // The first text of a text-only answer is what "first audio" is for a spoken one; nothing
        // is played, so the answer is "rendered" when it arrives.
        t.firstAudioAt = clock.now();
        t.firstAudioEpoch = clock.epochMs();
        if (t.input.replyAs === 'text') t.firstSampleAt = t.firstAudioEpoch;
      }
      if (done) transcripts.done('assistant', itemId, text);
      else transcripts.delta('assistant', itemId, text);
      session.changed();
    },
    functionCall: (call) => void tools.run(call),
    mcpApprovalRequest: (request) => void tools.answerMcpApproval(request),
    responseDone: (summary) => {
      const t = ledger.responseDone(summary);
      if (!t) {
        session.changed();
        return;
      }
      playback.endTurnAudio(t);
      if (!summary.hadFunctionCalls || t.aborted) t.finalResponseDone = true;
      if (summary.status === 'failed' && !t.failed) t.failed = 'The response failed on the server.';
      ledger.maybeFinish(t);
      session.changed();
    },
    rateLimits: (limits) => session.rateLimits(limits),
    error: (e) => session.error(e),
    responseLost: (responseId) => {
      const t = ledger.find((x) => !x.finished && (responseId == null || x.responseIds.has(responseId)));
      if (!t) return;
      t.failed = 'The connection dropped during the reply.';
      t.openResponses.clear();
      t.finalResponseDone = true;
      d.notice({
        level: 'warning',
        message: 'The connection dropped during the reply; that answer is incomplete.',
        action: 'Press the hotkey and ask again.',
        subject: 'turn',
        button: 'try-again',
      });
      playback.abandon(t, 'unended');
      // What arrived of the answer stays on screen, in the history and in the replayed context as
      // a finished line marked as cut, not as a line still being typed.
      for (const itemId of t.assistantItemIds) transcripts.truncate(itemId, 1);
      ledger.maybeFinish(t);
    },
  };
}
