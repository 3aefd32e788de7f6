/**
 * A fake xdg-desktop-portal on a (private) session bus: owns org.freedesktop.portal.Desktop and serves,
 * at /org/freedesktop/portal/desktop, org.freedesktop.portal.GlobalShortcuts (version 2) and
 * org.freedesktop.host.portal.Registry (version 1), the way xdg-desktop-portal does
 * (data/org.freedesktop.portal.GlobalShortcuts.xml, data/org.freedesktop.portal.Request.xml,
 * data/org.freedesktop.host.portal.Registry.xml, desktop-portal/global-shortcuts.c):
 *
 * - a method answers with a Request handle /org/freedesktop/portal/desktop/request/SENDER/TOKEN and the
 *   result comes later as that object's Response(code, results) signal;
 * - BindShortcuts takes a list of shortcuts in one call, keeps only `description` and
 *   `preferred_trigger` of each, may be refused (code 1 or 2), and answers with the shortcuts bound
 *   and their `trigger_description`: "a subset of the shortcuts which were passed in ... (this
 *   includes the set of all shortcuts and the empty set)" — `declineIds` leaves some out, as a person
 *   unticking one in GNOME's dialog does;
 * - Activated / Deactivated carry the `shortcut_id` and come only for a shortcut bound in that session
 *   ("Notifies about a shortcut becoming active"); ShortcutsChanged carries the session's shortcuts
 *   with their new `trigger_description` ("the information associated with some of the shortcuts has
 *   changed");
 * - Register must come before any portal call of that connection, and only once;
 * - Activated / Deactivated / ShortcutsChanged are emitted on demand; Session.Close / closeSession()
 *   end a session (the latter with the Session::Closed signal, as when the desktop ends it).
 */
import { defineInterface, sessionBus, Variant, type HandlerContext, type MessageBus } from 'dbus-native';

export interface FakePortalOptions {
  busAddress: string;
  /** Serve GlobalShortcuts at all (false: a portal without the interface). */
  globalShortcuts?: boolean;
  /** Serve the host registry (xdg-desktop-portal ≥ 1.19). */
  registry?: boolean;
  /** The Response code BindShortcuts ends with: 0 bound, 1 cancelled by the user, 2 other. */
  bindResponse?: 0 | 1 | 2;
  /** The keys the user "chose" in the portal's dialog for every shortcut (trigger_description); default: the preferred trigger. */
  userTrigger?: string;
  /** The same per shortcut id (wins over userTrigger). */
  userTriggers?: Record<string, string>;
  /** Ids the desktop leaves out of a successful BindShortcuts (declined in its dialog, or refused). */
  declineIds?: string[];
}

export interface BoundShortcut {
  id: string;
  description: string;
  preferredTrigger: string | null;
}

export interface FakePortal {
  /** Every call, in order: `Register app.earshot.Earshot`, `CreateSession`, `BindShortcuts`, `Session.Close`. */
  calls: string[];
  registeredAppIds: string[];
  /** What the last BindShortcuts asked for. */
  lastBind: BoundShortcut[];
  /** What every BindShortcuts asked for, one entry per call. */
  binds: BoundShortcut[][];
  /** The ids bound in the open session, with their trigger_description. */
  bound(): Record<string, string>;
  /** The open session's handle, once created. */
  session(): string | null;
  /** The user presses / releases the bound keys. Returns the timestamp sent (ms, undefined base). */
  activate(id: string): number;
  deactivate(id: string): number;
  /** The user changes the keys in the desktop's settings. */
  changeTrigger(id: string, triggerDescription: string): void;
  /** The desktop ends the session (Session::Closed). */
  closeSession(): void;
  close(): Promise<void>;
}

const PATH = '/org/freedesktop/portal/desktop';

