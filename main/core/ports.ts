/**
 * What the app core needs from the desktop. main/app implements these with Electron; the e2e host
 * and tests implement them in memory. Nothing here imports Electron.
 */
import type { ApprovalDecision, ApprovalRequest, InstallUpdateOutcome, Notice, Status, UpdateState } from '../../preload/contract.ts';
import type { KeyValueStorePort } from '../settings/settings-service.ts';
import type { BlobStorePort, SecretStoragePort } from '../settings/secrets-service.ts';
import type { FetchLike } from '../settings/api-key-check.ts';
import type { ClipboardPort } from '../tools/ports.ts';
import type { CaptureIndicator, ScreenCapturePort } from '../tools/screen/ports.ts';
import type { Clock } from '../base/clock.ts';
import type { Logger } from '../base/logger.ts';

export interface DesktopPort {
  /** Bring the window forward (the core has already told it which view to show). */
  showWindow(): void;
  /** Hide the window (Escape in the window); the page keeps running for audio. */
  hideWindow(): void;
  /** Whether the window is on screen (approvals also go to a notification when it is not). */
  isWindowVisible(): boolean;
  pickFolder(): Promise<string | null>;
  saveFile(defaultName: string, content: string): Promise<string | null>;
  registerHotkey(accelerator: string): { ok: boolean; message?: string };
  /** Why hold-to-talk cannot work here (no key-up events), or null when it can. */
  holdUnavailableReason(): string | null;
  /** Which source delivers the hotkey's key-up ('portal': the desktop's GlobalShortcuts portal, with the keys it bound). */
  keyUpSource?(): { keyUpSource: 'uiohook' | 'portal' | 'none'; portalTrigger: string | null };
  /** The keys that ask about the screen (Shift + the hotkey, as bound: the portal's words or an accelerator), or null when none is bound. */
  screenShortcut?(): string | null;
  setStartAtLogin(enabled: boolean): Promise<void>;
  /**
   * An approval waits while the window is hidden: a notification whose buttons (macOS, Windows) call
   * `answer`, the same ApprovalService the window answers through (false once settled); elsewhere a
   * click opens the approval.
   */
  notifyApproval(request: ApprovalRequest, answer: (decision: ApprovalDecision) => boolean): void;
  /** The approval was answered anywhere, timed out or withdrawn: its notification closes. */
  approvalSettled(id: string): void;
  /** Every notice the window gets; errors that need the person also notify, once per condition. */
  noticed(notice: Notice): void;
  /** The tray mirrors the status. */
  statusChanged(status: Status, hotkey: string, startAtLogin: boolean): void;
}

/** The app's own updates (main/app/updates/update-policy.ts); absent where nothing updates (tests, CLI). */
export interface UpdatesPort {
  /** Listens to the update state; called at once with the current one. Returns the unsubscribe. */
  subscribe(listener: (state: UpdateState) => void): () => void;
  /** The user's "Restart to update": now when idle, after the running turn otherwise. */
  install(): InstallUpdateOutcome;
}

export interface CorePorts {
  settingsStore: KeyValueStorePort;
  secretStorage: SecretStoragePort;
  keyBlob: BlobStorePort;
  /** OPENAI_API_KEY / OPENAI_BASE_URL from the environment, if set. */
  environment: { apiKey?: string; baseURL?: string };
  userDataDir: string;
  clipboard: ClipboardPort;
  /** Where log lines go; the core wraps it in a redacting logger. */
  logSink: Logger;
  clock: Clock;
  fetch: FetchLike;
  desktop: DesktopPort;
  /** Reads an extra CA certificate named in settings (custom endpoints). */
  readTextFile(path: string): Promise<string>;
  /** The app's own updates, when it has them. */
  updates?: UpdatesPort;
  /**
   * Screen capture and its visible indicator (main/app/screen-capture.ts); absent in the CLI and
   * where the desktop cannot capture, and then look_at_screen is not offered.
   */
  screen?: { capture: ScreenCapturePort; indicator: CaptureIndicator };
}
