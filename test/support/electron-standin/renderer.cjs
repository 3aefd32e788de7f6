// One page load in a stand-in window: the sandboxed preload in its own realm (a vm context standing
// for the isolated world), the renderer's `electron` module, contextBridge, and the "page": a
// test-supplied function that runs right after the preload with `window` in hand, the way a React
// app calls the bridge as soon as it mounts.
// Sources (Electron 45 = electron/electron main @ 96f3996):
// - lib/sandboxed_renderer/init.ts + preload.ts: a sandboxed preload is compiled as a function of
//   (require, process, exports, module, Buffer, global, setImmediate, clearImmediate); its require
//   gives only electron / electron/common / electron/renderer, events, timers, url (with node:
//   prefixes), anything else throws `module not found: <name>`; a preload that throws is reported
//   ("Unable to load preload script: <path>") and the page still loads.
// - shell/renderer/preload_utils.cc: the preload's `process` carries arch, platform, env, version,
//   versions, execPath; shell/renderer/electron_sandboxed_renderer_client.cc adds sandboxed and type.
// - lib/sandboxed_renderer/api/module-list.ts: the renderer `electron` module (contextBridge,
//   ipcRenderer, webFrame, nativeImage, crashReporter, webUtils, sharedTexture); only contextBridge
//   and ipcRenderer are modelled here, the rest throw.
// - lib/renderer/api/ipc-renderer.ts: invoke rejects with
//   `Error invoking remote method '<channel>': <error.toString()>`; lib/browser/ipc-dispatch.ts: with
//   no handler the error is `Error: No handler registered for '<channel>'`.
// - docs/api/context-bridge.md: exposeInMainWorld copies the API into the main world; functions are
//   proxied, values copied; a key that already exists cannot be bound again.
'use strict';
/* global setImmediate, clearImmediate, console, queueMicrotask, TextEncoder, TextDecoder, URL -- Node globals the .cjs lint config does not list */
const { EventEmitter } = require('node:events');
const { readFileSync } = require('node:fs');
const timers = require('node:timers');
const url = require('node:url');
const vm = require('node:vm');
const { strict, notModelled } = require('./strict.cjs');
const { makeCloner } = require('./structured-clone.cjs');
const { mainCloner } = require('./message-ports.cjs');

const ELECTRON_VERSION = '45.4.1';

function preloadProcess() {
  const proc = new EventEmitter();
  Object.assign(proc, {
    arch: process.arch,
    platform: process.platform,
    env: { ...process.env },
    version: process.version,
    versions: { ...process.versions, electron: ELECTRON_VERSION, chrome: '142.0.0.0' },
    execPath: process.execPath,
    sandboxed: true,
    type: 'renderer',
    contextIsolated: true,
  });
  return strict('process (sandboxed preload)', proc);
}

/** Builds a document's isolated world and runs the preload, then the page. */
class RendererDocument {
  constructor({ webContents, frame, url: pageUrl, record, preloadPath, page }) {
    this.webContents = webContents;
    this.frame = frame;
    this.url = pageUrl;
    this.record = record;
    this.preloadPath = preloadPath;
    this.page = page;
    this.alive = true;
    this.exposed = {};
    const context = vm.createContext({});
    this.context = context;
    const sandboxGlobal = vm.runInContext('globalThis', context);
    // Web globals of the isolated world that a bundled preload uses.
    Object.assign(sandboxGlobal, {
      window: sandboxGlobal,
      self: sandboxGlobal,
      console,
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      setInterval: timers.setInterval,
      clearInterval: timers.clearInterval,
      queueMicrotask,
      TextEncoder,
      TextDecoder,
      URL,
      location: { href: pageUrl },
    });
    this.realm = { kind: 'renderer', cloner: makeCloner(context) };
    this.ipcRenderer = this.makeIpcRenderer();
    this.electron = strict('electron (renderer)', {
      contextBridge: strict('contextBridge', {
        exposeInMainWorld: (key, api) => this.exposeInMainWorld(key, api),
      }),
      ipcRenderer: this.ipcRenderer.api,
    });
  }

  /** Runs the preload named in webPreferences.preload, as lib/sandboxed_renderer/preload.ts does. */
  runPreload() {
    if (!this.preloadPath) return;
    let source;
    try {
      source = readFileSync(this.preloadPath, 'utf8');
    } catch (error) {
      this.preloadFailed(error);
      return;
    }
    const loaded = new Map([
      ['electron', this.electron],
      ['electron/common', this.electron],
      ['electron/renderer', this.electron],
      ['events', require('node:events')],
      ['node:events', require('node:events')],
    ]);
    const loadable = new Map([
      ['timers', () => timers],
      ['node:timers', () => timers],
      ['url', () => url],
      ['node:url', () => url],
    ]);
    const preloadRequire = (name) => {
      if (loaded.has(name)) return loaded.get(name);
      if (loadable.has(name)) {
        const mod = loadable.get(name)();
        loaded.set(name, mod);
        return mod;
      }
      throw new Error(`module not found: ${name}`);
    };
    try {
      const fn = vm.compileFunction(source, ['require', 'process', 'exports', 'module', 'Buffer', 'global', 'setImmediate', 'clearImmediate'], {
        parsingContext: this.context,
        filename: this.preloadPath,
      });
      const exports = {};
      fn(preloadRequire, preloadProcess(), exports, { exports }, Buffer, vm.runInContext('globalThis', this.context), setImmediate, clearImmediate);
      this.record.preloads.push({ path: this.preloadPath, url: this.url, ok: true });
    } catch (error) {
      this.preloadFailed(error);
    }
  }

