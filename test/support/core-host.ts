/**
 * The main core running in Node for the e2e tier: startCore over the test WebSocket transport, with
 * in-memory or temp-folder implementations of the desktop ports. The built renderer in Chromium
 * talks to it exactly as it talks to the Electron main process.
 */
import { screenAccelerator } from '../../main/app/screen-shortcut.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Status } from '../../preload/contract.ts';
import { startCore, type Core } from '../../main/core/start-core.ts';
import type { CorePorts, DesktopPort } from '../../main/core/ports.ts';
import type { CaptureIndicator, ScreenCapturePort } from '../../main/tools/screen/ports.ts';
import { isTrustedFrame, trustedOrigins } from '../../main/app/origin-policy.ts';
import { createFileBlobStore } from '../../main/settings/blob-file-store.ts';
import type { SecretStoragePort } from '../../main/settings/secrets-service.ts';
import { systemClock } from '../../main/base/clock.ts';
import type { Logger } from '../../main/base/logger.ts';
import { MemorySettingsStore } from './memory-settings-store.ts';
import { WsMainTransport } from './ws-main-transport.ts';

export interface CoreHost {
  core: Core;
  transport: WsMainTransport;
  transportUrl: string;
  userDataDir: string;
  logLines: string[];
  clipboard: { text: string };
  statuses: Status[];
  /** What the core asked of the desktop (hideWindow, showWindow, notify …). */
  desktopCalls: string[];
  close(): Promise<void>;
}

/** Stand-in for safeStorage: reversible, but never the plain bytes, like a real backend. */
export const testSecretStorage: SecretStoragePort = {
  isEncryptionAvailable: () => true,
  backend: () => 'test',
  encrypt: async (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: async (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};

export interface TestCorePorts {
  ports: CorePorts;
  store: MemorySettingsStore;
  userDataDir: string;
  logLines: string[];
  clipboard: { text: string };
  statuses: Status[];
  /** What the core asked of the desktop: hotkeys registered, windows shown, notifications. */
  desktopCalls: string[];
  /** Make the next hotkey registrations fail, as when another app owns the combination. */
  hotkeyTaken: { value: boolean };
}

/** In-memory and temp-folder implementations of every port the core takes. */
export function makeTestCorePorts(options: {
  apiKey?: string;
  baseURL: string;
  caPath: string;
  settings?: Record<string, unknown>;
  pickFolder?: string;
  /** A desktop to look at (test/support/memory-screen.ts); without it look_at_screen is not offered. */
  screen?: { capture: ScreenCapturePort; indicator: CaptureIndicator };
}): TestCorePorts {
  const userDataDir = mkdtempSync(join(tmpdir(), 'earshot-core-'));
  const logLines: string[] = [];
  const line = (level: string) => (m: string, f?: Record<string, unknown>) => void logLines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
  const sink: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const clipboard = { text: '' };
  const statuses: Status[] = [];
  const desktopCalls: string[] = [];
  const hotkeyTaken = { value: false };
  const desktop: DesktopPort = {
    showWindow: () => void desktopCalls.push('showWindow'),
    hideWindow: () => void desktopCalls.push('hideWindow'),
    isWindowVisible: () => true,
    pickFolder: async () => options.pickFolder ?? null,
    saveFile: async () => null,
    registerHotkey: (accelerator) => {
      desktopCalls.push(`registerHotkey ${accelerator}`);
      return hotkeyTaken.value ? { ok: false, message: `${accelerator} is taken by another application.` } : { ok: true };
    },
    holdUnavailableReason: () => null,
    // As the app's controller does off the portal: the Shift variant of the hotkey last registered.
    screenShortcut: () => {
      const last = desktopCalls.findLast((c) => c.startsWith('registerHotkey '));
      return last && !hotkeyTaken.value ? screenAccelerator(last.slice('registerHotkey '.length)) : null;
    },
    setStartAtLogin: async (enabled) => void desktopCalls.push(`startAtLogin ${enabled}`),
    notifyApproval: (request) => void desktopCalls.push(`notifyApproval ${request.tool}`),
    approvalSettled: (id) => void desktopCalls.push(`approvalSettled ${id}`),
    noticed: () => undefined,
    statusChanged: (status) => void statuses.push(status),
  };
  const store = new MemorySettingsStore(join(userDataDir, 'settings.json'));
  store.write({ version: 2, endpoint: { kind: 'openai', extraCaCertPath: options.caPath }, ...options.settings });
  const ports: CorePorts = {
    settingsStore: store,
    secretStorage: testSecretStorage,
    keyBlob: createFileBlobStore(join(userDataDir, 'api-key.bin')),
    environment: { ...(options.apiKey ? { apiKey: options.apiKey } : {}), baseURL: options.baseURL },
    userDataDir,
    clipboard: {
      readText: async () => clipboard.text,
      writeText: async (text) => {
        clipboard.text = text;
      },
    },
    logSink: sink,
    clock: systemClock,
    fetch: (input, init) => fetch(input, init),
    desktop,
    readTextFile: (path) => readFile(path, 'utf8'),
    ...(options.screen ? { screen: options.screen } : {}),
  };
  return { ports, store, userDataDir, logLines, clipboard, statuses, desktopCalls, hotkeyTaken };
}

export async function startCoreHost(options: {
  httpServer: Server;
  pageOrigin: string;
  apiKey: string;
  baseURL: string;
  caPath: string;
  settings?: Record<string, unknown>;
  pickFolder?: string;
  screen?: { capture: ScreenCapturePort; indicator: CaptureIndicator };
}): Promise<CoreHost> {
  const test = makeTestCorePorts(options);
  const transport = new WsMainTransport();
  const transportUrl = await transport.listen({ server: options.httpServer });
  const origins = trustedOrigins(options.pageOrigin);
  const core = await startCore(transport, test.ports, { isTrustedSender: (sender) => isTrustedFrame(sender, origins), approvalTimeoutMs: 30_000 });
  return {
    core,
    transport,
    transportUrl,
    userDataDir: test.userDataDir,
    logLines: test.logLines,
    clipboard: test.clipboard,
    statuses: test.statuses,
    desktopCalls: test.desktopCalls,
    async close() {
      await core.dispose();
      await transport.close();
      rmSync(test.userDataDir, { recursive: true, force: true });
    },
  };
}
