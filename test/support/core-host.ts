/**
 * The main core running in Node for the e2e tier: startCore over the test WebSocket transport, with
 * in-memory or temp-folder implementations of the desktop ports. The built renderer in Chromium
 * talks to it exactly as it talks to the Electron main process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Status } from '../../preload/contract.ts';
import { startCore, type Core } from '../../main/core/start-core.ts';
import type { DesktopPort } from '../../main/core/ports.ts';
import { isTrustedFrame, trustedOrigins } from '../../main/app/origin-policy.ts';
import { createFileBlobStore } from '../../main/settings/blob-file-store.ts';
import type { SecretStoragePort } from '../../main/settings/secrets-service.ts';
import { systemClock } from '../../main/voice/index.ts';
import type { Logger } from '../../main/voice/ports.ts';
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
  close(): Promise<void>;
}

/** Stand-in for safeStorage: reversible, but never the plain bytes, like a real backend. */
export const testSecretStorage: SecretStoragePort = {
  isEncryptionAvailable: () => true,
  backend: () => 'test',
  encrypt: async (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: async (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};

export async function startCoreHost(options: {
  httpServer: Server;
  pageOrigin: string;
  apiKey: string;
  baseURL: string;
  caPath: string;
  settings?: Record<string, unknown>;
  pickFolder?: string;
}): Promise<CoreHost> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
  const logLines: string[] = [];
  const sink: Logger = {
    debug: (m, f) => logLines.push(`debug ${m} ${JSON.stringify(f ?? {})}`),
    info: (m, f) => logLines.push(`info ${m} ${JSON.stringify(f ?? {})}`),
    warn: (m, f) => logLines.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
    error: (m, f) => logLines.push(`error ${m} ${JSON.stringify(f ?? {})}`),
  };
  const clipboard = { text: '' };
  const statuses: Status[] = [];
  const desktop: DesktopPort = {
    showWindow: () => undefined,
    isWindowVisible: () => true,
    pickFolder: async () => options.pickFolder ?? null,
    saveFile: async () => null,
    registerHotkey: () => ({ ok: true }),
    holdUnavailableReason: () => null,
    setStartAtLogin: async () => undefined,
    notify: () => undefined,
    statusChanged: (status) => statuses.push(status),
  };
  const store = new MemorySettingsStore(join(userDataDir, 'settings.json'));
  store.write({ version: 2, endpoint: { kind: 'openai', extraCaCertPath: options.caPath }, ...options.settings });

  const transport = new WsMainTransport();
  const transportUrl = await transport.listen({ server: options.httpServer });
  const origins = trustedOrigins(options.pageOrigin);
  const core = await startCore(
    transport,
    {
      settingsStore: store,
      secretStorage: testSecretStorage,
      keyBlob: createFileBlobStore(join(userDataDir, 'api-key.bin')),
      environment: { apiKey: options.apiKey, baseURL: options.baseURL },
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
    },
    { isTrustedSender: (sender) => isTrustedFrame(sender, origins), approvalTimeoutMs: 30_000 },
  );
  return {
    core,
    transport,
    transportUrl,
    userDataDir,
    logLines,
    clipboard,
    statuses,
    async close() {
      await core.dispose();
      await transport.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
