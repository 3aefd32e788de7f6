// Strictness for the stand-in Electron: every module object, class and instance it hands out is
// wrapped so that reading a property the stand-in does not model throws
// `stand-in Electron does not model <module>.<name>` instead of quietly returning undefined.
// A gap in the stand-in then fails the test that ran into it, loudly (DESIGN §7, issue 9).
'use strict';

// Language-level probes that are not Electron APIs: `await x` reads `then`, JSON.stringify reads
// `toJSON`, util.inspect and instanceof read symbols. Real Electron objects answer `undefined` too.
const LANGUAGE_PROBES = new Set(['then', 'toJSON', 'constructor', 'prototype', 'length', 'name']);

const strictTargets = new WeakMap();

function notModelled(owner, name) {
  return new Error(`stand-in Electron does not model ${owner}.${name}`);
}

/** Wraps an object: unknown string properties throw on read. */
function strict(owner, target) {
  const proxy = new Proxy(target, {
    get(t, property, receiver) {
      if (typeof property === 'symbol' || property in t || LANGUAGE_PROBES.has(property)) return Reflect.get(t, property, receiver);
      throw notModelled(owner, property);
    },
  });
  strictTargets.set(proxy, target);
  return proxy;
}

/** Wraps a class: unknown static members throw; `new` still constructs (instances wrap themselves). */
function strictClass(owner, Class) {
  return strict(owner, Class);
}

/** The object behind a strict proxy (for the stand-in's own bookkeeping). */
function unwrap(value) {
  return strictTargets.get(value) ?? value;
}

module.exports = { strict, strictClass, unwrap, notModelled };
