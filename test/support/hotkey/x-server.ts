/**
 * X servers for the hotkey tests: a real Xvfb on a display number it picks itself (-displayfd), fake
 * servers that accept and then answer in a chosen way (or never), a display number nothing listens on,
 * and Xauthority files in the format libXau reads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';

export const xvfbPath = ((): string | null => {
  const found = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
})();

export interface RunningXvfb {
  display: number;
  stop(): Promise<void>;
}

/** Starts `Xvfb -nolisten tcp` on a free display (Xvfb chooses and reports it on -displayfd). */
export function startXvfb(options: { authFile?: string } = {}): Promise<RunningXvfb> {
  if (!xvfbPath) throw new Error('Xvfb is not installed');
  // -noreset: an X server with no clients left resets (X.Org's dispatch loop ends, the server
  // regenerates), and a connection that lands during the reset is accepted by the kernel but never
  // answered — seen here 1 run in 4 as "accepted a connection but nothing replied", for the probe
  // right after another probe disconnected. A desktop's X server always has clients; the test's had one.
  const args = ['-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-screen', '0', '640x480x24'];
  if (options.authFile) args.push('-auth', options.authFile);
  const child = spawn(xvfbPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Xvfb did not report a display within 10 s: ${stderr}`));
    }, 10_000);
    fd3.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const display = Number(out.trim());
      resolve({
        display,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}) before reporting a display: ${stderr}`));
    });
  });
}

function abstractSockets(): Set<string> {
  try {
    return new Set(
      readFileSync('/proc/net/unix', 'utf8')
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[7] ?? '')
        .filter((path) => path.startsWith('@')),
    );
  } catch {
    return new Set();
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)));
  });
}

/** A display number with no socket file, no abstract socket, no lock file and no TCP listener. */
export async function freeDisplayNumber(from = 77): Promise<number> {
  const abstract = abstractSockets();
  for (let n = from; n < from + 400; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`) || abstract.has(`@/tmp/.X11-unix/X${n}`)) continue;
    if (await portFree(6000 + n)) return n;
  }
  throw new Error('no free X display number');
}

export type FakeReply = 'never' | 'success' | { failed: string } | 'authenticate' | { cookie: Buffer };

export interface FakeXServer {
  /** Setup requests received, raw. */
  requests: Buffer[];
  close(): Promise<void>;
}

/**
 * A fake X server listening on `where` (a unix path — "\0…" for the abstract namespace — or a TCP
 * port on 127.0.0.1). It reads the whole setup request, then replies with the first bytes a real
 * server sends: Success (1), Failed (0, with a reason), Authenticate (2), or nothing at all.
 * `{ cookie }` answers Success only when the request carries MIT-MAGIC-COOKIE-1 with that data.
 */
export function fakeXServer(where: { path: string } | { port: number }, reply: FakeReply): Promise<FakeXServer> {
  const requests: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 12) return;
      const nameLength = received.readUInt16LE(6);
      const dataLength = received.readUInt16LE(8);
      const pad = (n: number): number => (4 - (n % 4)) % 4;
      const total = 12 + nameLength + pad(nameLength) + dataLength + pad(dataLength);
      if (received.length < total) return;
      requests.push(received);
      const name = received.subarray(12, 12 + nameLength).toString('latin1');
      const data = received.subarray(12 + nameLength + pad(nameLength), 12 + nameLength + pad(nameLength) + dataLength);
      if (reply === 'never') return;
      if (reply === 'success') return void socket.end(successReply());
      if (reply === 'authenticate') return void socket.end(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]));
      if ('failed' in reply) return void socket.end(failedReply(reply.failed));
      const ok = name === 'MIT-MAGIC-COOKIE-1' && data.equals(reply.cookie);
      socket.end(ok ? successReply() : failedReply('Authorization required, but no authorization protocol specified'));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const onListening = (): void =>
      resolve({
        requests,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    if ('path' in where) server.listen({ path: where.path }, onListening);
    else server.listen({ port: where.port, host: '127.0.0.1' }, onListening);
  });
}

function successReply(): Buffer {
  // Status 1, protocol 11.0, then "additional data" length 0: enough for a client that only reads byte 0.
  const reply = Buffer.alloc(8);
  reply.writeUInt8(1, 0);
  reply.writeUInt16LE(11, 2);
  return reply;
}

function failedReply(reason: string): Buffer {
  const text = Buffer.from(reason, 'latin1');
  const padded = Buffer.concat([text, Buffer.alloc((4 - (text.length % 4)) % 4)]);
  const head = Buffer.alloc(8);
  head.writeUInt8(0, 0);
  head.writeUInt8(text.length, 1);
  head.writeUInt16LE(11, 2);
  head.writeUInt16LE(padded.length / 4, 6);
  return Buffer.concat([head, padded]);
}

export interface XauthEntry {
  family: number;
  address: Buffer;
  number: string;
  name: string;
  data: Buffer;
}

/** Bytes of an Xauthority file (libXau: u16 BE family, then u16 BE length-prefixed fields). */
export function xauthorityFile(entries: XauthEntry[]): Buffer {
  const field = (value: Buffer): Buffer => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(value.length, 0);
    return Buffer.concat([length, value]);
  };
  return Buffer.concat(
    entries.map((e) => {
      const family = Buffer.alloc(2);
      family.writeUInt16BE(e.family, 0);
      return Buffer.concat([family, field(e.address), field(Buffer.from(e.number, 'latin1')), field(Buffer.from(e.name, 'latin1')), field(e.data)]);
    }),
  );
}
