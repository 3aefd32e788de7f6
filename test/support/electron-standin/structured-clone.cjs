// Structured clone between the stand-in's realms (main = this Node realm; the preload's isolated
// world = a vm context). Each realm gets its own cloner, compiled INSIDE that realm, so what it
// builds has that realm's prototypes: an ArrayBuffer cloned into the preload passes the preload's
// own `instanceof ArrayBuffer`, exactly as a value Blink deserialized would.
//
// What arrives, and why (Electron 45 source, electron/electron main @ 96f3996, v45 nightlies):
// - shell/common/v8_util.cc: main serializes and deserializes with a plain v8::ValueSerializer /
//   v8::ValueDeserializer whose delegate only adds NativeImage host objects. A plain ArrayBuffer is
//   written with V8's own ArrayBuffer tag and read back as an ArrayBuffer (not a Buffer, not a
//   Uint8Array); a typed array comes back as the same typed array kind over a fresh ArrayBuffer;
//   a Node Buffer arrives as a plain Uint8Array.
// - The same file: the deserializer is never given the transferred ArrayBuffer contents, so a
//   message that REFERENCES an ArrayBuffer from its transfer list fails to read and
//   DeserializeV8Value returns v8::Null: the whole `data` is null (electron/electron#34905, open).
// - Functions, symbols and DOM-ish host objects cannot be cloned: V8Serializer::Write throws
//   "An object could not be cloned." (v8_util.cc).
'use strict';
const vm = require('node:vm');

const CLONER_SOURCE = `(function makeCloner() {
  const tagOf = (v) => Object.prototype.toString.call(v).slice(8, -1);
  const TYPED = { Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array };
  return function clone(value, transferred) {
    const seen = new Map();
    let referencedTransfer = false;
    const walk = (v) => {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol')) return v;
      if (typeof v === 'function' || typeof v === 'symbol') throw new Error('An object could not be cloned.');
      if (seen.has(v)) return seen.get(v);
      const tag = tagOf(v);
      if (tag === 'ArrayBuffer') {
        if (transferred && transferred.has(v)) { referencedTransfer = true; return null; }
        const copy = new ArrayBuffer(v.byteLength);
        new Uint8Array(copy).set(new Uint8Array(v));
        seen.set(v, copy);
        return copy;
      }
      if (ArrayBuffer.isView(v)) {
        if (transferred && transferred.has(v.buffer)) { referencedTransfer = true; return null; }
        const bytes = new ArrayBuffer(v.byteLength);
        new Uint8Array(bytes).set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        if (tag === 'DataView') return new DataView(bytes);
        const Ctor = TYPED[tag];
        if (!Ctor) throw new Error('An object could not be cloned.');
        const copy = new Ctor(bytes);
        seen.set(v, copy);
        return copy;
      }
      if (tag === 'Array') {
        const out = [];
        seen.set(v, out);
        for (let i = 0; i < v.length; i++) out[i] = walk(v[i]);
        return out;
      }
      if (tag === 'Date') return new Date(v.getTime());
      if (tag === 'RegExp') return new RegExp(v.source, v.flags);
      if (tag === 'Map') { const out = new Map(); seen.set(v, out); for (const [k, x] of v) out.set(walk(k), walk(x)); return out; }
      if (tag === 'Set') { const out = new Set(); seen.set(v, out); for (const x of v) out.add(walk(x)); return out; }
      if (tag === 'Error') { const out = new Error(String(v.message)); out.name = String(v.name); return out; }
      if (tag !== 'Object') throw new Error('An object could not be cloned.');
      const out = {};
      seen.set(v, out);
      for (const key of Object.keys(v)) out[key] = walk(v[key]);
      return out;
    };
    const result = walk(value);
    return referencedTransfer ? { value: null, referencedTransfer } : { value: result, referencedTransfer };
  };
})()`;

/** A cloner whose results belong to `context` (a vm context), or to this realm when omitted. */
function makeCloner(context) {
  return context ? vm.runInContext(CLONER_SOURCE, context) : vm.runInThisContext(CLONER_SOURCE);
}

module.exports = { makeCloner };
