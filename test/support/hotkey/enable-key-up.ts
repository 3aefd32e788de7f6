/**
 * Child process for the "no X server" test: loads main/app/hotkeys.ts exactly as main/index.ts does
 * (`new Hotkeys(handlers, logger)` then `await hotkeys.enableKeyUp()`), with the real uiohook-napi and
 * this process's DISPLAY, and prints one JSON line with the outcome. Only `electron` is swapped, in
 * Node's loader, for globalShortcut/systemPreferences in memory: nothing else about Electron matters
 * to enableKeyUp, and the real module cannot load without its binary. If the hook aborts the process
 * (uiohook does when XOpenDisplay fails), the JSON line never comes and the exit code says so.
 */
import { registerHooks } from 'node:module';
import type { Hotkeys as HotkeysClass } from '../../../main/app/hotkeys.ts';

const STANDIN_URL = 'earshot-test-standin:electron-hotkeys';
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: STANDIN_URL, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url !== STANDIN_URL) return nextLoad(url, context);
    const source = `
      const held = new Map();
      export const globalShortcut = {
        register(accelerator, callback) { if (held.has(accelerator)) return false; held.set(accelerator, callback); return true; },
        unregister(accelerator) { held.delete(accelerator); },
        isRegistered(accelerator) { return held.has(accelerator); },
        unregisterAll() { held.clear(); },
      };
      export const systemPreferences = { isTrustedAccessibilityClient: () => false };
      export default { globalShortcut, systemPreferences };
    `;
    return { format: 'module', source, shortCircuit: true };
  },
});

const modulePath = new URL('../../../main/app/hotkeys.ts', import.meta.url).href;
const { Hotkeys } = (await import(modulePath)) as { Hotkeys: typeof HotkeysClass };
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const hotkeys = new Hotkeys({ onDown: () => undefined, onUp: () => undefined }, quiet);
const holdAvailable = await hotkeys.enableKeyUp();
console.log(JSON.stringify({ holdAvailable, reason: hotkeys.holdUnavailableReason }));
hotkeys.dispose();
process.exit(0);
