/**
 * Runs the fake OpenAI HTTP server in its own process, for tools or tests that need it outside
 * the test process (a CLI child, a benchmark that must not host it). Prints one JSON line
 * {baseURL, caPath, port} and serves until SIGTERM/SIGINT.
 *
 *   node test/support/fake-openai-http/standalone.ts [--speedup 4] [--tls]
 */
import { startFakeOpenAIHttp } from './index.ts';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const speedup = arg('speedup');
const fake = await startFakeOpenAIHttp({ ...(speedup !== undefined ? { speedup: Number(speedup) } : {}), tls: process.argv.includes('--tls') });
process.stdout.write(`${JSON.stringify({ baseURL: fake.baseURL, caPath: fake.caPath, port: fake.port })}\n`);
const stop = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
