// A stand-in for the `electron` module, so the BUILT main bundle (out/main/index.js) can start under
// plain Node where no Electron binary exists. It implements only what Earshot's main process and its
// dependencies call, records every call in globalThis.__standin, and behaves like Electron where the
// app relies on it (ready event, window loads fire did-finish-load, ipcMain.handle returns replies).
// It proves the composition root wires everything; it is not Electron (the electron tier is).
'use strict';
const { EventEmitter } = require('node:events');

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
  webContentsCreated: [],
});
const note = (what) => record.calls.push(what);

class App extends EventEmitter {
  constructor() {
    super();
    this.isPackaged = false;
    this.name = 'Earshot';
    this.paths = { userData: process.env.EARSHOT_USER_DATA ?? '/tmp/earshot-standin', documents: '/tmp', logs: '/tmp' };
    this.ready = false;
    this.dock = undefined;
    setTimeout(() => {
      this.ready = true;
      this.emit('ready');
    }, 10);
  }
  whenReady() {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.once('ready', resolve));
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
  getPath(name) {
    return this.paths[name] ?? '/tmp';
  }
  setPath(name, value) {
    this.paths[name] = value;
  }
  requestSingleInstanceLock() {
    return true;
  }
  getLoginItemSettings() {
    return { openAtLogin: false };
  }
  setLoginItemSettings(settings) {
    note(`setLoginItemSettings ${JSON.stringify(settings)}`);
  }
  quit() {
    note('app.quit');
  }
  exit(code) {
    note(`app.exit ${code}`);
  }
}
const app = new App();

class WebContents extends EventEmitter {
  constructor(window) {
    super();
    this.window = window;
    this.url = '';
    this.sent = [];
    this.mainFrame = { url: '' };
    this.windowOpenHandler = null;
    app.emit('web-contents-created', {}, this);
  }
  getURL() {
    return this.url;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  postMessage(channel, message, transfer) {
    this.sent.push({ channel, message, ports: (transfer ?? []).length });
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.visible = options.show !== false;
    this.destroyed = false;
    this.webContents = new WebContents(this);
    record.windows.push(this);
  }
  loadURL(url) {
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    setTimeout(() => this.webContents.emit('did-finish-load'), 10);
    return Promise.resolve();
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
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {}
}

class MessagePortMain extends EventEmitter {
  postMessage(message) {
    this.peer?.emit('message', { data: message, ports: [] });
  }
  start() {}
  close() {}
}
function MessageChannelMain() {
  const port1 = new MessagePortMain();
  const port2 = new MessagePortMain();
  port1.peer = port2;
  port2.peer = port1;
  return { port1, port2 };
}

class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image;
    this.tooltip = '';
    this.menu = null;
    record.trays.push(this);
  }
  setImage(image) {
    this.image = image;
  }
  setToolTip(text) {
    this.tooltip = text;
  }
  setContextMenu(menu) {
    this.menu = menu;
  }
  destroy() {}
}

const ipcMain = {
  handle(channel, handler) {
    record.handlers.set(channel, handler);
  },
  on() {
    return ipcMain;
  },
  removeHandler(channel) {
    record.handlers.delete(channel);
  },
};

const session = {
  defaultSession: {
    protocol: {
      handle(scheme, handler) {
        record.protocolHandlers.set(scheme, handler);
      },
    },
    setPermissionRequestHandler(handler) {
      record.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      record.permissionCheckHandler = handler;
    },
  },
};

const protocol = {
  registerSchemesAsPrivileged(schemes) {
    record.schemes.push({ schemes, beforeReady: !app.ready });
  },
};

const globalShortcut = {
  register(accelerator, callback) {
    record.shortcuts.set(accelerator, callback);
    return true;
  },
  isRegistered(accelerator) {
    return record.shortcuts.has(accelerator);
  },
  unregister(accelerator) {
    record.shortcuts.delete(accelerator);
  },
  unregisterAll() {
    record.shortcuts.clear();
  },
};

let clipboardText = '';
const Menu = { buildFromTemplate: (template) => ({ template }) };
const nativeImage = { createFromPath: (path) => ({ path }) };
const screen = { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }) };
const shell = { openExternal: async (url) => note(`openExternal ${url}`), openPath: async () => '' };
const systemPreferences = { isTrustedAccessibilityClient: () => false, getMediaAccessStatus: () => 'granted', askForMediaAccess: async () => true };
const clipboard = { readText: () => clipboardText, writeText: (text) => void (clipboardText = text) };
const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
};
function Notification() {}
Notification.isSupported = () => false;
const safeStorage = {
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptStringAsync: async (plain) => Buffer.from(plain, 'utf8').map((b) => b ^ 0x21),
  decryptStringAsync: async (data) => ({ result: Buffer.from(data.map((b) => b ^ 0x21)).toString('utf8'), shouldReEncrypt: false }),
};
const webContents = { getAllWebContents: () => record.windows.map((w) => w.webContents) };
// A literal object of names, so Node's ESM loader sees them as named exports.
module.exports = {
  app,
  BrowserWindow,
  MessageChannelMain,
  Tray,
  Menu,
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
  Notification,
  safeStorage,
  webContents,
};
