/**
 * Runs the fake Realtime server in its own process, for tools or tests that need it outside
 * the test process (a child that blocks its parent must not host the fake). Prints one JSON
 * line {baseURL, wsURL, caPath, port} and serves until SIGTERM/SIGINT.
 *
 *   node test/support/fake-realtime/standalone.ts [--speedup 4]
 */
import { startFakeRealtime } from './index.ts';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const speedup = arg('speedup');
const fake = await startFakeRealtime({ ...(speedup !== undefined ? { speedup: Number(speedup) } : {}), recordAudioPayloads: false });
process.stdout.write(`${JSON.stringify({ baseURL: fake.baseURL, wsURL: fake.wsURL, caPath: fake.caPath, port: fake.port })}\n`);
const stop = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
