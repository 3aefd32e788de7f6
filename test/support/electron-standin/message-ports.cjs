// MessagePortMain (main process) and the renderer's MessagePort, entangled in pairs.
// Sources (Electron 45 = electron/electron main @ 96f3996, the v45 nightlies):
// - docs/api/message-port-main.md, docs/tutorial/message-ports.md: MessagePortMain is an
//   EventEmitter; 'message' events carry { data, ports }; messages queue until start().
// - lib/browser/message-port-main.ts + shell/browser/api/message_port.cc MessagePort::PostMessage:
//   the transfer list must be an array ("transferables must be an array of MessagePorts"), and
//   every entry a MessagePortMain ("Port at index N is not a valid port", TypeError); the port
//   itself may not be in it ("Port at index N contains the source port."); a closed port drops
//   what is posted (IsEntangled() false → return).
// - shell/common/v8_util.cc (see structured-clone.cjs): what main receives from a renderer port.
//   An ArrayBuffer the renderer put in the transfer list makes the whole data null
//   (electron/electron#34905, open); posted without a transfer list it is copied and arrives as
//   an ArrayBuffer.
// - HTML spec (MessagePort): setting `onmessage` starts the port, addEventListener does not; a
//   transferred ArrayBuffer is detached in the sender.
'use strict';
/* global setImmediate -- Node globals the .cjs lint config does not list */
const { EventEmitter } = require('node:events');
const { strict } = require('./strict.cjs');
const { makeCloner } = require('./structured-clone.cjs');

const mainCloner = makeCloner();
/** Main's realm: what arrives in main is built here. `onNullData` lets the stand-in record #34905 hits. */
const MAIN_REALM = { kind: 'main', cloner: mainCloner, onNullData: null };

/** One end of an entangled pair; `realm` says whose objects arrive here. */
class Endpoint {
  constructor(realm, dispatch) {
    this.realm = realm; // { cloner, kind: 'main' | 'renderer' }
    this.dispatch = dispatch; // (data, ports) => void
    this.peer = null;
    this.started = false;
    this.closed = false;
    this.queue = [];
    this.flushing = false;
  }

  receive(data, ports) {
    if (this.closed) return;
    this.queue.push({ data, ports });
    this.schedule();
  }

  schedule() {
    if (!this.started || this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    // Messages arrive in a later task, in order (mojo delivery), never synchronously.
    setImmediate(() => {
      this.flushing = false;
      while (this.started && !this.closed && this.queue.length > 0) {
        const { data, ports } = this.queue.shift();
        this.dispatch(data, ports);
      }
    });
  }

  start() {
    if (this.closed) return;
    this.started = true;
    this.schedule();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    const peer = this.peer;
    this.peer = null;
    if (peer && !peer.closed) {
      peer.peer = null;
      peer.onPeerClosed?.();
    }
  }
}

function entangle(a, b) {
  a.peer = b;
  b.peer = a;
}

/** Moves an endpoint's link and queued messages to a new endpoint (the port was transferred). */
function moveEndpoint(from, to) {
  const peer = from.peer;
  to.queue.push(...from.queue.splice(0));
  from.peer = null;
  from.closed = true; // neutered
  if (peer) entangle(peer, to);
}

class MessagePortMain extends EventEmitter {
  constructor() {
    super();
    this.endpoint = new Endpoint(MAIN_REALM, (data, ports) => {
      this.emit('message', strict('MessageEvent (main)', { data, ports }));
    });
    this.endpoint.onPeerClosed = () => this.emit('close');
    return strict('MessagePortMain', this);
  }

  start() {
    this.endpoint.start();
  }

  close() {
    const wasOpen = !this.endpoint.closed;
    this.endpoint.close();
    if (wasOpen) this.emit('close');
  }

