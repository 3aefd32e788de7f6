/**
 * A DOM for a React component test in Node (happy-dom), set up as `window` and `document` when this
 * module is imported: import it before React DOM, which decides once, as it loads, whether it runs
 * in a browser and which events it can listen to (the `input` event of a text field among them).
 * Only these two globals are set, so Node's own fetch, URL and timers stay as they are for the
 * real core and servers running in the same test. `closeDomWindow` removes them again.
 */
import { Window } from 'happy-dom';

export const domWindow = new Window({ url: 'app://earshot/index.html' });
Object.assign(globalThis, { window: domWindow, document: domWindow.document });

export async function closeDomWindow(): Promise<void> {
  await domWindow.happyDOM.close();
  Reflect.deleteProperty(globalThis, 'window');
  Reflect.deleteProperty(globalThis, 'document');
}
