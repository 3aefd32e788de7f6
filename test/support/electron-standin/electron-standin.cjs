// A stand-in for the `electron` module, as strict as Electron 45 where Earshot depends on it, so the
// BUILT main bundle (out/main/index.js) and the BUILT preload (out/preload/index.cjs) can run under
// plain Node where no Electron binary exists. Each behaviour names its source: a docs page, a
// source file of electron/electron (main @ 96f3996, the v45 nightlies; mirrored under
// /work/.mirror/electron+electron) or an issue. Every module object, class and instance is strict
// (strict.cjs): reading anything not modelled here throws `stand-in Electron does not model …`.
// What the app did is recorded in globalThis.__standin for the tests (run-main.ts reports it).
//
// Configuration (environment):
//   STANDIN_DECRYPT_DELAY_MS    safeStorage.decryptStringAsync takes this long (Keychain/libsecret prompts)
//   STANDIN_TAKEN_ACCELERATORS  comma list: globalShortcut.register returns false for these
//   STANDIN_PACKAGED=1          app.isPackaged; STANDIN_RESOURCES_PATH is then process.resourcesPath
//   STANDIN_OPENED_AT_LOGIN=1   macOS: getLoginItemSettings().wasOpenedAtLogin (this start came from the login item)
//   STANDIN_DARK=1, STANDIN_SYSTEM_DARK=0|1   nativeTheme: dark colours; Windows taskbar (system) theme
//   globalThis.__standinPage    the page: (window, { url }) => void, run after the preload on every load
//   STANDIN_SCREEN_ACCESS       macOS: getMediaAccessStatus('screen') (granted, denied, not-determined, restricted);
//                               the desktop desktopCapturer lists is record.desktop (desktop-capturer.cjs)
'use strict';
/* global setImmediate, console, URL, Request -- Node globals the .cjs lint config does not list */
const { EventEmitter } = require('node:events');
const { readFileSync } = require('node:fs');
const { isAbsolute } = require('node:path');
const { strict, strictClass } = require('./strict.cjs');
const { MAIN_REALM, MessageChannelMain, MessagePortMain, validateMainTransfer, portForRenderer, mainCloner } = require('./message-ports.cjs');
const { RendererDocument, ELECTRON_VERSION } = require('./renderer.cjs');
const cipher = require('./safe-storage-cipher.cjs');
const { createDesktopCapturer, encodePng } = require('./desktop-capturer.cjs');

