/**
 * How the engine's connection is doing and what its errors mean for the user: the connection phase
 * (with the "reconnecting…" / "Reconnected." notices), a fatal error that stops the session until the
 * user tries again (DESIGN §3: invalid key, quota, billing), and the errors a turn does not survive.
 * Benign errors (an empty commit, a cancel with nothing active) never end anything.
 */
import type { Notice } from '../../preload/contract.ts';
import type { Logger } from '../base/logger.ts';
import type { ConnectionPhase, EngineError, VoiceEngine } from './engine/engine.ts';
import type { StatusLine } from './session-api.ts';
import type { TurnLedger } from './session-turns.ts';
import type { ActiveTurn } from './turn.ts';
import { FATAL_ACTIONS } from './engine/fatal-errors.ts';
import { redact } from '../base/redact.ts';

export interface ConnectionWatchDeps {
  logger: Logger;
  notice(notice: Notice): void;
  engine(): VoiceEngine;
  ledger: Pick<TurnLedger, 'findLast' | 'drop' | 'fail' | 'failUnfinished' | 'history'>;
  status: StatusLine;
  /** A fatal error: the microphone stops and hands-free closes. */
  haltMic(): void;
  changed(): void;
}

export class ConnectionWatch {
  #d: ConnectionWatchDeps;
  #phase: ConnectionPhase = 'closed';
  #fatal: string | null = null;

  constructor(deps: ConnectionWatchDeps) {
    this.#d = deps;
  }

  get phase(): ConnectionPhase {
    return this.#phase;
  }

  /** The message of a fatal error, until the user tries again. */
  get fatal(): string | null {
    return this.#fatal;
  }

  /** The user tries again (a press, a typed turn, a new conversation). */
  clearFatal(): void {
    this.#fatal = null;
  }

  /** A new engine took over: it has not connected yet. */
  engineReplaced(): void {
    this.#phase = 'closed';
  }

  onConnection(phase: ConnectionPhase, detail: { renewed?: boolean }): void {
    const was = this.#phase;
    this.#phase = phase;
    const { notice } = this.#d;
    if (phase === 'reconnecting' && was !== 'reconnecting') {
      notice({ level: 'warning', message: 'Lost the connection to OpenAI; reconnecting…', subject: 'connection' });
    } else if (phase === 'open' && was === 'reconnecting') {
      notice({ level: 'info', message: 'Reconnected.', subject: 'connection' });
    } else if (phase === 'open' && detail.renewed) {
      this.#d.logger.info('session renewed; context replayed', { turns: this.#d.ledger.history.length });
    }
    if (phase === 'failed') this.#d.ledger.failUnfinished(this.#fatal ?? 'The connection failed.');
    this.#d.changed();
  }

  onError(e: EngineError): void {
    const { ledger, notice } = this.#d;
    if (e.benign) {
      if (e.code === 'input_audio_buffer_commit_empty') {
        const t = ledger.findLast((x) => x.committed && !x.finished && x.responseIds.size === 0);
        if (t) {
          this.#d.status.set('Hold the key while you speak.');
          ledger.drop(t.id, 'too-short');
        }
      }
      this.#d.changed();
      return;
    }
    if (e.fatal) {
      this.#onFatal(e);
      return;
    }
    if (e.code === 'session_expired') return; // renewal follows the close
    // A turn that waits for a response that will never come must not hang in 'thinking'.
    let failed: ActiveTurn | undefined;
    if (e.causeType === 'response.create' || e.causeType === 'input_audio_buffer.commit') {
      const t = ledger.findLast((x) => !x.finished && x.openResponses.size === 0 && x.pendingTools === 0);
      if (t && !this.#d.engine().responseActive()) failed = t;
    }
    notice({
      level: 'warning',
      message: `The voice service reported: ${redact(e.message)}`,
      subject: 'service',
      ...(failed ? { button: 'try-again' as const } : {}),
    });
    if (failed) ledger.fail(failed, redact(e.message));
    this.#d.changed();
  }

  #onFatal(e: EngineError): void {
    const known = e.code ? FATAL_ACTIONS[e.code] : undefined;
    const message = known?.message ?? e.message;
    this.#fatal = message;
    // The key is fixed in Settings; quota and billing on OpenAI's site; anything else is worth another try.
    const fix =
      e.code === 'invalid_api_key'
        ? { subject: 'api-key' as const, button: 'open-settings' as const }
        : known
          ? { subject: 'service' as const }
          : { subject: 'connection' as const, button: 'try-again' as const };
    this.#d.notice({ level: 'error', message, action: known?.action ?? 'Check your network and press the hotkey to try again.', ...fix });
    this.#d.haltMic();
    this.#d.ledger.failUnfinished(message);
    this.#d.changed();
  }
}
