/**
 * What the app core needs from the desktop. main/app implements these with Electron; the e2e host
 * and tests implement them in memory. Nothing here imports Electron.
 */
import type { Status } from '../../preload/contract.ts';
import type { KeyValueStorePort } from '../settings/settings-service.ts';
import type { BlobStorePort, SecretStoragePort } from '../settings/secrets-service.ts';
import type { FetchLike } from '../settings/api-key-check.ts';
import type { ClipboardPort } from '../tools/ports.ts';
import type { Clock, Logger } from '../voice/ports.ts';

export interface DesktopPort {
  /** Bring the window forward (the core has already told it which view to show). */
  showWindow(): void;
  /** Whether the window is on screen (approvals also go to a notification when it is not). */
  isWindowVisible(): boolean;
  pickFolder(): Promise<string | null>;
  saveFile(defaultName: string, content: string): Promise<string | null>;
  registerHotkey(accelerator: string): { ok: boolean; message?: string };
  /** Why hold-to-talk cannot work here (no key-up events), or null when it can. */
  holdUnavailableReason(): string | null;
  setStartAtLogin(enabled: boolean): Promise<void>;
  notify(title: string, body: string): void;
  /** The tray mirrors the status. */
  statusChanged(status: Status, hotkey: string, startAtLogin: boolean): void;
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
}