  postMessage(message, transfer) {
    const ports = validateMainTransfer(transfer, this);
    const peer = this.endpoint.peer;
    // Serialization happens (and can throw) even when nobody listens.
    if (!peer) {
      mainCloner(message);
      return;
    }
    const { value } = peer.realm.cloner(message);
    const moved = ports.map((port) => adoptInto(peer.realm, port));
    peer.receive(value, moved);
  }
}

/** lib/browser/message-port-main.ts + message_port.cc MessagePort::PostMessage. */
function validateMainTransfer(transfer, self) {
  if (transfer === undefined) return [];
  if (!Array.isArray(transfer)) throw new TypeError('transferables must be an array of MessagePorts');
  transfer.forEach((item, i) => {
    if (!(item instanceof MessagePortMain)) throw new TypeError(`Port at index ${i} is not a valid port`);
    if (self && item === self) throw new Error(`Port at index ${i} contains the source port.`);
    if (item.endpoint.closed) throw new Error(`Port at index ${i} is already neutered.`);
  });
  return transfer;
}

/** A MessagePortMain handed to another realm becomes that realm's kind of port. */
function adoptInto(realm, port) {
  if (realm.kind === 'main') {
    const fresh = new MessagePortMain();
    moveEndpoint(port.endpoint, fresh.endpoint);
    return fresh;
  }
  const fresh = new RendererMessagePort(realm);
  moveEndpoint(port.endpoint, fresh.endpoint);
  return fresh;
}

function MessageChannelMain() {
  if (!new.target) throw new TypeError("Class constructor MessageChannelMain cannot be invoked without 'new'");
  const port1 = new MessagePortMain();
  const port2 = new MessagePortMain();
  entangle(port1.endpoint, port2.endpoint);
  return strict('MessageChannelMain', { port1, port2 });
}

/** The web MessagePort a renderer gets (event.ports[0] of an ipcRenderer message). */
class RendererMessagePort {
  constructor(realm) {
    this.realm = realm;
    this.listeners = new Set();
    this.handler = null;
    this.onmessageerror = null;
    this.endpoint = new Endpoint(realm, (data, ports) => {
      const event = strict('MessageEvent', { type: 'message', data, ports, origin: '', lastEventId: '', source: null });
      if (this.handler) this.handler(event);
      for (const listener of this.listeners) listener(event);
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the web-facing object's accessors need the port behind it
    const self = this;
    const api = {
      get onmessage() {
        return self.handler;
      },
      set onmessage(fn) {
        self.handler = fn;
        self.endpoint.start(); // HTML: setting onmessage implicitly starts the port
      },
      addEventListener(type, listener) {
        if (type !== 'message') throw new Error(`stand-in Electron does not model MessagePort event '${type}'`);
        self.listeners.add(listener);
      },
      removeEventListener(type, listener) {
        self.listeners.delete(listener);
      },
      start: () => self.endpoint.start(),
      close: () => self.endpoint.close(),
      postMessage: (message, transferOrOptions) => self.post(message, transferOrOptions),
    };
    this.api = strict('MessagePort', api);
    RENDERER_PORTS.set(this.api, this);
    return this;
  }

  post(message, transferOrOptions) {
    const transfer = Array.isArray(transferOrOptions) ? transferOrOptions : (transferOrOptions?.transfer ?? []);
    const buffers = new Set();
    for (const item of transfer) {
      if (Object.prototype.toString.call(item) === '[object ArrayBuffer]') buffers.add(item);
      else throw new Error('stand-in Electron does not model transferring anything but ArrayBuffers from a renderer MessagePort');
    }
    const peer = this.endpoint.peer;
    let value = null;
    if (peer) {
      // Main's deserializer has no transferred contents to read: data === null (#34905).
      const cloned = peer.realm.cloner(message, peer.realm.kind === 'main' ? buffers : undefined);
      value = cloned.value;
      if (cloned.referencedTransfer) peer.realm.onNullData?.(message);
    } else {
      this.realm.cloner(message);
    }
    // The sender's transferred buffers are detached (byteLength 0) whatever happens to the message.
    for (const buffer of buffers) ArrayBuffer.prototype.transfer.call(buffer);
    if (peer) peer.receive(value, []);
  }
}
// The RendererMessagePort behind each port object a preload sees.
const RENDERER_PORTS = new WeakMap();

/** The renderer-side object for a MessagePortMain sent to a page. */
function portForRenderer(realm, portMain) {
  const fresh = new RendererMessagePort(realm);
  moveEndpoint(portMain.endpoint, fresh.endpoint);
  return fresh.api;
}

module.exports = { MAIN_REALM, MessagePortMain, MessageChannelMain, RendererMessagePort, validateMainTransfer, portForRenderer, mainCloner };
