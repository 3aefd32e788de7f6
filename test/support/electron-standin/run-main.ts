/**
 * Child process: starts the BUILT main bundle (out/main/index.js) under the strict stand-in Electron
 * (`node --import ./test/support/electron-standin/register.ts`), with a page that runs after the
 * BUILT preload (out/preload/index.cjs) on every load and uses `window.earshot` as the React app does:
 * getStatus and getSettings at once on mount, event subscriptions a tick later.
 *
 * Talks JSON lines: prints {"type":"ready"} once the app is up, then obeys commands on stdin:
 *   press             call the global shortcut's callback (what a key press does in Electron)
 *   probe             call handlers, permission handlers and the protocol as Electron would; print the result
 *   navigate-in-page  a same-document navigation (history.pushState) in the page
 *   reload            a cross-document reload of the page
 *   report            print everything the stand-in and the page recorded
 *   notification-button N / notification-click   the person answers the newest notification
 *   theme dark|light  the OS switches its theme (nativeTheme 'updated')
 *   answer-approval D the page answers the newest approval (D: allow-once, always, deny)
 *   exit              exit
 * Environment: STANDIN_CAPTURE_WAV (PCM16 24 kHz mono WAV the page streams as 20 ms frames while
 * capture runs; STANDIN_CAPTURE_MS caps it), STANDIN_FRAME_INTERVAL_MS (default 20), and the
 * stand-in's own STANDIN_* settings (electron-standin.cjs), and STANDIN_PROCESS_PLATFORM (below).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { readWavPcm16, pcm16ToBytes } from '../fixtures.ts';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import { eventNames, type EventName } from '../../../preload/contract.ts';

interface StandinWindow {
  options: { webPreferences: Record<string, unknown>; show?: boolean };
  isVisible(): boolean;
  webContents: {
    getURL(): string;
    sent: { channel: string }[];
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null;
    navigateInPage(url: string): void;
    reload(): void;
  };
}
interface StandinImage {
  path: string;
  isEmpty(): boolean;
  isTemplateImage(): boolean;
  getSize(): { width: number; height: number };
}
interface StandinNotification {
  options: Record<string, unknown>;
  shown: boolean;
  closed: boolean;
  ended: boolean;
}
interface Recorded {
  calls: string[];
  handlers: Map<string, (event: unknown, payload: unknown) => Promise<unknown>>;
  windows: StandinWindow[];
  trays: { tooltip: string; menu: { template: { label?: string }[] } | null; images: StandinImage[] }[];
  shortcuts: Map<string, () => void>;
  schemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (ok: boolean) => void, details: Record<string, unknown>) => void) | null;
  drops: { channel: string; reason: string }[];
  images: { path: string; purpose: string; empty: boolean }[];
  notifications: StandinNotification[];
  clickNotification(n: StandinNotification): void;
  pressNotificationButton(n: StandinNotification, index: number): void;
  setSystemTheme(theme: { dark: boolean; systemDark?: boolean }): void;
  applicationMenu: { set: boolean; menu: { template: { label?: string; role?: string; submenu?: unknown }[] } | null };
  loginItems: unknown[];
  preloads: { path: string; ok: boolean; error?: string }[];
  pageErrors: string[];
  nullPortMessages: number;
  unheardSends: string[];
  invokeFailures: { channel: string; error: string }[];
  pressShortcut(accelerator: string): void;
}

// STANDIN_APP_ROOT: a checkout whose out/ to run (default: this one), e.g. an export of an older commit.
const root = process.env.STANDIN_APP_ROOT ?? join(import.meta.dirname, '..', '..', '..');
const out = (line: unknown): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// ---- what the page saw ----
const page = {
  loads: [] as string[],
  calls: [] as { name: string; ok: boolean; error?: string; value?: unknown; at: number }[],
  events: [] as { name: EventName; payload: unknown; at: number }[],
  view: 'transcript',
  captureFrames: 0,
  captureBytes: [] as Buffer[],
  playback: [] as { itemId: string; bytes: Buffer }[],
};
const started = performance.now();
const now = (): number => Math.round(performance.now() - started);

const wav = process.env.STANDIN_CAPTURE_WAV ? readWavPcm16(process.env.STANDIN_CAPTURE_WAV) : null;
const capturePcm = wav ? pcm16ToBytes(wav.samples.subarray(0, Math.round(((Number(process.env.STANDIN_CAPTURE_MS ?? 0) || Infinity) / 1000) * 24000))) : null;
const FRAME_BYTES = 960; // 20 ms of PCM16 at 24 kHz
const frameInterval = Number(process.env.STANDIN_FRAME_INTERVAL_MS ?? 20);

/** The bridge of the page loaded last. */
let pageBridge: EarshotBridge | null = null;

