/**
 * Starts the built main bundle under the stand-in Electron, lets it come up, exercises the IPC
 * handlers it registered the way Electron would call them, and prints one JSON report.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Recorded {
  calls: string[];
  handlers: Map<string, (event: unknown, payload: unknown) => Promise<unknown>>;
  windows: { options: { webPreferences: Record<string, unknown>; show?: boolean }; webContents: { url: string; sent: { channel: string }[]; windowOpenHandler: ((d: { url: string }) => { action: string }) | null; mainFrame: unknown; emit: (event: string, ...args: unknown[]) => boolean } }[];
  trays: { tooltip: string; menu: { template: { label?: string }[] } | null }[];
  shortcuts: Map<string, () => void>;
  schemes: { schemes: { scheme: string; privileges: Record<string, boolean> }[]; beforeReady: boolean }[];
  protocolHandlers: Map<string, (request: { url: string }) => Promise<Response>>;
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (ok: boolean) => void, details: Record<string, unknown>) => void) | null;
}

const root = join(import.meta.dirname, '..', '..', '..');
await import(pathToFileURL(join(root, 'out', 'main', 'index.js')).href);
await new Promise((r) => setTimeout(r, 1500));
const s = (globalThis as unknown as { __standin: Recorded }).__standin;
const window = s.windows[0];
if (!window) throw new Error('no window was created');

const invoke = async (channel: string, payload: unknown, frameUrl: string): Promise<unknown> => {
  const handler = s.handlers.get(channel);
  if (!handler) return { missing: channel };
  const frame = { url: frameUrl };
  const sender = { mainFrame: frameUrl.startsWith('app://earshot') ? frame : {} };
  if (frameUrl.startsWith('app://earshot')) (window.webContents as { mainFrame: unknown }).mainFrame = frame;
  return handler({ senderFrame: frame, sender }, payload);
};

const permission = (permission: string, requestingUrl: string, mediaTypes: string[]): Promise<boolean> =>
  new Promise((resolve) => s.permissionRequestHandler?.(window.webContents, permission, resolve, { requestingUrl, mediaTypes }));

const page = await s.protocolHandlers.get('app')?.({ url: 'app://earshot/index.html' });
const escape = await s.protocolHandlers.get('app')?.({ url: 'app://earshot/%2e%2e/main/index.js' });

const report = {
  channels: [...s.handlers.keys()].filter((c) => c.startsWith('earshot:req:')).sort(),
  window: { url: window.webContents.url, show: window.options.show ?? true, webPreferences: window.options.webPreferences },
  audioPortSent: window.webContents.sent.some((m) => m.channel === 'earshot:audio-port'),
  schemes: s.schemes,
  shortcuts: [...s.shortcuts.keys()],
  tray: { tooltip: s.trays[0]?.tooltip ?? null, items: (s.trays[0]?.menu?.template ?? []).map((i) => i.label ?? '—') },
  statusFromApp: await invoke('earshot:req:getStatus', {}, 'app://earshot/index.html'),
  statusFromElsewhere: await invoke('earshot:req:getStatus', {}, 'https://evil.example/'),
  invalidPayload: await invoke('earshot:req:setTurnMode', { mode: 'shout' }, 'app://earshot/index.html'),
  windowOpen: window.webContents.windowOpenHandler?.({ url: 'https://evil.example/phish' }) ?? null,
  micForApp: await permission('media', 'app://earshot/index.html', ['audio']),
  cameraForApp: await permission('media', 'app://earshot/index.html', ['video']),
  micForOthers: await permission('media', 'https://evil.example/', ['audio']),
  servedPage: { status: page?.status ?? null, csp: page?.headers.get('content-security-policy') ?? null },
  servedEscape: escape?.status ?? null,
  calls: s.calls,
};
console.log(JSON.stringify(report));
process.exit(0);
