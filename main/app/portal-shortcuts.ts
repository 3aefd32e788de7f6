/**
 * Hold-to-talk on Wayland: the hotkey through the xdg-desktop-portal GlobalShortcuts interface, which
 * reports both the press (`Activated`) and the release (`Deactivated`) of a bound shortcut.
 *
 * The protocol, from xdg-desktop-portal's data/*.xml (github:flatpak/xdg-desktop-portal):
 * - org.freedesktop.host.portal.Registry.Register(app_id, options) associates this connection with
 *   our app id; outside a sandbox, and "before any portal method call" (xdg-desktop-portal ≥ 1.19).
 * - GlobalShortcuts.CreateSession({handle_token, session_handle_token}) → a Request object, whose
 *   org.freedesktop.portal.Request::Response(code, {session_handle}) ends the call.
 * - GlobalShortcuts.BindShortcuts(session, [(id, {description, preferred_trigger})], parent_window,
 *   {handle_token}) → Response(code, {shortcuts: [(id, {description, trigger_description})]}): the
 *   shortcuts really bound, possibly on keys the user chose — "a subset of the shortcuts which were
 *   passed in ... (this includes the set of all shortcuts and the empty set)". "An application can
 *   only attempt bind shortcuts of a session once", so every shortcut of the app (the talk hotkey and
 *   its Shift variant for the screen) goes into the one call, and a new hotkey means a new session.
 * - Response codes: 0 success, 1 the user cancelled, 2 ended some other way.
 * - Signals Activated / Deactivated (session, shortcut_id, timestamp, options), one per shortcut id;
 *   ShortcutsChanged (session, shortcuts): "the information associated with some of the shortcuts has
 *   changed" (their trigger_description); and org.freedesktop.portal.Session::Closed on the session.
 * - Request handles are /org/freedesktop/portal/desktop/request/SENDER/TOKEN (SENDER: our unique name
 *   without ':' and with '.' → '_'), so we subscribe to Response before calling, as the Request
 *   documentation recommends, and follow the handle the portal returns if it differs.
 *
 * D-Bus library: dbus-native (sidorares/dbus-native), chosen over the alternatives on npm in
 * November 2026: it is pure JavaScript (no native build, so nothing to rebuild for Electron), has one
 * dependency (xml2js), ships its own types, has promise calls with timeouts, and was last published
 * 2026-10-05 (0.16.1). dbus-next (0.10.2, last published 2024-12) is unmaintained and pulls an optional
 * native `usocket`; its fork @particle/dbus-next (0.11.4, 2026-05) and @homebridge/dbus-native (0.7.9,
 * 2026-08, no types of its own beyond a thin index.d.ts) carry six dependencies each. Open-issue counts
 * could not be compared from here (no access to GitHub's issue lists).
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sessionBus, type DBusError, type Message, type MessageBus } from 'dbus-native';
import { z } from 'zod';
import type { Logger } from '../base/logger.ts';

export const PORTAL_BUS_NAME = 'org.freedesktop.portal.Desktop';
export const PORTAL_PATH = '/org/freedesktop/portal/desktop';
export const GLOBAL_SHORTCUTS = 'org.freedesktop.portal.GlobalShortcuts';
export const PORTAL_REQUEST = 'org.freedesktop.portal.Request';
export const PORTAL_SESSION = 'org.freedesktop.portal.Session';
export const PORTAL_REGISTRY = 'org.freedesktop.host.portal.Registry';
/** package.json `desktopName` without `.desktop`: the portal identity of the installed app. */
export const PORTAL_APP_ID = 'app.earshot.Earshot';

/**
 * `bound`: each id the portal really bound → its trigger_description (null when it gave none). An id
 * asked for and missing here was not bound (the user declined it, or the desktop refused it).
 */
export type PortalBindResult = { ok: true; bound: Record<string, string | null> } | { ok: false; reason: string };

export interface PortalShortcutRequest {
  id: string;
  description: string;
  /** In the Shortcuts Specification's syntax (main/app/portal-trigger.ts). */
  preferredTrigger: string;
  /** Without it bound the session is of no use: the bind fails (NOTHING_BOUND) and the session is closed. */
  required?: boolean;
}

/** What the portal tells us after the session is bound. */
export interface PortalEvents {
  activated(id: string, timestampMs: number): void;
  deactivated(id: string, timestampMs: number): void;
  /** The user changed the keys in the desktop's settings (ShortcutsChanged). */
  triggerChanged(id: string, triggerDescription: string | null): void;
  /** The session or the portal went away: hold has to fall back. */
  lost(reason: string): void;
}