/** The page: the built renderer's start-up calls, then events a tick later, and the microphone. */
function runPage(window: { earshot?: EarshotBridge }, { url }: { url: string }): void {
  page.loads.push(url);
  const earshot = window.earshot;
  if (!earshot) throw new Error('window.earshot is missing: the preload did not expose the bridge');
  pageBridge = earshot;
  const call = (name: 'getStatus' | 'getSettings', p: Promise<unknown>, then?: (v: unknown) => void): void => {
    p.then(
      (v) => {
        page.calls.push({ name, ok: true, value: name === 'getStatus' ? v : '…', at: now() });
        then?.(v);
      },
      (e: unknown) => page.calls.push({ name, ok: false, error: e instanceof Error ? e.message : String(e), at: now() }),
    );
  };
  call('getStatus', earshot.request.getStatus({}));
  call('getSettings', earshot.request.getSettings({}), (s) => {
    if ((s as { apiKey?: string }).apiKey === 'not-set') page.view = 'onboarding';
  });
  setTimeout(() => {
    for (const name of eventNames) {
      (earshot.on[name] as (l: (p: unknown) => void) => () => void)((payload) => {
        page.events.push({ name, payload, at: now() });
        if (name === 'view') page.view = payload as string;
        if (name === 'capture') onCapture(earshot, payload as { command: string; turnId?: string });
      });
    }
    earshot.audio.onPlayback((itemId, pcm) => page.playback.push({ itemId, bytes: Buffer.from(new Uint8Array(pcm)) }));
  }, 0);
}

let streaming: { turnId: string; offset: number; stop: boolean; timer: NodeJS.Timeout | null } | null = null;
function onCapture(earshot: EarshotBridge, command: { command: string; turnId?: string }): void {
  if (command.command === 'start' && command.turnId) {
    const s = { turnId: command.turnId, offset: 0, stop: false, timer: null as NodeJS.Timeout | null };
    streaming = s;
    const tick = (): void => {
      if (!capturePcm || s.stop) return;
      if (s.offset >= capturePcm.length) return;
      const frame = capturePcm.subarray(s.offset, s.offset + FRAME_BYTES);
      s.offset += frame.length;
      const copy = new Uint8Array(frame.length);
      copy.set(frame);
      page.captureFrames += 1;
      page.captureBytes.push(Buffer.from(copy));
      earshot.audio.sendCapture(s.turnId, copy.buffer);
      s.timer = setTimeout(tick, frameInterval);
    };
    tick();
  } else if (command.command === 'stop' && streaming && command.turnId === streaming.turnId) {
    const s = streaming;
    s.stop = true;
    if (s.timer) clearTimeout(s.timer);
    earshot.request.captureFlushed({ turnId: s.turnId, totalSamples: s.offset / 2 }).catch((e: unknown) => page.calls.push({ name: 'captureFlushed', ok: false, error: String(e), at: now() }));
  }
}

(globalThis as unknown as { __standinPage: typeof runPage }).__standinPage = runPage;
// STANDIN_PROCESS_PLATFORM=darwin: the app runs as on that OS (its process.platform), and the
// stand-in models that OS's Electron (STANDIN_PLATFORM). Set before the bundle loads `electron`.
// Only for paths that need no native code of that OS (on macOS the key hook waits for an
// Accessibility grant the stand-in never gives, so uiohook is never started).
const asPlatform = process.env.STANDIN_PROCESS_PLATFORM;
if (asPlatform) {
  if (asPlatform !== 'darwin') throw new Error(`STANDIN_PROCESS_PLATFORM=${asPlatform}: only darwin is supported (win32 would start the real key hook)`);
  process.env.STANDIN_PLATFORM = asPlatform;
  Object.defineProperty(process, 'platform', { value: asPlatform, configurable: true });
}
await import(pathToFileURL(join(root, 'out', 'main', 'index.js')).href);
const s = (globalThis as unknown as { __standin: Recorded }).__standin;

// Up: a window whose page mounted, and the hotkey in place (or refused), or 10 s gone.
const deadline = Date.now() + 10_000 + Number(process.env.STANDIN_DECRYPT_DELAY_MS ?? 0);
while (Date.now() < deadline) {
  const pageDone = page.calls.filter((c) => c.name === 'getStatus' || c.name === 'getSettings').length >= 2;
  const hotkeyDone = s.shortcuts.size > 0 || s.calls.some((c) => c.startsWith('globalShortcut.register'));
  if (pageDone && hotkeyDone) break;
  await new Promise((r) => setTimeout(r, 25));
}
await new Promise((r) => setTimeout(r, 300));
out({ type: 'ready', at: now() });

