/**
 * The fake Realtime server in its own process for the core benchmarks, like
 * test/support/fake-realtime/standalone.ts but with a chosen reply: a slice of speech-60s.wav.
 * Prints one JSON line {baseURL, wsURL, caPath, port} and serves until SIGTERM/SIGINT.
 *
 *   node test/bench/core-fake-child.lib.ts --speedup 1 --reply-seconds 10 [--reply-offset 0]
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { startFakeRealtime } from '../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../support/fixtures.ts';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

const speedup = Number(arg('speedup') ?? '4');
const replySeconds = Number(arg('reply-seconds') ?? '0');
const replyOffset = Number(arg('reply-offset') ?? '0');

await ensureFixtures();
const fake = await startFakeRealtime({ speedup, recordAudioPayloads: false });
if (replySeconds > 0) {
  const long = readWavPcm16(fixturePath('speech-60s.wav'));
  const from = Math.round(replyOffset * 24_000);
  const samples = long.samples.slice(from, from + Math.round(replySeconds * 24_000));
  const words = Math.round(replySeconds * 2.5); // about 150 words a minute
  const transcript = Array.from({ length: words }, (_, i) => `word${i}`).join(' ') + '.';
  fake.setReply({ samples, transcript });
}
process.stdout.write(`${JSON.stringify({ baseURL: fake.baseURL, wsURL: fake.wsURL, caPath: fake.caPath, port: fake.port })}\n`);
// Commands from the bench, one JSON line each on stdin, acknowledged with {"ack": id} once applied.
const CommandSchema = z.discriminatedUnion('cmd', [
  z.object({ id: z.number(), cmd: z.literal('dropNow') }),
  z.object({ id: z.number(), cmd: z.literal('tool'), name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
]);
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = CommandSchema.parse(JSON.parse(line));
  if (command.cmd === 'dropNow') fake.dropNow();
  else fake.scriptToolCall({ name: command.name, arguments: command.arguments });
  process.stdout.write(`${JSON.stringify({ ack: command.id })}\n`);
});
const stop = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