const env = process.env;
// STANDIN_PLATFORM lets a test ask for another OS's Electron behaviour (login items, per-OS APIs).
const platform = process.env.STANDIN_PLATFORM ?? process.platform;
const config = {
  decryptDelayMs: Number(env.STANDIN_DECRYPT_DELAY_MS ?? 0),
  taken: new Set((env.STANDIN_TAKEN_ACCELERATORS ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
  packaged: env.STANDIN_PACKAGED === '1',
  openedAtLogin: env.STANDIN_OPENED_AT_LOGIN === '1',
};

const record = (globalThis.__standin ??= {
  calls: [],
  handlers: new Map(),
  windows: [],
  trays: [],
  shortcuts: new Map(),
  schemes: [],
  protocolHandlers: new Map(),
  permissionRequestHandler: null,
  permissionCheckHandler: null,
  /** webContents.send / postMessage that reached no ipcRenderer listener: lost, as in Electron. */
  drops: [],
  /** Every image the app loaded (nativeImage.createFromPath, window icons) and whether it is empty. */
  images: [],
  notifications: [],
  applicationMenu: { set: false, menu: null },
  loginItems: [],
  preloads: [],
  pageErrors: [],
  /** Renderer → main port messages whose data arrived null (electron/electron#34905). */
  nullPortMessages: 0,
  /** ipcRenderer.send that reached no ipcMain listener. */
  unheardSends: [],
  invokeFailures: [],
  /** nativeImage.resize calls (from, to, quality). */
  resizes: [],
});
const note = (what) => record.calls.push(what);
MAIN_REALM.onNullData = () => {
  record.nullPortMessages += 1;
};

// Electron's main process identifies itself (docs/api/process.md: process.type 'browser',
// process.versions.electron, process.resourcesPath).
process.type = 'browser';
if (config.packaged) process.resourcesPath = env.STANDIN_RESOURCES_PATH ?? '/opt/Earshot/resources';

function electronEvent(fields = {}) {
  const event = { defaultPrevented: false, ...fields };
  event.preventDefault = () => {
    event.defaultPrevented = true;
  };
  return strict('Event', event);
}

// ---------------------------------------------------------------- app

// shell/browser/api/electron_api_app.cc GetPath: unknown names throw "Failed to get '<name>' path".
const PATH_NAMES = ['home', 'appData', 'assets', 'userData', 'sessionData', 'temp', 'exe', 'module', 'desktop', 'documents', 'downloads', 'music', 'pictures', 'videos', 'recent', 'logs', 'crashDumps'];

class App extends EventEmitter {
  constructor() {
    super();
    this.isPackaged = config.packaged;
    this.name = 'Earshot';
    this.paths = new Map(PATH_NAMES.map((n) => [n, `/tmp/earshot-standin/${n}`]));
    this.ready = false;
    this.loginItemSettings = [];
    // docs/api/app.md "app.dock" _macOS_: undefined elsewhere.
    this.dock = platform === 'darwin' ? strict('app.dock', { hide: () => note('app.dock.hide'), show: async () => note('app.dock.show') }) : undefined;
    // lib/browser/api/app.ts: app.commandLine reads the process's own switches.
    this.commandLine = strict('app.commandLine', {
      hasSwitch: (name) => process.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
      getSwitchValue: (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '',
      appendSwitch: (name, value) => note(`commandLine.appendSwitch ${name}${value === undefined ? '' : `=${value}`}`),
      appendArgument: (arg) => note(`commandLine.appendArgument ${arg}`),
      removeSwitch: (name) => note(`commandLine.removeSwitch ${name}`),
    });
    // 'ready' comes after the main script's first turn (Chromium finishes starting up meanwhile).
    setTimeout(() => {
      this.ready = true;
      this.emit('will-finish-launching');
      this.emit('ready', electronEvent(), {});
    }, 20);
    return strict('app', this);
  }
  whenReady() {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.once('ready', () => resolve()));
  }
  isReady() {
    return this.ready;
  }
  getName() {
    return this.name;
  }
  getVersion() {
    return '0.1.0';
  }
  getAppPath() {
    return process.cwd();
  }
  getPath(name) {
    if (!this.paths.has(name)) throw new Error(`Failed to get '${name}' path`);
    return this.paths.get(name);
  }
  setPath(name, value) {
    // electron_api_app.cc SetPath: the path must be absolute.
    if (!isAbsolute(value)) throw new Error('Path must be absolute');
    this.paths.set(name, value);
  }
  requestSingleInstanceLock() {
    return true;
  }
  hasSingleInstanceLock() {
    return true;
  }
  // docs/api/app.md `app.releaseSingleInstanceLock()`: the updater gives the lock up before it starts
  // the new version (main/app/updates/electron-updater-driver.ts).
  releaseSingleInstanceLock() {
    note('app.releaseSingleInstanceLock');
  }
  // lib/browser/api/app.ts: `app.setAppUserModelId = app.setAppUserModelId || (() => {})` — a no-op
  // off Windows (electron_api_app.cc binds it only under IS_WIN). Recorded everywhere.
  setAppUserModelId(id) {
    note(`setAppUserModelId ${id}`);
  }
  // docs/api/app.md "app.setDesktopName(name)" _Linux_ (bound on every platform in electron_api_app.cc).
  setDesktopName(name) {
    note(`setDesktopName ${name}`);
  }
  // docs/api/app.md setLoginItemSettings _macOS_ _Windows_; browser_linux.cc: a no-op on Linux.
  setLoginItemSettings(settings) {
    note(`setLoginItemSettings ${JSON.stringify(settings)}`);
    record.loginItems.push(settings);
    if (platform === 'linux') return;
    const path = settings.path ?? process.execPath;
    const args = settings.args ?? [];
    this.loginItemSettings = this.loginItemSettings.filter((s) => !(s.path === path && sameArgs(s.args, args)));
    if (settings.openAtLogin) this.loginItemSettings.push({ path, args });
  }
  // docs/api/app.md getLoginItemSettings: on Windows "If you provided path and args options to
  // app.setLoginItemSettings, then you need to pass the same arguments here for openAtLogin to be
  // set correctly" (path defaults to process.execPath, args to []). browser_linux.cc: defaults on Linux.
  getLoginItemSettings(options = {}) {
    if (platform === 'linux') return { openAtLogin: false, executableWillLaunchAtLogin: false, launchItems: [] };
    const path = options.path ?? process.execPath;
    const args = options.args ?? [];
    const exact = this.loginItemSettings.some((s) => s.path === path && (platform !== 'win32' || sameArgs(s.args, args)));
    // The returned fields differ per OS (docs/api/app.md): wasOpenedAtLogin and status are macOS
    // only (STANDIN_OPENED_AT_LOGIN=1: this start came from the login item); the rest Windows only.
    if (platform === 'darwin') return { openAtLogin: exact, wasOpenedAtLogin: config.openedAtLogin, status: exact ? 'enabled' : 'not-registered' };
    return { openAtLogin: exact, executableWillLaunchAtLogin: this.loginItemSettings.some((s) => s.path === path), launchItems: [] };
  }
  quit() {
    note('app.quit');
    const event = electronEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    const willQuit = electronEvent();
    this.emit('will-quit', willQuit);
    if (!willQuit.defaultPrevented) this.emit('quit', electronEvent(), 0);
  }
  exit(code) {
    note(`app.exit ${code}`);
  }
  focus() {
    note('app.focus');
  }
}
const sameArgs = (a = [], b = []) => a.length === b.length && a.every((x, i) => x === b[i]);
const app = new App();
const requireReady = (message) => {
  if (!app.isReady()) throw new Error(message);
};

// ---------------------------------------------------------------- nativeImage

// docs/api/native-image.md createFromPath: "returns an empty image if the path does not exist,
// cannot be read, or is not a valid image"; isEmpty, getSize, setTemplateImage, isTemplateImage.
class NativeImage {
  constructor(path, size, seed = 0) {
    this.path = path;
    this.size = size;
    this.seed = seed;
    this.template = false;
    return strict('NativeImage', this);
  }
  // resize: "If only the height or the width are specified then the current aspect ratio will be
  // preserved"; an empty image stays empty. toPNG / toDataURL: the image's pixels, as a real PNG.
  resize(options) {
    if (!this.size) return new NativeImage(this.path, null);
    const ratio = this.size.width / this.size.height;
    const width = options.width ?? (options.height !== undefined ? Math.round(options.height * ratio) : this.size.width);
    const height = options.height ?? (options.width !== undefined ? Math.round(options.width / ratio) : this.size.height);
    record.resizes.push({ from: { ...this.size }, to: { width, height }, quality: options.quality ?? 'best' });
    return new NativeImage(this.path, { width, height }, this.seed);
  }
  toPNG() {
    return this.size ? encodePng(this.size.width, this.size.height, this.seed) : Buffer.alloc(0);
  }
  toDataURL() {
    return this.size ? `data:image/png;base64,${this.toPNG().toString('base64')}` : 'data:image/png;base64,';
  }
  isEmpty() {
    return this.size === null;
  }
  getSize() {
    return this.size ? { ...this.size } : { width: 0, height: 0 };
  }
  setTemplateImage(option) {
    this.template = Boolean(option);
  }
  isTemplateImage() {
    return this.template;
  }
}
function imageSize(bytes) {
  const png = bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('ascii', 12, 16) === 'IHDR';
  if (png) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  return null; // the stand-in reads PNG only; anything else counts as "not a valid image"
}
function loadImage(path, purpose) {
  let size;
  try {
    size = imageSize(readFileSync(path));
  } catch {
    size = null;
  }
  record.images.push({ path, purpose, empty: size === null });
  return new NativeImage(path, size);
}
const nativeImage = strict('nativeImage', {
  createFromPath: (path) => loadImage(path, 'nativeImage.createFromPath'),
  createEmpty: () => new NativeImage('', null),
});
const toImage = (image, purpose) => (typeof image === 'string' ? loadImage(image, purpose) : image);

// ---------------------------------------------------------------- ipcMain

// lib/browser/ipc-main-impl.ts: handle twice throws; a non-function handler throws.
class IpcMain extends EventEmitter {
  constructor() {
    super();
    this.invokeHandlers = record.handlers;
    this.on('error', () => {}); // "Do not throw exception when channel name is "error"."
    return strict('ipcMain', this);
  }
  handle(method, fn) {
    if (this.invokeHandlers.has(method)) throw new Error(`Attempted to register a second handler for '${method}'`);
    if (typeof fn !== 'function') throw new TypeError(`Expected handler to be a function, but found type '${typeof fn}'`);
    this.invokeHandlers.set(method, fn);
  }
  handleOnce(method, fn) {
    this.handle(method, (e, ...args) => {
      this.removeHandler(method);
      return fn(e, ...args);
    });
  }
  removeHandler(method) {
    this.invokeHandlers.delete(method);
  }
}
const ipcMain = new IpcMain();

// ---------------------------------------------------------------- webContents, frames, windows

let nextWebContentsId = 1;
let nextRoutingId = 1;
const RENDERER_PROCESS_ID = 4;

function originOf(url) {
  try {
    const parsed = new URL(url);
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'null';
  }
}

function makeFrame(webContents, url) {
  const frame = {
    url,
    origin: originOf(url),
    processId: RENDERER_PROCESS_ID,
    routingId: nextRoutingId++,
    frameTreeNodeId: 1,
    parent: null,
    detached: false,
    isDestroyed: () => frame.detached,
    send: (channel, ...args) => webContents.send(channel, ...args),
    postMessage: (channel, message, transfer) => webContents.postMessage(channel, message, transfer),
  };
  frame.top = null;
  const proxy = strict('WebFrameMain', frame);
  frame.top = proxy;
  return proxy;
}

class WebContents extends EventEmitter {
  constructor(window) {
    super();
    this.id = nextWebContentsId++;
    this.window = window;
    this.url = '';
    this.mainFrame = makeFrame(this, 'about:blank');
    this.document = null;
    this.destroyed = false;
    this.windowOpenHandler = null;
    this.sent = [];
    this.self = strict('WebContents', this);
    return this.self;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isLoading() {
    return this.loading === true;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  // lib/browser/api/web-frame-main.ts send: channel must be a string. The message goes to the
  // document that is current now; if that page has no ipcRenderer listener for the channel when it
  // arrives, it is lost (not queued): docs/tutorial/ipc.md, DESIGN §5.
  send(channel, ...args) {
    if (typeof channel !== 'string') throw new TypeError('Missing required channel argument');
    this.sent.push({ channel, payload: args[0] });
    const doc = this.document;
    const payloads = doc ? args.map((a) => doc.realm.cloner(a).value) : args.map((a) => mainCloner(a).value);
    setImmediate(() => this.deliverToPage(doc, channel, payloads, []));
  }
  // shell/browser/api/electron_api_web_frame_main.cc PostMessage: the transfer must convert to
  // MessagePortMain[], else "Invalid value for transfer".
  postMessage(channel, message, transfer) {
    if (typeof channel !== 'string') throw new TypeError('Missing required channel argument');
    let ports = [];
    if (transfer !== undefined) {
      try {
        ports = validateMainTransfer(transfer, null);
      } catch {
        throw new Error('Invalid value for transfer');
      }
    }
    this.sent.push({ channel, message, ports: ports.length });
    const doc = this.document;
    const payload = doc ? doc.realm.cloner(message).value : mainCloner(message).value;
    const rendererPorts = doc ? ports.map((p) => portForRenderer(doc.realm, p)) : [];
    if (!doc) for (const p of ports) p.endpoint.close();
    setImmediate(() => this.deliverToPage(doc, channel, [payload], rendererPorts));
  }
  deliverToPage(doc, channel, payloads, ports) {
    const listening = doc && doc.alive && doc === this.document && doc.ipcRenderer.emitter.listenerCount(channel) > 0;
    if (!listening) {
      record.drops.push({ channel, reason: !doc ? 'no page loaded' : doc !== this.document || !doc.alive ? 'page was replaced' : 'no ipcRenderer listener yet' });
      for (const port of ports) port.close();
      return;
    }
    doc.ipcRenderer.ports.push(...ports);
    const event = strict('IpcRendererEvent', { sender: doc.ipcRenderer.api, ports });
    doc.ipcRenderer.emitter.emit(channel, event, ...payloads);
  }
  // lib/browser/ipc-dispatch.ts '-ipc-message': webContents emits 'ipc-message', then ipcMain.
  receiveSend(doc, channel, args) {
    if (doc !== this.document) return;
    const event = this.ipcEvent(doc, 'IpcMainEvent', { ports: [], reply: (ch, ...a) => this.send(ch, ...a) });
    this.emit('ipc-message', event, channel, ...args);
    if (ipcMain.listenerCount(channel) === 0) record.unheardSends.push(channel);
    ipcMain.emit(channel, event, ...args);
  }
  // lib/browser/ipc-dispatch.ts '-ipc-invoke': the handler's value or error goes back; with no
  // handler the error is "No handler registered for '<channel>'".
  async receiveInvoke(doc, channel, args) {
    const handler = record.handlers.get(channel);
    if (!handler) {
      const error = new Error(`No handler registered for '${channel}'`);
      record.invokeFailures.push({ channel, error: String(error) });
      throw error;
    }
    try {
      return await handler(this.ipcEvent(doc, 'IpcMainInvokeEvent', {}), ...args);
    } catch (error) {
      console.error(`Error occurred in handler for '${channel}':`, error);
      record.invokeFailures.push({ channel, error: String(error) });
      throw error;
    }
  }
  ipcEvent(doc, name, extra) {
    return strict(name, { type: 'frame', sender: this.self, senderFrame: doc.frame, frameId: doc.frame.routingId, processId: RENDERER_PROCESS_ID, ...extra });
  }
  // docs/api/web-contents.md "Event: 'did-start-navigation'": details Event (url, isSameDocument,
  // isMainFrame, frame, initiator), then the deprecated url, isInPlace, isMainFrame, frameProcessId,
  // frameRoutingId. Fired for same-document navigations too.
  emitStartNavigation(url, isSameDocument) {
    const frame = this.mainFrame;
    const details = electronEvent({ url, isSameDocument, isMainFrame: true, frame, initiator: null });
    this.emit('did-start-navigation', details, url, isSameDocument, true, RENDERER_PROCESS_ID, frame.routingId);
    return details;
  }
  /** A cross-document load: navigation, fetch through the session's protocol handler, new document. */
  async load(url) {
    this.loading = true;
    this.emit('did-start-loading');
    this.emitStartNavigation(url, false);
    const response = await fetchForPage(url);
    if (!response.ok) {
      this.loading = false;
      this.emit('did-fail-load', electronEvent(), -6, 'ERR_FILE_NOT_FOUND', url, true, RENDERER_PROCESS_ID, this.mainFrame.routingId);
      throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    }
    await response.arrayBuffer();
    if (this.document) this.document.destroy();
    this.url = url;
    this.mainFrame = makeFrame(this, url);
    this.emit('did-navigate', electronEvent(), url, 200, 'OK');
    const preload = this.window.options.webPreferences?.preload;
    const doc = new RendererDocument({ webContents: this, frame: this.mainFrame, url, record, preloadPath: preload, page: globalThis.__standinPage ?? null });
    this.document = doc;
    doc.runPreload();
    doc.runPage();
    await new Promise((r) => setTimeout(r, 5));
    if (doc !== this.document) return;
    this.emit('dom-ready', electronEvent());
    this.loading = false;
    this.emit('did-finish-load', electronEvent());
    this.emit('did-stop-loading', electronEvent());
    if (!this.window.shownOnce) {
      this.window.shownOnce = true;
      this.window.emit('ready-to-show', electronEvent());
    }
  }
  navigateInPage(url) {
    this.emitStartNavigation(url, true);
    this.url = url;
    this.emit('did-navigate-in-page', electronEvent(), url, true, RENDERER_PROCESS_ID, this.mainFrame.routingId);
  }
  reload() {
    void this.load(this.url);
  }
  destroy() {
    this.destroyed = true;
    this.document?.destroy();
    this.document = null;
    this.emit('destroyed', electronEvent());
  }
}

async function fetchForPage(url) {
  const scheme = new URL(url).protocol.slice(0, -1);
  const handler = record.protocolHandlers.get(scheme);
  if (!handler) throw new Error(`stand-in Electron does not model loading ${scheme}: URLs without a protocol.handle handler`);
  return handler(new Request(url));
}

class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    // electron_api_browser_window.cc: "Cannot create BrowserWindow before app is ready".
    requireReady('Cannot create BrowserWindow before app is ready');
    const prefs = options.webPreferences ?? {};
    // docs/tutorial/sandbox.md: only the sandboxed preload is modelled.
    if (prefs.sandbox !== true || prefs.contextIsolation === false || prefs.nodeIntegration === true) {
      throw new Error('stand-in Electron does not model BrowserWindow without sandbox/contextIsolation (or with nodeIntegration)');
    }
    if (prefs.preload !== undefined && !isAbsolute(prefs.preload)) throw new Error('stand-in Electron does not model a relative webPreferences.preload');
    this.options = options;
    this.visible = false;
    this.destroyed = false;
    this.shownOnce = false;
    this.id = record.windows.length + 1;
    if (options.icon !== undefined) this.icon = toImage(options.icon, 'BrowserWindow icon');
    this.self = strict('BrowserWindow', this);
    this.webContents = new WebContents(this.self);
    record.windows.push(this.self);
    app.emit('web-contents-created', electronEvent(), this.webContents);
    return this.self;
  }
  static getAllWindows() {
    return record.windows.filter((w) => !w.isDestroyed());
  }
  // docs/api/browser-window.md loadURL: resolves on did-finish-load, rejects on did-fail-load.
  loadURL(url) {
    return new Promise((resolve, reject) => {
      setTimeout(() => this.webContents.load(url).then(resolve, reject), 0);
    });
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  show() {
    const was = this.visible;
    this.visible = true;
    if (!was) this.emit('show');
  }
  hide() {
    const was = this.visible;
    this.visible = false;
    if (was) this.emit('hide');
  }
  focus() {}
  restore() {}
  close() {
    const event = electronEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

// ---------------------------------------------------------------- tray, menu, notifications

class Tray extends EventEmitter {
  constructor(image) {
    super();
    requireReady('Cannot create Tray before app is ready'); // electron_api_tray.cc
    this.image = toImage(image, 'Tray');
    this.tooltip = '';
    this.menu = null;
    this.destroyed = false;
    this.images = [this.image];
    const self = strict('Tray', this);
    record.trays.push(self);
    return self;
  }
  setImage(image) {
    this.image = toImage(image, 'Tray.setImage');
    this.images.push(this.image);
  }
  setToolTip(text) {
    this.tooltip = text;
  }
  setContextMenu(menu) {
    this.menu = menu;
  }
  destroy() {
    this.destroyed = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

// lib/browser/api/menu.ts buildFromTemplate: the template must be an array of items with at least
// one of label, role or type.
function checkTemplate(template) {
  if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array');
  for (const item of template) {
    if (item.label === undefined && item.role === undefined && item.type === undefined) {
      throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
    }
    if (Array.isArray(item.submenu)) checkTemplate(item.submenu);
  }
}
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- instances are the menus the app builds; their items are data
class Menu {
  constructor(template) {
    this.template = template;
    this.items = template;
    return strict('Menu', this);
  }
  static buildFromTemplate(template) {
    checkTemplate(template);
    return new MenuProxy(template);
  }
  static setApplicationMenu(menu) {
    record.applicationMenu = { set: true, menu };
  }
  static getApplicationMenu() {
    return record.applicationMenu.menu;
  }
}
const MenuProxy = strictClass('Menu', Menu);

// docs/api/notification.md (Electron 45); shell/browser/api/electron_api_notification.cc: not
// before ready. Per platform, as Electron behaves:
// - `actions` buttons (and the 'action' event) exist on macOS and Windows only
//   (docs/api/structures/notification-action.md "Platform / Action Support"); Linux's libnotify
//   notification has only its "default" action, the click (shell/browser/notifications/linux/
//   libnotify_notification.cc). So record.pressNotificationButton throws on Linux, and for an index
//   the notification does not have (the OS shows no such button).
// - 'action' is emitted as (details, actionIndex, selectionIndex), details carrying actionIndex and
//   selectionIndex (-1: no selection) (electron_api_notification.cc `Notification::NotificationAction`).
// - A click or an action ends the native notification (notification.cc NotificationClicked →
//   Destroy): a later close() does nothing and emits nothing.
// - close(): on macOS CocoaNotification::Dismiss reports NotificationDismissed synchronously, so
//   'close' is emitted; on Windows "programmatic dismissal with notification.close()" emits it
//   (docs/api/notification.md, Event 'close'); on Linux Notification::Close clears the delegate
//   before libnotify's asynchronous "closed" signal, so no 'close' event follows.
// - Interaction needs a shown notification (show() first).
class Notification extends EventEmitter {
  constructor(options = {}) {
    super();
    requireReady('Cannot create Notification before app is ready');
    this.options = options;
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    this.actions = options.actions ?? [];
    this.shown = false;
    this.closed = false;
    this.ended = false;
    const self = strict('Notification', this);
    record.notifications.push(self);
    return self;
  }
  static isSupported() {
    return true;
  }
  show() {
    this.shown = true;
    this.ended = false;
    this.closed = false;
    this.emit('show', electronEvent());
  }
  close() {
    if (!this.shown || this.ended) return;
    this.ended = true;
    this.closed = true;
    if (platform === 'darwin' || platform === 'win32') this.emit('close', electronEvent(platform === 'win32' ? { reason: 'applicationHidden' } : {}));
  }
}
const live = (n, what) => {
  if (!n.shown) throw new Error(`stand-in: cannot ${what} a notification that was never shown`);
  if (n.ended) throw new Error(`stand-in: cannot ${what} a notification that is gone (clicked, answered or closed)`);
};
record.clickNotification = (n) => {
  live(n, 'click');
  n.ended = true;
  n.emit('click', electronEvent());
};
record.pressNotificationButton = (n, index) => {
  live(n, 'press a button of');
  if (platform !== 'darwin' && platform !== 'win32') throw new Error(`stand-in: notifications have no buttons on ${platform} (libnotify shows only the default action)`);
  const actions = n.actions;
  if (!Number.isInteger(index) || index < 0 || index >= actions.length || actions[index]?.type !== 'button') {
    throw new Error(`stand-in: the notification has no button ${index} (actions: ${JSON.stringify(actions)})`);
  }
  n.ended = true;
  const details = electronEvent({ actionIndex: index, selectionIndex: -1 });
  n.emit('action', details, index, -1);
};
/**
 * The OS closed it (the person dismissed it, or it timed out): 'close' on every platform. On Windows
 * the details carry `reason` ('userCanceled', 'applicationHidden', 'timedOut'), and a toast that timed
 * out stays in Action Center with working buttons (docs/api/notification.md, Event 'close').
 */
record.dismissNotification = (n, reason = 'userCanceled') => {
  live(n, 'dismiss');
  const inActionCenter = platform === 'win32' && reason === 'timedOut';
  if (!inActionCenter) {
    n.ended = true;
    n.closed = true;
  }
  n.emit('close', electronEvent(platform === 'win32' ? { reason } : {}));
};

// ---------------------------------------------------------------- nativeTheme

// docs/api/native-theme.md: shouldUseDarkColors; shouldUseDarkColorsForSystemIntegratedUI (documented
// for macOS and Windows, bound everywhere and equal to shouldUseDarkColors unless Windows says
// otherwise: electron_api_native_theme.cc); themeSource; 'updated' when either changes.
// STANDIN_DARK=1 starts dark; STANDIN_SYSTEM_DARK (Windows taskbar) defaults to it.
class NativeTheme extends EventEmitter {
  constructor() {
    super();
    this.dark = env.STANDIN_DARK === '1';
    this.systemDark = env.STANDIN_SYSTEM_DARK === undefined ? null : env.STANDIN_SYSTEM_DARK === '1';
    this.source = 'system';
    return strict('nativeTheme', this);
  }
  get shouldUseDarkColors() {
    return this.source === 'system' ? this.dark : this.source === 'dark';
  }
  get shouldUseDarkColorsForSystemIntegratedUI() {
    return platform === 'win32' && this.systemDark !== null ? this.systemDark : this.shouldUseDarkColors;
  }
  get themeSource() {
    return this.source;
  }
  set themeSource(value) {
    this.source = value;
    this.emit('updated');
  }
}
const nativeTheme = new NativeTheme();
/** The OS switched its theme (a test drives it). */
record.setSystemTheme = ({ dark, systemDark }) => {
  nativeTheme.dark = Boolean(dark);
  if (systemDark !== undefined) nativeTheme.systemDark = Boolean(systemDark);
  nativeTheme.emit('updated');
};

// ---------------------------------------------------------------- session, protocol, permissions

const sessionProtocol = strict('session.protocol', {
  handle(scheme, handler) {
    // lib/browser/api/protocol.ts handle: registering a scheme twice fails.
    if (record.protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    record.protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme) {
    record.protocolHandlers.delete(scheme);
  },
  isProtocolHandled: (scheme) => record.protocolHandlers.has(scheme),
});
const defaultSession = strict('Session', {
  protocol: sessionProtocol,
  setPermissionRequestHandler(handler) {
    record.permissionRequestHandler = handler;
  },
  setPermissionCheckHandler(handler) {
    record.permissionCheckHandler = handler;
  },
});
const session = strict('session', {
  get defaultSession() {
    requireReady('stand-in Electron does not model session.defaultSession before ready'); // it exists only after ready
    return defaultSession;
  },
});

const protocol = strict('protocol', {
  // electron_api_protocol.cc RegisterSchemesAsPrivileged: "protocol.registerSchemesAsPrivileged
  // should be called before app is ready".
  registerSchemesAsPrivileged(schemes) {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record.schemes.push({ schemes, beforeReady: true });
  },
  handle: (scheme, handler) => defaultSession.protocol.handle(scheme, handler),
  unhandle: (scheme) => defaultSession.protocol.unhandle(scheme),
  isProtocolHandled: (scheme) => defaultSession.protocol.isProtocolHandled(scheme),
});

// ---------------------------------------------------------------- globalShortcut

// docs/api/global-shortcut.md register: "When the accelerator is already taken by other
// applications, this call will silently fail" → false, and isRegistered stays false.
// electron_api_global_shortcut.cc: "globalShortcut cannot be used before the app is ready".
// The stand-in cannot see real key presses: tests call the registered callback themselves.
const globalShortcut = strict('globalShortcut', {
  register(accelerator, callback) {
    requireReady('globalShortcut cannot be used before the app is ready');
    if (config.taken.has(accelerator)) {
      note(`globalShortcut.register ${accelerator} → false (taken)`);
      return false;
    }
    // shell/browser/api/electron_api_global_shortcut.cc Register → ui::GlobalAcceleratorListener::
    // RegisterAccelerator, which refuses an accelerator this app already holds: false, not a replace.
    if (record.shortcuts.has(accelerator)) {
      note(`globalShortcut.register ${accelerator} → false (already registered)`);
      return false;
    }
    record.shortcuts.set(accelerator, callback);
    return true;
  },
  isRegistered: (accelerator) => record.shortcuts.has(accelerator),
  unregister(accelerator) {
    record.shortcuts.delete(accelerator);
  },
  unregisterAll() {
    record.shortcuts.clear();
  },
});

// ---------------------------------------------------------------- safeStorage

// docs/api/safe-storage.md: the async API resolves { result, shouldReEncrypt }; decrypting can wait
// on the OS keyring (Keychain or libsecret may prompt): STANDIN_DECRYPT_DELAY_MS models that.
// getSelectedStorageBackend is Linux-only.
const safeStorage = strict('safeStorage', {
  isEncryptionAvailable: () => app.isReady(),
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: platform === 'linux' ? () => (app.isReady() ? 'gnome_libsecret' : 'unknown') : undefined,
  encryptString: (plain) => cipher.encrypt(plain),
  decryptString: (data) => cipher.decrypt(data),
  encryptStringAsync: async (plain) => cipher.encrypt(plain),
  async decryptStringAsync(data) {
    note(`safeStorage.decryptStringAsync (${config.decryptDelayMs} ms)`);
    if (config.decryptDelayMs > 0) await new Promise((r) => setTimeout(r, config.decryptDelayMs));
    return { result: cipher.decrypt(data), shouldReEncrypt: false };
  },
});

// ---------------------------------------------------------------- the rest the app uses

const screen = strict('screen', {
  getPrimaryDisplay() {
    requireReady("The 'screen' module can't be used before the app 'ready' event"); // electron_api_screen.cc
    return { id: 1, scaleFactor: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1048 } };
  },
});
const shell = strict('shell', {
  openExternal: async (url) => note(`openExternal ${url}`),
  openPath: async (path) => {
    note(`openPath ${path}`);
    return '';
  },
});
// docs/api/system-preferences.md: getMediaAccessStatus (macOS, Windows), askForMediaAccess and
// isTrustedAccessibilityClient (macOS). Elsewhere the property is undefined.
const systemPreferences = strict('systemPreferences', {
  isTrustedAccessibilityClient: platform === 'darwin' ? () => false : undefined,
  // 'screen': Windows "will always return granted"; macOS answers the consent (STANDIN_SCREEN_ACCESS).
  getMediaAccessStatus:
    platform === 'darwin' || platform === 'win32' ? (mediaType) => (mediaType === 'screen' && platform === 'darwin' ? record.screenAccess : 'granted') : undefined,
  askForMediaAccess: platform === 'darwin' ? async () => true : undefined,
});
let clipboardText = '';
const clipboard = strict('clipboard', {
  readText: () => clipboardText,
  writeText: (text) => void (clipboardText = String(text)),
});
const dialog = strict('dialog', {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true, filePath: '' }),
  showErrorBox: (title, content) => note(`showErrorBox ${title}: ${content}`),
});
// autoUpdater off macOS and Windows: lib/browser/api/auto-updater.ts picks auto-updater-native.ts,
// the `electron_browser_auto_updater` binding, an EventEmitterMixin (shell/browser/api/
// electron_api_auto_updater.h) whose setFeedURL, checkForUpdates and quitAndInstall do nothing
// there (shell/browser/auto_updater.cc, `#if !BUILDFLAG(IS_MAC)`). electron-updater's BaseUpdater
// emits 'before-quit-for-update' on it when it installs (electron-updater/out/BaseUpdater.js).
const autoUpdaterEmitter = new EventEmitter();
const autoUpdater = strict('autoUpdater', {
  on: (name, listener) => (autoUpdaterEmitter.on(name, listener), autoUpdater),
  once: (name, listener) => (autoUpdaterEmitter.once(name, listener), autoUpdater),
  removeListener: (name, listener) => (autoUpdaterEmitter.removeListener(name, listener), autoUpdater),
  emit: (name, ...args) => {
    note(`autoUpdater.emit ${name}`);
    return autoUpdaterEmitter.emit(name, ...args);
  },
  setFeedURL: () => note('autoUpdater.setFeedURL'),
  getFeedURL: () => '',
  checkForUpdates: () => note('autoUpdater.checkForUpdates'),
  quitAndInstall: () => note('autoUpdater.quitAndInstall'),
});
const desktopCapturer = createDesktopCapturer({ makeImage: (path, size, seed) => new NativeImage(path, size, seed), record, platform, strict });
const webContents = strict('webContents', {
  getAllWebContents: () => record.windows.map((w) => w.webContents).filter((wc) => !wc.isDestroyed()),
});

// Helpers for the tests; not part of `electron` (kept on the record).
record.electronVersion = ELECTRON_VERSION;
record.pressShortcut = (accelerator) => {
  const callback = record.shortcuts.get(accelerator);
  if (!callback) throw new Error(`no global shortcut registered for ${accelerator}`);
  callback();
};

// A literal object of names (shorthand only, which Node's CommonJS lexer reads as named exports);
// then the module object itself is made strict.
const BrowserWindowClass = strictClass('BrowserWindow', BrowserWindow);
const MessageChannelMainClass = strictClass('MessageChannelMain', MessageChannelMain);
const MessagePortMainClass = strictClass('MessagePortMain', MessagePortMain);
const TrayClass = strictClass('Tray', Tray);
const NotificationClass = strictClass('Notification', Notification);
const exported = {
  app,
  autoUpdater,
  BrowserWindow: BrowserWindowClass,
  MessageChannelMain: MessageChannelMainClass,
  MessagePortMain: MessagePortMainClass,
  Tray: TrayClass,
  Menu: MenuProxy,
  Notification: NotificationClass,
  nativeImage,
  ipcMain,
  session,
  protocol,
  globalShortcut,
  screen,
  shell,
  systemPreferences,
  clipboard,
  dialog,
  safeStorage,
  webContents,
  nativeTheme,
  desktopCapturer,
};
{
  const BrowserWindow = exported.BrowserWindow;
  const MessageChannelMain = exported.MessageChannelMain;
  const MessagePortMain = exported.MessagePortMain;
  const Tray = exported.Tray;
  const Menu = exported.Menu;
  const Notification = exported.Notification;
  module.exports = { app, autoUpdater, BrowserWindow, MessageChannelMain, MessagePortMain, Tray, Menu, Notification, nativeImage, nativeTheme, ipcMain, session, protocol, globalShortcut, screen, shell, systemPreferences, clipboard, dialog, safeStorage, webContents, desktopCapturer };
}
// Renderer-only modules do not exist in main's `electron` (lib/browser/api/module-list.ts lists
// none of them): reading one gives undefined there, as libraries such as electron-log rely on.
for (const rendererOnly of ['contextBridge', 'ipcRenderer', 'webFrame', 'webUtils']) module.exports[rendererOnly] = undefined;
module.exports = strict('electron', module.exports);