function report(): Record<string, unknown> {
  const window = s.windows[0];
  const captured = Buffer.concat(page.captureBytes);
  const played = Buffer.concat(page.playback.map((p) => p.bytes));
  return {
    type: 'report',
    channels: [...s.handlers.keys()].filter((c) => c.startsWith('earshot:req:')).sort(),
    window: window
      ? { url: window.webContents.getURL(), show: window.options.show ?? true, visible: window.isVisible(), webPreferences: window.options.webPreferences }
      : null,
    audioPortSent: window?.webContents.sent.some((m) => m.channel === 'earshot:audio-port') ?? false,
    schemes: s.schemes,
    shortcuts: [...s.shortcuts.keys()],
    tray: { tooltip: s.trays[0]?.tooltip ?? null, items: (s.trays[0]?.menu?.template ?? []).map((i) => i.label ?? '—'), templateImages: (s.trays[0]?.images ?? []).map((i) => i.isTemplateImage()) },
    images: s.images,
    applicationMenu: { set: s.applicationMenu.set, menu: s.applicationMenu.menu ? JSON.stringify(s.applicationMenu.menu.template) : null },
    notifications: s.notifications.map((n) => ({ options: n.options, shown: n.shown, closed: n.closed, ended: n.ended })),
    trayImages: (s.trays[0]?.images ?? []).map((i) => ({ path: i.path, template: i.isTemplateImage(), size: i.getSize() })),
    loginItems: s.loginItems,
    drops: s.drops,
    preloads: s.preloads,
    pageErrors: s.pageErrors,
    nullPortMessages: s.nullPortMessages,
    unheardSends: s.unheardSends,
    invokeFailures: s.invokeFailures,
    calls: s.calls,
    page: {
      loads: page.loads,
      calls: page.calls,
      events: page.events.map((e) => ({ name: e.name, payload: e.name === 'settings' ? '…' : e.payload, at: e.at })),
      view: page.view,
      capture: { frames: page.captureFrames, bytes: captured.length, sha256: sha(captured) },
      playback: { chunks: page.playback.length, bytes: played.length, sha256: sha(played), items: [...new Set(page.playback.map((p) => p.itemId))] },
    },
  };
}

async function probe(): Promise<Record<string, unknown>> {
  const window = s.windows[0];
  const invoke = async (channel: string, payload: unknown, frameUrl: string): Promise<unknown> => {
    const handler = s.handlers.get(channel);
    if (!handler) return { missing: channel };
    const frame = { url: frameUrl };
    // A frame that is not the window's main frame (an iframe, or another origin).
    return handler({ senderFrame: frame, sender: { mainFrame: {} } }, payload);
  };
  const permission = (name: string, requestingUrl: string, mediaTypes: string[]): Promise<boolean> =>
    new Promise((resolve) => s.permissionRequestHandler?.(window?.webContents, name, resolve, { requestingUrl, mediaTypes }));
  const served = await s.protocolHandlers.get('app')?.(new Request('app://earshot/index.html'));
  const escape = await s.protocolHandlers.get('app')?.(new Request('app://earshot/%2e%2e/main/index.js'));
  return {
    type: 'probe',
    statusFromElsewhere: await invoke('earshot:req:getStatus', {}, 'https://evil.example/'),
    windowOpen: window?.webContents.windowOpenHandler?.({ url: 'https://evil.example/phish' }) ?? null,
    micForApp: await permission('media', 'app://earshot/index.html', ['audio']),
    cameraForApp: await permission('media', 'app://earshot/index.html', ['video']),
    micForOthers: await permission('media', 'https://evil.example/', ['audio']),
    servedPage: { status: served?.status ?? null, csp: served?.headers.get('content-security-policy') ?? null },
    servedEscape: escape?.status ?? null,
  };
}

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = line.trim();
  try {
    if (command === 'press') {
      s.pressShortcut([...s.shortcuts.keys()][0] ?? 'Control+Alt+Space');
      out({ type: 'pressed', at: now() });
    } else if (command === 'report') out(report());
    else if (command === 'probe') void probe().then(out, (e: unknown) => out({ type: 'error', error: String(e) }));
    else if (command === 'navigate-in-page') s.windows[0]?.webContents.navigateInPage('app://earshot/index.html#settings');
    else if (command === 'reload') s.windows[0]?.webContents.reload();
    else if (command === 'exit') process.exit(0);
    else if (command.startsWith('notification-button ') || command === 'notification-click') {
      // The person answers the newest notification: a button (macOS, Windows) or its body.
      const latest = s.notifications.at(-1);
      if (!latest) throw new Error('no notification was shown');
      if (command === 'notification-click') s.clickNotification(latest);
      else s.pressNotificationButton(latest, Number(command.split(' ')[1]));
      out({ type: 'notification-answered', at: now() });
    } else if (command.startsWith('answer-approval ')) {
      // The person answers the newest approval in the window (the page calls the bridge).
      const approval = page.events.filter((e) => e.name === 'approval').at(-1)?.payload as { id?: string } | undefined;
      const earshot = pageBridge;
      if (!approval?.id || !earshot) throw new Error('no approval on the page to answer');
      const decision = command.split(' ')[1] as 'allow-once' | 'always' | 'deny';
      void earshot.request.answerApproval({ id: approval.id, decision }).then((r) => out({ type: 'approval-answered', accepted: r.accepted, at: now() }));
    } else if (command.startsWith('theme ')) {
      // The OS switched its theme: "theme dark" / "theme light".
      s.setSystemTheme({ dark: command === 'theme dark' });
      out({ type: 'theme-changed', at: now() });
    }
  } catch (error) {
    out({ type: 'error', error: error instanceof Error ? error.message : String(error) });
  }
});
commands.on('close', () => process.exit(0));
