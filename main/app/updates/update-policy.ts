/**
 * When Earshot looks for, downloads and installs its own updates (issue 13). Plain Node: the
 * updater itself is a port (UpdaterDriver, implemented over electron-updater in
 * electron-updater-driver.ts), so this is tested against a real feed without Electron.
 *
 * - Nothing at all happens in development (not packaged) or with the `autoUpdate` setting off: the
 *   driver is not even created, so no request leaves the machine.
 * - Checked shortly after start and then once a day; a check that falls due during a turn waits
 *   until the turn ends (a download competing with the Realtime socket would cost latency).
 * - An update found is downloaded in the background and then offered ("Restart to update").
 * - Installed only when the user asks, never forced; asked during a turn, it installs as soon as
 *   the session is idle again.
 * - A failed check or download is ONE warning line in the log and no notice, no dialog.
 */
import type { InstallUpdateOutcome, SessionState, UpdateState } from '../../../preload/contract.ts';
import type { UpdatesPort } from '../../core/ports.ts';
import type { Clock } from '../../base/clock.ts';
import type { Logger } from '../../base/logger.ts';

/** An update found on the feed; `downloaded` settles when the file is on disk and verified. */
export interface FoundUpdate {
  version: string;
  downloaded: Promise<void>;
}

export interface UpdaterDriver {
  /** Asks the feed. Null when nothing newer is published (or the updater is inactive here). */
  check(onProgress: (percent: number) => void): Promise<FoundUpdate | null>;
  /** Quits the app and installs the downloaded update; says why not when it could not. */
  quitAndInstall(): { ok: true } | { ok: false; error: string };
}

export interface UpdatePolicyOptions {
  /** app.isPackaged: development builds never update. */
  packaged: boolean;
  /** The `autoUpdate` setting, read each time a check falls due. */
  enabled: () => boolean;
  /** Created on the first check only (electron-updater's autoUpdater reads Electron's app when created). */
  driver: () => UpdaterDriver;
  clock: Clock;
  logger: Logger;
  /** Delay of the first check after start (the app has more urgent work right then). */
  firstCheckDelayMs?: number;
  /** Between two checks: a day. */
  intervalMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TURN_STATES: ReadonlySet<SessionState> = new Set<SessionState>(['connecting', 'listening', 'thinking', 'speaking', 'reconnecting']);

/** The first line of an error, short: electron-updater's messages carry whole responses after it. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text;
  return first.length > 300 ? `${first.slice(0, 300)}…` : first.trim();
}

export class UpdatePolicy implements UpdatesPort {
  private readonly options: UpdatePolicyOptions;
  private driverInstance: UpdaterDriver | null = null;
  private current: UpdateState = { state: 'idle' };
  private readonly listeners = new Set<(state: UpdateState) => void>();
  private timer: { cancel(): void } | null = null;
  private turnRunning = false;
  /** A check fell due during a turn; it runs when the turn ends. */
  private checkDue = false;
  private working = false;
  private started = false;
  private disposed = false;
  private lastPercentStep = -1;

  constructor(options: UpdatePolicyOptions) {
    this.options = options;
  }

  /** Whether updates may run at all right now (packaged, setting on). */
  active(): boolean {
    return this.options.packaged && this.options.enabled() && !this.disposed;
  }

  state(): UpdateState {
    return this.current;
  }

  /** Schedules the first check (if updates are active). */
  start(): void {
    this.started = true;
    this.reschedule(this.options.firstCheckDelayMs ?? 10_000);
  }

  /** The `autoUpdate` setting changed: turned on, checks begin; turned off, none is scheduled. */
  settingChanged(): void {
    if (!this.started) return;
    if (!this.active()) {
      this.timer?.cancel();
      this.timer = null;
      this.checkDue = false;
      return;
    }
    if (!this.timer && !this.working && this.current.state !== 'ready') this.reschedule(this.options.firstCheckDelayMs ?? 10_000);
  }

  /** Every session state change: installs and checks wait for the end of a turn. */
  sessionState(state: SessionState): void {
    this.turnRunning = TURN_STATES.has(state);
    if (this.turnRunning) return;
    if (this.current.state === 'ready' && this.current.installAfterTurn) {
      this.options.logger.info('turn ended: installing the update the user asked for', { version: this.current.version });
      this.installNow();
      return;
    }
    if (this.checkDue) {
      this.checkDue = false;
      void this.check();
    }
  }

  subscribe(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  install(): InstallUpdateOutcome {
    if (this.current.state !== 'ready') return 'nothing-to-install';
    if (this.turnRunning) {
      if (!this.current.installAfterTurn) this.set({ ...this.current, installAfterTurn: true });
      return 'after-turn';
    }
    return this.installNow() ? 'installing' : 'nothing-to-install';
  }

  /** Runs one check now (the timer calls this; so do tests). */
  async check(): Promise<void> {
    if (!this.active() || this.working || this.current.state === 'ready') return;
    if (this.turnRunning) {
      this.checkDue = true;
      return;
    }
    this.working = true;
    this.timer?.cancel();
    this.timer = null;
    this.set({ state: 'checking' });
    let found: FoundUpdate | null;
    try {
      this.driverInstance ??= this.options.driver();
      found = await this.driverInstance.check((percent) => this.progress(percent));
    } catch (error) {
      this.fail('update check failed', error);
      return;
    }
    if (!found) {
      this.options.logger.debug('no newer version on the update feed');
      this.set({ state: 'idle' });
      this.finish();
      return;
    }
    const version = found.version;
    this.options.logger.info('update available, downloading in the background', { version });
    this.lastPercentStep = -1;
    this.set({ state: 'available', version });
    try {
      await found.downloaded;
    } catch (error) {
      this.fail('update download failed', error, version);
      return;
    }
    this.options.logger.info('update downloaded and verified, offered as "Restart to update"', { version });
    this.working = false;
    // With an update waiting there is nothing more to look for until the next start.
    this.set({ state: 'ready', version, installAfterTurn: false });
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.timer = null;
    this.listeners.clear();
  }

  private progress(percent: number): void {
    const current = this.current;
    if (current.state !== 'available' && current.state !== 'downloading') return;
    // Every 5 %: enough for a progress bar, few enough events to never crowd the event backlog.
    const clamped = Math.max(0, Math.min(100, percent));
    const step = Math.floor(clamped / 5);
    if (step === this.lastPercentStep) return;
    this.lastPercentStep = step;
    this.set({ state: 'downloading', version: current.version, percent: Math.round(clamped) });
  }

  private fail(what: string, error: unknown, version?: string): void {
    // The one line a failure leaves: no notice, no dialog (issue 13).
    this.options.logger.warn(`${what}: ${oneLine(error)}`, version ? { version } : undefined);
    this.set({ state: 'error' });
    this.finish();
  }

  private finish(): void {
    this.working = false;
    this.reschedule(this.options.intervalMs ?? DAY_MS);
  }

  private reschedule(ms: number): void {
    this.timer?.cancel();
    this.timer = null;
    if (!this.active()) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.check();
    }, ms);
  }

  private installNow(): boolean {
    const current = this.current;
    if (current.state !== 'ready' || !this.driverInstance) return false;
    const result = this.driverInstance.quitAndInstall();
    if (result.ok) return true;
    this.options.logger.warn(`update could not be installed: ${result.error}`, { version: current.version });
    this.set({ state: 'error' });
    this.reschedule(this.options.intervalMs ?? DAY_MS);
    return false;
  }

  private set(state: UpdateState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
