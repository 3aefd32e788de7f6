/**
 * Child process for the hold-to-talk test: the app's HotkeyController with the real uiohook-napi and
 * the real X server probe (main/app/hotkey-controller.ts, nodeHotkeyDeps), so the path that ships —
 * probe DISPLAY, start the hook, track key-ups — is the one under test. Only the global shortcut is
 * stood in for: Electron's globalShortcut is not available under Node, so the hook's own key-down of
 * the combination (auto-repeats included) calls the registered callback, as the shortcut would.
 * Prints one JSON line per shortcut callback ("press", auto-repeats included) and per transition.
 */
import { HotkeyController, nodeHotkeyDeps, type GlobalShortcutPort } from '../../../main/app/hotkey-controller.ts';

const accelerator = process.argv[2] ?? 'Control+Alt+Space';
const started = performance.now();
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));
const registered = new Map<string, () => void>();
const shortcuts: GlobalShortcutPort = {
  register: (a, callback) => (registered.has(a) ? false : (registered.set(a, callback), true)),
  unregister: (a) => void registered.delete(a),
  isRegistered: (a) => registered.has(a),
  unregisterAll: () => registered.clear(),
};
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const hotkeys = new HotkeyController(
  { onDown: () => print({ event: 'down', at: performance.now() - started }), onUp: () => print({ event: 'up', at: performance.now() - started }) },
  quiet,
  { ...nodeHotkeyDeps(), shortcuts, accessibilityTrusted: () => true },
);
if (!(await hotkeys.enableKeyUp())) {
  print({ event: 'error', error: `hold unavailable: ${hotkeys.holdUnavailableReason ?? ''}` });
  process.exit(3);
}
const result = hotkeys.register(accelerator);
if (!result.ok) {
  print({ event: 'error', error: result.message ?? 'register failed' });
  process.exit(2);
}
// The hook is a singleton: this is the instance the controller started.
const { uIOhook, UiohookKey } = await import('uiohook-napi');
uIOhook.on('keydown', (e) => {
  if (e.keycode !== UiohookKey.Space || !e.ctrlKey || !e.altKey) return;
  print({ event: 'press', at: performance.now() - started });
  registered.get(accelerator)?.();
});
print({ event: 'ready' });
setTimeout(() => {
  hotkeys.dispose();
  process.exit(0);
}, Number(process.env.PROBE_MS ?? 8000));