export interface PortalShortcuts {
  /**
   * Binds these shortcuts in one BindShortcuts call of a new session (a session binds once; the
   * previous one is closed first). Fails when the call fails, or a required shortcut (or every
   * shortcut) was left unbound; an optional one left out is just missing from `bound`.
   */
  bind(requests: readonly PortalShortcutRequest[]): Promise<PortalBindResult>;
  close(): Promise<void>;
}

export type PortalOpenResult = { ok: true; portal: PortalShortcuts } | { ok: false; reason: string };

export interface PortalOptions {
  /** DBUS_SESSION_BUS_ADDRESS. */
  busAddress: string | undefined;
  appId?: string;
  /** Inside Flatpak the portal knows the app id already and refuses Register. */
  sandboxed?: boolean;
  logger: Logger;
  /** How long CreateSession and the property reads may take. */
  callTimeoutMs?: number;
  /** How long BindShortcuts may wait (GNOME shows a consent dialog first). */
  bindTimeoutMs?: number;
}

export const REFUSED = "the desktop's shortcut portal refused the binding";
export const NOTHING_BOUND = `${REFUSED} (no key was bound)`;

/** Whether this process runs inside Flatpak (xdg-desktop-portal itself looks for /.flatpak-info). */
export function isSandboxed(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.FLATPAK_ID) || existsSync('/.flatpak-info');
}

// The shapes we read off the wire (dbus-native's default "plain values": a{sv} → object, t → bigint).
const VardictSchema = z.record(z.string(), z.unknown());
const ShortcutListSchema = z.array(z.tuple([z.string(), VardictSchema]));
const ResponseBodySchema = z.tuple([z.number().int(), VardictSchema]);
const SessionResultsSchema = z.object({ session_handle: z.string() }).loose();
const BindResultsSchema = z.object({ shortcuts: ShortcutListSchema.optional() }).loose();
const ActivationBodySchema = z.tuple([z.string(), z.string(), z.union([z.bigint(), z.number()]), VardictSchema]);
const ShortcutsChangedBodySchema = z.tuple([z.string(), ShortcutListSchema]);
const NameOwnerChangedBodySchema = z.tuple([z.string(), z.string(), z.string()]);

const SIGNAL = 4; // dbus message type (dbus-native's messageType.signal)

function dbusName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'dbusName' in error ? String((error as DBusError).dbusName) : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function token(): string {
  return `earshot_${randomBytes(6).toString('hex')}`;
}

/** The listed shortcuts among `ids` → their trigger_description (null when absent or empty). */
function triggersOf(list: z.infer<typeof ShortcutListSchema>, ids: ReadonlySet<string>): Record<string, string | null> {
  const bound: Record<string, string | null> = {};
  for (const [id, values] of list) {
    if (!ids.has(id)) continue;
    const trigger = values.trigger_description;
    bound[id] = typeof trigger === 'string' && trigger !== '' ? trigger : null;
  }
  return bound;
}

/**
 * Connects to the session bus, registers the app id where the portal offers the registry, and checks
 * that the portal has GlobalShortcuts. Never throws: a missing bus, portal or interface is a reason.
 */
