/**
 * The engine the session talks to now (DESIGN §2 "One engine interface"): built for the engine the
 * config names, renewed before it gets too old (DESIGN §3: a session lasts at most 60 minutes; renew
 * between turns, replaying the text history), and replaced by another engine when the user picks one.
 */
import type { VoiceConfig } from './config.ts';
import type { EngineListener, HistoryEntry, VoiceEngine } from './engine/engine.ts';
import type { VoiceSessionPorts } from './session-api.ts';
import { createEngine } from './engine/create-engine.ts';

export interface EngineSlotDeps {
  ports: Pick<VoiceSessionPorts, 'createEngine' | 'tools' | 'credentials' | 'clock' | 'logger'>;
  config(): VoiceConfig;
  handsFreeOpen(): boolean;
  /** The text history a new engine (or a renewed session) replays. */
  history(): HistoryEntry[];
  listener: EngineListener;
  /** A new engine took over and has not connected yet (called before it is asked to connect). */
  replaced(): void;
}

export class EngineSlot {
  #d: EngineSlotDeps;
  #engine: VoiceEngine;

  constructor(deps: EngineSlotDeps) {
    this.#d = deps;
    this.#engine = this.#make();
  }

  get current(): VoiceEngine {
    return this.#engine;
  }

  /** The config names another engine than the one running. */
  outdated(): boolean {
    return this.#engine.kind !== this.#d.config().engine;
  }

  /** Before anything is sent: renew a session that is getting old (between turns only), and connect. */
  connect(): void {
    const engine = this.#engine;
    const age = engine.sessionAgeMs();
    if (age != null && age >= this.#d.config().renewAfterMs && !engine.responseActive()) engine.renew(this.#d.history());
    engine.ensureConnected();
  }

  /**
   * The old engine closes and a new one of the kind the config names takes over the same
   * conversation (its text history is replayed like after a renewal). An open hands-free microphone
   * moves to the new engine. The caller makes sure nothing is running.
   */
  replace(): void {
    const { logger } = this.#d.ports;
    const old = this.#engine;
    this.#engine = this.#make();
    this.#d.replaced();
    if (this.#d.handsFreeOpen()) {
      this.#engine.ensureConnected();
      this.#engine.updateSession(this.#d.config(), true);
    }
    void old.close().catch((error: unknown) => logger.warn('closing the previous engine failed', { error: String(error) }));
    logger.info('engine switched', { from: old.kind, to: this.#engine.kind });
  }

  #make(): VoiceEngine {
    const { ports, config } = this.#d;
    const factory = ports.createEngine ?? createEngine;
    const engine = factory(config().engine, {
      config,
      tools: () => ports.tools.definitions(),
      nativeTools: () => ports.tools.nativeTools?.() ?? [],
      handsFreeOpen: this.#d.handsFreeOpen,
      credentials: ports.credentials,
      clock: ports.clock,
      logger: ports.logger,
      listener: this.#d.listener,
    });
    engine.setHistory(this.#d.history());
    return engine;
  }
}