export async function startFakePortal(options: FakePortalOptions): Promise<FakePortal> {
  const bus: MessageBus = sessionBus({ busAddress: options.busAddress });
  const calls: string[] = [];
  const registeredAppIds: string[] = [];
  const registeredSenders = new Set<string>();
  const usedSenders = new Set<string>();
  let lastBind: BoundShortcut[] = [];
  const binds: BoundShortcut[][] = [];
  let session: string | null = null;
  let sessionOwner: string | null = null;
  let bound: { id: string; description: string; trigger: string }[] = [];
  const started = performance.now();

  const senderPart = (context: HandlerContext): string => (context.sender ?? '').replace(/^:/, '').replace(/\./g, '_');
  const requestPath = (context: HandlerContext, handleToken: unknown): string =>
    `${PATH}/request/${senderPart(context)}/${typeof handleToken === 'string' ? handleToken : `t${Math.floor(Math.random() * 1e9)}`}`;
  /** The Response comes after the method's reply, as from the real portal (its impl answers later). */
  const respond = (path: string, code: number, results: Record<string, unknown>): void => {
    setTimeout(() => bus.sendSignal(path, 'org.freedesktop.portal.Request', 'Response', 'ua{sv}', [code, results]), 5);
  };
  const shortcutList = (): unknown[] => bound.map((s) => [s.id, { description: new Variant('s', s.description), trigger_description: new Variant('s', s.trigger) }]);

  /** Each session is an object with org.freedesktop.portal.Session.Close (data/org.freedesktop.portal.Session.xml). */
  const exportSession = (path: string): void => {
    const closer = defineInterface({
      name: 'org.freedesktop.portal.Session',
      methods: {
        Close: {
          out: {},
          handler: () => {
            calls.push('Session.Close');
            if (path === session) {
              session = null;
              bound = [];
            }
            return null;
          },
        },
      },
      properties: { version: { type: 'u', access: 'read', value: 1 } },
    });
    bus.exportInterface(closer.impl, path, closer.descriptor);
  };

  await bus.ownName('org.freedesktop.portal.Desktop');

  if (options.registry !== false) {
    const registry = defineInterface({
      name: 'org.freedesktop.host.portal.Registry',
      methods: {
        Register: {
          in: { app_id: 's', options: 'a{sv}' },
          out: {},
          handler: ({ app_id: appId }: { app_id: string }, context: HandlerContext) => {
            const sender = context.sender ?? '';
            if (registeredSenders.has(sender)) throw new Error('Connection already associated with an application ID');
            if (usedSenders.has(sender)) throw new Error('Connection already associated with an application ID');
            registeredSenders.add(sender);
            registeredAppIds.push(appId);
            calls.push(`Register ${appId}`);
            return null;
          },
        },
      },
      properties: { version: { type: 'u', access: 'read', value: 1 } },
    });
    await bus.export(PATH, registry);
  }

  if (options.globalShortcuts !== false) {
    const shortcuts = defineInterface({
      name: 'org.freedesktop.portal.GlobalShortcuts',
      methods: {
        CreateSession: {
          in: { options: 'a{sv}' },
          out: { handle: 'o' },
          handler: ({ options: o }: { options: Record<string, unknown> }, context: HandlerContext) => {
            usedSenders.add(context.sender ?? '');
            calls.push('CreateSession');
            const path = requestPath(context, o.handle_token);
            const sessionToken = typeof o.session_handle_token === 'string' ? o.session_handle_token : 'session';
            session = `${PATH}/session/${senderPart(context)}/${sessionToken}`;
            sessionOwner = context.sender ?? null;
            bound = [];
            exportSession(session);
            respond(path, 0, { session_handle: new Variant('s', session) });
            return path;
          },
        },
        BindShortcuts: {
          in: { session_handle: 'o', shortcuts: 'a(sa{sv})', parent_window: 's', options: 'a{sv}' },
          out: { request_handle: 'o' },
          handler: (
            args: { session_handle: string; shortcuts: [string, Record<string, unknown>][]; options: Record<string, unknown> },
            context: HandlerContext,
          ) => {
            calls.push('BindShortcuts');
            if (args.session_handle !== session || context.sender !== sessionOwner) throw new Error('Invalid session');
            lastBind = args.shortcuts.map(([id, values]) => ({
              id,
              description: typeof values.description === 'string' ? values.description : '',
              preferredTrigger: typeof values.preferred_trigger === 'string' ? values.preferred_trigger : null,
            }));
            binds.push(lastBind);
            const path = requestPath(context, args.options.handle_token);
            const code = options.bindResponse ?? 0;
            if (code !== 0) {
              respond(path, code, {});
              return path;
            }
            bound = lastBind
              .filter((s) => !(options.declineIds ?? []).includes(s.id))
              .map((s) => ({ id: s.id, description: s.description, trigger: options.userTriggers?.[s.id] ?? options.userTrigger ?? s.preferredTrigger ?? '' }));
            respond(path, 0, { shortcuts: new Variant('a(sa{sv})', shortcutList()) });
            return path;
          },
        },
      },
      properties: { version: { type: 'u', access: 'read', value: 2 } },
      signals: {
        Activated: { args: { session_handle: 'o', shortcut_id: 's', timestamp: 't', options: 'a{sv}' } },
        Deactivated: { args: { session_handle: 'o', shortcut_id: 's', timestamp: 't', options: 'a{sv}' } },
        ShortcutsChanged: { args: { session_handle: 'o', shortcuts: 'a(sa{sv})' } },
      },
    });
    await bus.export(PATH, shortcuts);
  }

  const emit = (member: 'Activated' | 'Deactivated', id: string): number => {
    if (!session) throw new Error(`fake portal: ${member} without a session`);
    if (!bound.some((s) => s.id === id)) throw new Error(`fake portal: ${member} for ${id}, which this session has not bound`);
    const timestamp = Math.round(performance.now() - started);
    bus.sendSignal(PATH, 'org.freedesktop.portal.GlobalShortcuts', member, 'osta{sv}', [session, id, BigInt(timestamp), {}]);
    return timestamp;
  };

  return {
    calls,
    registeredAppIds,
    get lastBind() {
      return lastBind;
    },
    binds,
    bound: () => Object.fromEntries(bound.map((s) => [s.id, s.trigger])),
    session: () => session,
    activate: (id) => emit('Activated', id),
    deactivate: (id) => emit('Deactivated', id),
    changeTrigger(id, triggerDescription) {
      if (!session) throw new Error('fake portal: no session');
      if (!bound.some((s) => s.id === id)) throw new Error(`fake portal: ShortcutsChanged for ${id}, which this session has not bound`);
      bound = bound.map((s) => (s.id === id ? { ...s, trigger: triggerDescription } : s));
      bus.sendSignal(PATH, 'org.freedesktop.portal.GlobalShortcuts', 'ShortcutsChanged', 'oa(sa{sv})', [session, shortcutList()]);
    },
    closeSession() {
      if (!session) throw new Error('fake portal: no session');
      const path = session;
      session = null;
      bound = [];
      bus.sendSignal(path, 'org.freedesktop.portal.Session', 'Closed', 'a{sv}', [{}]);
    },
    async close() {
      await bus.close();
    },
  };
}