export async function openPortalShortcuts(options: PortalOptions, events: PortalEvents): Promise<PortalOpenResult> {
  const { logger } = options;
  if (!options.busAddress) return { ok: false, reason: 'there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)' };
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  let bus: MessageBus;
  try {
    bus = sessionBus({ busAddress: options.busAddress, timeout: callTimeoutMs });
  } catch (error) {
    return { ok: false, reason: `the D-Bus session bus cannot be reached (${errorText(error)})` };
  }
  // A connection error must never become an uncaught 'error' event (that would end the app).
  let connectionError: string | null = null;
  bus.connection.on('error', (error: Error) => {
    connectionError = error.message;
    logger.warn('session bus connection error', { error: error.message });
  });
  const fail = async (reason: string): Promise<PortalOpenResult> => {
    await bus.close().catch(() => undefined);
    return { ok: false, reason };
  };
  const call = async (member: string, iface: string, signature: string, body: unknown[], path = PORTAL_PATH, timeout = callTimeoutMs): Promise<unknown> =>
    await bus.invoke({ destination: PORTAL_BUS_NAME, path, interface: iface, member, signature, body }, { timeout });
  const noPortal = 'no desktop portal (org.freedesktop.portal.Desktop) answers on the session bus';

  try {
    await bus.getId();
  } catch (error) {
    return fail(`the D-Bus session bus cannot be reached (${connectionError ?? errorText(error)})`);
  }

  if (!options.sandboxed) {
    try {
      await call('Register', PORTAL_REGISTRY, 'sa{sv}', [options.appId ?? PORTAL_APP_ID, {}]);
    } catch (error) {
      const name = dbusName(error);
      if (name === 'org.freedesktop.DBus.Error.ServiceUnknown' || name === 'org.freedesktop.DBus.Error.NameHasNoOwner') return fail(noPortal);
      // Older portals (< 1.19) have no registry: they identify host apps by other means.
      logger.info('portal app id not registered', { error: `${name} ${errorText(error)}` });
    }
  }

  let version: number;
  try {
    const value = await call('Get', 'org.freedesktop.DBus.Properties', 'ss', [GLOBAL_SHORTCUTS, 'version']);
    version = z.number().int().parse(value);
  } catch (error) {
    const name = dbusName(error);
    if (name === 'org.freedesktop.DBus.Error.ServiceUnknown' || name === 'org.freedesktop.DBus.Error.NameHasNoOwner') return fail(noPortal);
    if (name === '' && connectionError) return fail(`the D-Bus session bus connection failed (${connectionError})`);
    return fail(`the desktop portal has no GlobalShortcuts interface (${name || errorText(error)})`);
  }
  logger.info('GlobalShortcuts portal found', { version });
  return { ok: true, portal: new PortalConnection(bus, events, logger, callTimeoutMs, options.bindTimeoutMs ?? 120_000) };
}

interface Waiter {
  resolve: (body: unknown[]) => void;
}

class PortalConnection implements PortalShortcuts {
  private session: string | null = null;
  /** The ids asked for in this session's BindShortcuts. */
  private boundIds: ReadonlySet<string> = new Set();
  private closed = false;
  private readonly waiters = new Map<string, Waiter>();
  private readonly early = new Map<string, unknown[]>();
  private readonly bus: MessageBus;
  private readonly events: PortalEvents;
  private readonly logger: Logger;
  private readonly callTimeoutMs: number;
  private readonly bindTimeoutMs: number;
  private readonly subscribed: Promise<void>;

  constructor(bus: MessageBus, events: PortalEvents, logger: Logger, callTimeoutMs: number, bindTimeoutMs: number) {
    this.bus = bus;
    this.events = events;
    this.logger = logger;
    this.callTimeoutMs = callTimeoutMs;
    this.bindTimeoutMs = bindTimeoutMs;
    bus.connection.on('message', (message: Message) => this.onMessage(message));
    bus.connection.on('close', () => this.lose('the session bus connection closed'));
    this.subscribed = Promise.all([
      bus.addMatch(`type='signal',sender='${PORTAL_BUS_NAME}',interface='${GLOBAL_SHORTCUTS}',path='${PORTAL_PATH}'`),
      bus.addMatch(`type='signal',interface='${PORTAL_REQUEST}',member='Response'`),
      bus.addMatch(`type='signal',interface='${PORTAL_SESSION}',member='Closed'`),
      bus.addMatch(`type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${PORTAL_BUS_NAME}'`),
    ]).then(() => undefined);
  }

