/**
 * Child process for the hold-to-talk test: loads uiohook-napi (it needs an X display), feeds its
 * key-up events to the same HoldTracker the app uses, and prints one JSON line per transition.
 */
import { HoldTracker, keyCodesFor, parseAccelerator } from '../../../main/app/accelerator.ts';

const accelerator = process.argv[2] ?? 'Control+Alt+Space';
const parsed = parseAccelerator(accelerator);
if ('error' in parsed) {
  console.log(JSON.stringify({ error: parsed.error }));
  process.exit(2);
}
const { uIOhook, UiohookKey } = await import('uiohook-napi');
const codes = keyCodesFor(parsed, UiohookKey as unknown as Record<string, number>);
const started = performance.now();
const tracker = new HoldTracker(
  codes,
  () => console.log(JSON.stringify({ event: 'down', at: performance.now() - started })),
  () => console.log(JSON.stringify({ event: 'up', at: performance.now() - started })),
);
uIOhook.on('keydown', (e) => {
  // In the app the global shortcut reports the press; here the hook's own key-down of the main key stands in.
  if (e.keycode === UiohookKey.Space && e.ctrlKey && e.altKey) tracker.press();
});
uIOhook.on('keyup', (e) => tracker.keyUp(e.keycode));
uIOhook.start();
console.log(JSON.stringify({ event: 'ready' }));
setTimeout(() => {
  uIOhook.stop();
  process.exit(0);
}, Number(process.env.PROBE_MS ?? 8000));
