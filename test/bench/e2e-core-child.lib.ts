/**
 * The main core of the e2e setup in its own process, for e2e-resources.ts: serves the built renderer
 * and the test WebSocket transport (test/support/renderer-server.ts + core-host.ts) and talks TLS to
 * the fake Realtime server given on the command line. Its CPU is then the core's alone (the bench
 * process holds Playwright and the measuring). Prints one JSON line {url, transportUrl}, then takes
 * commands on stdin, one JSON line each — {id, cmd: 'down' | 'up' | 'state' | 'hidden' | 'shown'} (the
 * last two: core.windowVisibility, as when the window goes to the tray) — and answers each with
 * {ack: id, state, clients} once done.
 *
 *   node test/bench/e2e-core-child.lib.ts --base-url <url> --ca-path <pem> [--settings <json>]
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { startCoreHost } from '../support/core-host.ts';
import { serveBuiltRenderer } from '../support/renderer-server.ts';

const arg = (name: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const settingsAt = process.argv.indexOf('--settings');
const settings = z.record(z.string(), z.unknown()).parse(settingsAt >= 0 ? JSON.parse(process.argv[settingsAt + 1] ?? '{}') : {});

const server = await serveBuiltRenderer(join(import.meta.dirname, '..', '..', 'out', 'renderer'));
const host = await startCoreHost({
  httpServer: server.server,
  pageOrigin: server.url,
  apiKey: 'sk-test-bench-e2e-child-1a2b3c4d5e6f',
  baseURL: arg('base-url'),
  caPath: arg('ca-path'),
  settings: { turnMode: 'hold', ...settings },
});
process.stdout.write(`${JSON.stringify({ url: server.url, transportUrl: host.transportUrl })}\n`);

const CommandSchema = z.object({ id: z.number(), cmd: z.enum(['down', 'up', 'state', 'hidden', 'shown']) });
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = CommandSchema.parse(JSON.parse(line));
  if (command.cmd === 'down') host.core.hotkeyDown();
  else if (command.cmd === 'up') host.core.hotkeyUp();
  else if (command.cmd === 'hidden') host.core.windowVisibility(false);
  else if (command.cmd === 'shown') host.core.windowVisibility(true);
  process.stdout.write(`${JSON.stringify({ ack: command.id, state: host.core.status().state, clients: host.transport.connectedClients() })}\n`);
});
const stop = (): void => {
  void host
    .close()
    .then(() => server.close())
    .then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