  preloadFailed(error) {
    console.error(`Unable to load preload script: ${this.preloadPath}`);
    console.error(error);
    this.record.preloads.push({ path: this.preloadPath, url: this.url, ok: false, error: String(error) });
  }

  /** The page's own code: runs right after the preload, with window in hand. */
  runPage() {
    if (!this.page) return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- closures handed to the page
    const doc = this;
    const window = { ...this.exposed };
    Object.defineProperty(window, 'location', { value: { href: this.url }, enumerable: false });
    Object.defineProperty(window, 'history', {
      enumerable: false,
      value: {
        // A same-document navigation (pushState): Electron still fires did-start-navigation.
        pushState: (_state, _title, to) => doc.webContents.navigateInPage(new URL(to, doc.url).href),
      },
    });
    try {
      const result = this.page(strict('window', window), { url: this.url });
      if (result && typeof result.catch === 'function') result.catch((error) => this.record.pageErrors.push(String(error?.stack ?? error)));
    } catch (error) {
      this.record.pageErrors.push(String(error?.stack ?? error));
    }
  }

  destroy() {
    this.alive = false;
    this.ipcRenderer.emitter.removeAllListeners();
    for (const port of this.ipcRenderer.ports) port.close();
  }

  exposeInMainWorld(key, api) {
    if (!this.alive) return;
    if (Object.prototype.hasOwnProperty.call(this.exposed, key)) {
      throw new Error('Cannot bind an API on top of an existing property on the window object');
    }
    this.exposed[key] = this.toPage(api);
  }

  // ---- contextBridge: values crossing between the isolated world (preload) and the page ----

  toPage(value) {
    return crossWorld(value, mainCloner, (v) => this.toPreload(v), Object, Array);
  }

  toPreload(value) {
    const CtxObject = vm.runInContext('Object', this.context);
    const CtxArray = vm.runInContext('Array', this.context);
    return crossWorld(value, this.realm.cloner, (v) => this.toPage(v), CtxObject, CtxArray);
  }

  // ---- ipcRenderer ----

  makeIpcRenderer() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- ipcRenderer's methods close over their document
    const doc = this;
    const emitter = new EventEmitter();
    const ports = [];
    const api = {
      on(channel, listener) {
        emitter.on(channel, listener);
        return api.self;
      },
      once(channel, listener) {
        emitter.once(channel, listener);
        return api.self;
      },
      addListener(channel, listener) {
        emitter.on(channel, listener);
        return api.self;
      },
      off(channel, listener) {
        emitter.off(channel, listener);
        return api.self;
      },
      removeListener(channel, listener) {
        emitter.removeListener(channel, listener);
        return api.self;
      },
      removeAllListeners(channel) {
        emitter.removeAllListeners(channel);
        return api.self;
      },
      listenerCount: (channel) => emitter.listenerCount(channel),
      send(channel, ...args) {
        const mainArgs = args.map((a) => mainCloner(a).value);
        setImmediate(() => doc.alive && doc.webContents.receiveSend(doc, channel, mainArgs));
      },
      invoke(channel, ...args) {
        const CtxPromise = vm.runInContext('Promise', doc.context);
        return new CtxPromise((resolve, reject) => {
          let mainArgs;
          try {
            mainArgs = args.map((a) => mainCloner(a).value);
          } catch (error) {
            reject(new Error(String(error.message)));
            return;
          }
          setImmediate(() => {
            if (!doc.alive) return; // a torn-down frame never hears back
            doc.webContents.receiveInvoke(doc, channel, mainArgs).then(
              (result) => doc.alive && resolve(doc.realm.cloner(result).value),
              (error) => doc.alive && reject(new Error(`Error invoking remote method '${channel}': ${String(error)}`)),
            );
          });
        });
      },
    };
    api.self = strict('ipcRenderer', api);
    return { api: api.self, emitter, ports };
  }
}

/** contextBridge copy rules (docs/api/context-bridge.md "Parameter / Error / Return Type support");
 * an object met twice in one value is copied once (the bridge keeps an object cache). */
function crossWorld(value, cloner, back, TargetObject, TargetArray, seen = new Map()) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (seen.has(value)) return seen.get(value);
  const again = (v) => crossWorld(v, cloner, back, TargetObject, TargetArray, seen);
  if (typeof value === 'function') {
    const proxy = (...args) => crossWorld(value(...args.map(back)), cloner, back, TargetObject, TargetArray);
    seen.set(value, proxy);
    return proxy;
  }
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Promise]') {
    return new Promise((resolve, reject) =>
      value.then(
        (v) => resolve(crossWorld(v, cloner, back, TargetObject, TargetArray)),
        (e) => reject(new Error(String(e?.message ?? e))),
      ),
    );
  }
  if (tag === '[object Error]') return cloner(value).value;
  if (tag === '[object Array]') {
    const out = new TargetArray();
    seen.set(value, out);
    for (const v of value) out.push(again(v));
    return out;
  }
  if (tag === '[object Object]') {
    const out = new TargetObject();
    seen.set(value, out);
    for (const key of Object.keys(value)) out[key] = again(value[key]);
    return out;
  }
  return cloner(value).value; // ArrayBuffer, typed arrays, Date, Map, Set…
}

module.exports = { RendererDocument, ELECTRON_VERSION, notModelled };
