/**
 * Vite turns `./x-worklet.ts?worker&url` into the URL of a separately bundled script, so
 * `audioWorklet.addModule` loads it from our own origin (a strict `script-src 'self'` allows it;
 * `blob:` would not).
 */
declare module '*-worklet.ts?worker&url' {
  const url: string;
  export default url;
}