  async bind(requests: readonly PortalShortcutRequest[]): Promise<PortalBindResult> {
    if (this.closed) return { ok: false, reason: 'the shortcut portal connection is closed' };
    try {
      await this.subscribed;
      await this.closeSession();
      const sessionToken = token();
      const created = await this.request(
        'CreateSession',
        'a{sv}',
        (handleToken) => [{ handle_token: handleToken, session_handle_token: sessionToken }],
        this.callTimeoutMs,
      );
      if (created.code !== 0) return { ok: false, reason: `the desktop's shortcut portal would not open a session (response ${created.code})` };
      const session = SessionResultsSchema.parse(created.results).session_handle;
      this.session = session;
      this.boundIds = new Set(requests.map((r) => r.id));
      const shortcuts = requests.map((r) => [r.id, { description: r.description, preferred_trigger: r.preferredTrigger }]);
      const bound = await this.request('BindShortcuts', 'oa(sa{sv})sa{sv}', (handleToken) => [session, shortcuts, '', { handle_token: handleToken }], this.bindTimeoutMs);
      if (bound.code !== 0) {
        await this.closeSession();
        return { ok: false, reason: bound.code === 1 ? `${REFUSED} (cancelled in its dialog)` : REFUSED };
      }
      const triggers = triggersOf(BindResultsSchema.parse(bound.results).shortcuts ?? [], this.boundIds);
      if (Object.keys(triggers).length === 0 || requests.some((r) => r.required && !(r.id in triggers))) {
        await this.closeSession();
        return { ok: false, reason: NOTHING_BOUND };
      }
      return { ok: true, bound: triggers };
    } catch (error) {
      await this.closeSession();
      return { ok: false, reason: `${REFUSED} (${errorText(error)})` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.closeSession();
    this.closed = true;
    await this.bus.close().catch(() => undefined);
  }

  /** One portal call that answers through a Request object's Response signal. */
  private async request(member: string, signature: string, body: (handleToken: string) => unknown[], timeoutMs: number): Promise<{ code: number; results: Record<string, unknown> }> {
    const handleToken = token();
    const sender = (this.bus.name ?? '').replace(/^:/, '').replace(/\./g, '_');
    let expected = `${PORTAL_PATH}/request/${sender}/${handleToken}`;
    let timer: NodeJS.Timeout | undefined;
    const response = new Promise<unknown[]>((resolve, reject) => {
      this.waiters.set(expected, { resolve });
      timer = setTimeout(() => reject(new Error(`no answer to ${member} in ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    });
    try {
      const handle = z
        .string()
        .parse(await this.bus.invoke({ destination: PORTAL_BUS_NAME, path: PORTAL_PATH, interface: GLOBAL_SHORTCUTS, member, signature, body: body(handleToken) }, { timeout: this.callTimeoutMs }));
      if (handle !== expected) {
        // A portal older than 0.9 chose its own handle: follow it (the Request documentation).
        const waiter = this.waiters.get(expected);
        this.waiters.delete(expected);
        expected = handle;
        if (waiter) this.waiters.set(expected, waiter);
        const early = this.early.get(expected);
        if (early && waiter) waiter.resolve(early);
      }
      const [code, results] = ResponseBodySchema.parse(await response);
      return { code, results };
    } finally {
      clearTimeout(timer);
      this.waiters.delete(expected);
      this.early.delete(expected);
    }
  }

  private onMessage(message: Message): void {
    if (message.type !== SIGNAL || !message.path) return;
    const body = message.body ?? [];
    try {
      if (message.interface === PORTAL_REQUEST && message.member === 'Response') {
        const waiter = this.waiters.get(message.path);
        if (waiter) waiter.resolve(body);
        else if (this.early.size < 16) this.early.set(message.path, body);
        return;
      }
      if (message.interface === PORTAL_SESSION && message.member === 'Closed') {
        if (message.path === this.session) {
          this.session = null;
          this.lose('the desktop closed the shortcut portal session');
        }
        return;
      }
      if (message.interface === 'org.freedesktop.DBus' && message.member === 'NameOwnerChanged') {
        const [name, , owner] = NameOwnerChangedBodySchema.parse(body);
        if (name === PORTAL_BUS_NAME && owner === '') this.lose('the desktop portal left the session bus');
        return;
      }
      if (message.interface !== GLOBAL_SHORTCUTS || message.path !== PORTAL_PATH) return;
      if (message.member === 'Activated' || message.member === 'Deactivated') {
        const [session, id, timestamp] = ActivationBodySchema.parse(body);
        if (session !== this.session || this.session === null) return;
        if (message.member === 'Activated') this.events.activated(id, Number(timestamp));
        else this.events.deactivated(id, Number(timestamp));
      } else if (message.member === 'ShortcutsChanged') {
        const [session, list] = ShortcutsChangedBodySchema.parse(body);
        if (session !== this.session) return;
        for (const [id, trigger] of Object.entries(triggersOf(list, this.boundIds))) this.events.triggerChanged(id, trigger);
      }
    } catch (error) {
      this.logger.warn('unexpected portal signal ignored', { member: message.member, error: errorText(error) });
    }
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.session = null;
    this.logger.warn('shortcut portal lost', { reason });
    void this.bus.close().catch(() => undefined);
    this.events.lost(reason);
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (!session || this.closed) return;
    try {
      await this.bus.invoke({ destination: PORTAL_BUS_NAME, path: session, interface: PORTAL_SESSION, member: 'Close' }, { timeout: this.callTimeoutMs });
    } catch (error) {
      this.logger.info('portal session already gone', { error: errorText(error) });
    }
  }
}
