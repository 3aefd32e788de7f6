/**
 * Is there an X server on $DISPLAY that would let us in? uiohook-napi calls XOpenDisplay from its own
 * thread and, when that fails, the native module aborts the whole process (exit 134; reproduced with
 * plain Node: `DISPLAY=:77 node -e "require('uiohook-napi').uIOhook.start()"`, and with a server that
 * refuses us for want of an Xauthority cookie). So before starting the hook we connect the way Xlib
 * would and send the X11 connection-setup request ourselves.
 *
 * Sources:
 * - DISPLAY forms and the socket each one reaches: X(7) "DISPLAY NAMES" and libxcb's
 *   src/xcb_util.c (_xcb_parse_display, _xcb_open: "/tmp/.X11-unix/X<N>", TCP port 6000+N, TCP
 *   fallback for ":N" since libxcb 1.10, commit 7d235c6). libxcb up to 1.15 also tries the Linux
 *   abstract socket "\0/tmp/.X11-unix/X<N>" first (commit 25e59cc); libxcb 1.16 reads a DISPLAY that
 *   starts with "/" or "unix:" as a socket path only (commit 0952555), so "unix:0" means different
 *   things to different installed libraries (checked here: libxcb 1.15 starts the hook with
 *   DISPLAY=unix:N and aborts with DISPLAY=/tmp/.X11-unix/XN).
 * - Which cookie is sent: libxcb src/xcb_auth.c (get_authptr: FamilyLocal + hostname for unix sockets
 *   and loopback TCP, FamilyInternet/6 with the server address otherwise) and libXau's
 *   XauGetBestAuthByAddr / XauFileName ($XAUTHORITY, else ~/.Xauthority) for the file format.
 * - The setup request and the first byte of the reply (0 Failed, 1 Success, 2 Authenticate): the X
 *   Window System Protocol, chapter 8 "Connection Setup".
 *
 * No Electron import: the probe runs (and is tested) under plain Node.
 */
import { readFile } from 'node:fs/promises';
import { hostname as osHostname, homedir } from 'node:os';
import { connect, isIP, type Socket } from 'node:net';
import { join } from 'node:path';

export interface ParsedDisplay {
  /** "tcp", "inet", "inet6", "unix" or null when the name gives none. */
  protocol: string | null;
  /** Empty for the local server. */
  host: string;
  display: number;
  screen: number;
}

export type DisplayParse = { ok: true; parsed: ParsedDisplay } | { ok: false; reason: string };

/**
 * Parses a DISPLAY value into what both old (≤ 1.15) and new (≥ 1.16) libxcb agree on. Forms that the
 * two read differently are refused with a reason, because guessing wrong means the hook aborts.
 */
export function parseDisplay(name: string): DisplayParse {
  const value = name.trim();
  if (value === '') return { ok: false, reason: 'DISPLAY is empty' };
  if (value.startsWith('/') || value.startsWith('unix:')) {
    return {
      ok: false,
      reason: `DISPLAY "${value}" is read differently by different X libraries (a socket path since libxcb 1.16, a display number before); set DISPLAY to the ":N" form, for example ":0"`,
    };
  }
  let rest = value;
  let protocol: string | null = null;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
    if (!['tcp', 'inet', 'inet6', 'unix'].includes(protocol)) {
      return { ok: false, reason: `DISPLAY "${value}" asks for the transport "${protocol}", which Earshot's key hook cannot use` };
    }
  }
  const colon = rest.lastIndexOf(':');
  const malformed = { ok: false as const, reason: `DISPLAY "${value}" is not an X display name (expected something like ":0" or "host:0.0")` };
  if (colon < 0) return malformed;
  let host = rest.slice(0, colon);
  if (host.endsWith(':')) {
    return { ok: false, reason: `DISPLAY "${value}" names a DECnet display, which Earshot's key hook cannot use` };
  }
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rest.slice(colon + 1));
  if (!match?.[1]) return malformed;
  const display = Number(match[1]);
  const screen = match[2] === undefined ? 0 : Number(match[2]);
  if (!Number.isSafeInteger(display) || display > 65535 - 6000) return malformed;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { ok: true, parsed: { protocol, host, display, screen } };
}

export type Endpoint =
  | { kind: 'unix'; path: string; label: string }
  | { kind: 'tcp'; host: string; port: number; label: string };

/** The sockets libxcb would try, in its order; the first one that accepts a connection is used. */
export function endpointsFor(parsed: ParsedDisplay, platform: NodeJS.Platform = process.platform): Endpoint[] {
  const { protocol, host, display } = parsed;
  const tcp: Endpoint = { kind: 'tcp', host: host === '' ? 'localhost' : host, port: 6000 + display, label: `TCP port ${6000 + display}` };
  const local = (protocol === null || protocol === 'unix') && (host === '' || host === 'unix');
  if (!local) return protocol === 'unix' ? [] : [tcp];
  const file = `/tmp/.X11-unix/X${display}`;
  const endpoints: Endpoint[] = [];
  // Node reaches the Linux abstract namespace with a path that starts with a NUL byte.
  if (platform === 'linux') endpoints.push({ kind: 'unix', path: `\0${file}`, label: `abstract socket @${file}` });
  endpoints.push({ kind: 'unix', path: file, label: file });
  if (protocol === null && host === '') endpoints.push(tcp);
  return endpoints;
}

export type XProbeResult = { ok: true; via: string } | { ok: false; reason: string };

export interface XProbeOptions {
  /** How long a server that accepted the connection may take to answer the setup request. */
  timeoutMs?: number;
  /** Environment for XAUTHORITY and HOME. */
  env?: Readonly<Record<string, string | undefined>>;
  hostname?: string;
  platform?: NodeJS.Platform;
}

/** Connects to the X server named by `displayName` and asks it to accept us, as XOpenDisplay would. */
export async function probeXDisplay(displayName: string, options: XProbeOptions = {}): Promise<XProbeResult> {
  const parse = parseDisplay(displayName);
  if (!parse.ok) return parse;
  const { parsed } = parse;
  const shown = displayName.trim();
  // A live server answers in a few ms; a busy machine can take hundreds (seen: > 500 ms on a loaded
  // 2-core CI run). Only a dead DISPLAY waits this long, so the limit is generous.
  const timeoutMs = options.timeoutMs ?? 2000;
  const endpoints = endpointsFor(parsed, options.platform ?? process.platform);
  for (const endpoint of endpoints) {
    const socket = await openSocket(endpoint, timeoutMs);
    if (!socket) continue;
    try {
      const cookie = await findCookie(parsed, socket, endpoint, options);
      const reply = await setupReply(socket, cookie, timeoutMs);
      if (reply === null) return { ok: false, reason: `no X server answers on DISPLAY ${shown} (${endpoint.label} accepted a connection but nothing replied within ${timeoutMs} ms)` };
      if (reply.status === 1) return { ok: true, via: endpoint.label };
      if (reply.status === 0) {
        const why = reply.message ? `: "${reply.message}"` : '';
        return {
          ok: false,
          reason: `the X server on DISPLAY ${shown} refused Earshot's connection${why}; check that XAUTHORITY points at this session's cookie file`,
        };
      }
      return { ok: false, reason: `the X server on DISPLAY ${shown} asks for an extra authentication step that Earshot's key hook cannot complete` };
    } finally {
      socket.destroy();
    }
  }
  return { ok: false, reason: `no X server answers on DISPLAY ${shown}` };
}

function openSocket(endpoint: Endpoint, timeoutMs: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = endpoint.kind === 'unix' ? connect({ path: endpoint.path }) : connect({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(null);
    });
  });
}

interface Cookie {
  name: Buffer;
  data: Buffer;
}

const MIT_MAGIC_COOKIE = 'MIT-MAGIC-COOKIE-1';
const FAMILY_INTERNET = 0;
const FAMILY_INTERNET6 = 6;
const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;

interface XauthEntry {
  family: number;
  address: Buffer;
  number: string;
  name: string;
  data: Buffer;
}

/** Reads an Xauthority file: records of family (u16 BE), then address, number, name, data (u16 BE length + bytes). */
export function parseXauthority(file: Buffer): XauthEntry[] {
  const entries: XauthEntry[] = [];
  let at = 0;
  const field = (): Buffer | null => {
    if (at + 2 > file.length) return null;
    const length = file.readUInt16BE(at);
    if (at + 2 + length > file.length) return null;
    const value = file.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    return value;
  };
  while (at + 2 <= file.length) {
    const family = file.readUInt16BE(at);
    at += 2;
    const address = field();
    const number = field();
    const name = field();
    const data = field();
    if (!address || !number || !name || !data) break;
    entries.push({ family, address, number: number.toString('latin1'), name: name.toString('latin1'), data });
  }
  return entries;
}

/** libxcb's get_authptr + XauGetBestAuthByAddr, for the one cookie type we can send (MIT-MAGIC-COOKIE-1). */
async function findCookie(parsed: ParsedDisplay, socket: Socket, endpoint: Endpoint, options: XProbeOptions): Promise<Cookie | null> {
  const env = options.env ?? process.env;
  const path = env.XAUTHORITY && env.XAUTHORITY !== '' ? env.XAUTHORITY : join(env.HOME ?? homedir(), '.Xauthority');
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch {
    return null;
  }
  let family = FAMILY_LOCAL;
  let address: Buffer = Buffer.from(options.hostname ?? osHostname(), 'latin1');
  if (endpoint.kind === 'tcp') {
    const remote = socket.remoteAddress ?? '';
    const v4 = remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4 ? remote.slice(7) : remote;
    if (isIP(v4) === 4 && v4 !== '127.0.0.1') {
      family = FAMILY_INTERNET;
      address = Buffer.from(v4.split('.').map(Number));
    } else if (isIP(v4) === 6 && v4 !== '::1') {
      family = FAMILY_INTERNET6;
      address = ipv6Bytes(v4);
    }
  }
  const number = String(parsed.display);
  for (const entry of parseXauthority(file)) {
    const addressMatches = entry.family === FAMILY_WILD || (entry.family === family && entry.address.equals(address));
    const numberMatches = entry.number === '' || entry.number === number;
    if (addressMatches && numberMatches && entry.name === MIT_MAGIC_COOKIE) {
      return { name: Buffer.from(entry.name, 'latin1'), data: entry.data };
    }
  }
  return null;
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = groups(tail);
  const all = address.includes('::') ? [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right] : left;
  const bytes = Buffer.alloc(16);
  all.forEach((g, i) => bytes.writeUInt16BE(g & 0xffff, i * 2));
  return bytes;
}

/** The connection-setup request, little-endian ('l'), protocol 11.0, with the cookie if we have one. */
export function setupRequest(cookie: Cookie | null): Buffer {
  const name = cookie?.name ?? Buffer.alloc(0);
  const data = cookie?.data ?? Buffer.alloc(0);
  const pad = (n: number): number => (4 - (n % 4)) % 4;
  const head = Buffer.alloc(12);
  head.writeUInt8(0x6c, 0);
  head.writeUInt16LE(11, 2);
  head.writeUInt16LE(0, 4);
  head.writeUInt16LE(name.length, 6);
  head.writeUInt16LE(data.length, 8);
  return Buffer.concat([head, name, Buffer.alloc(pad(name.length)), data, Buffer.alloc(pad(data.length))]);
}

interface SetupReply {
  status: number;
  message: string;
}

/** Sends the setup request and waits for the reply's status byte (and a Failed reply's reason). */
function setupReply(socket: Socket, cookie: Cookie | null, timeoutMs: number): Promise<SetupReply | null> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (value: SetupReply | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      // A Failed reply whose reason was cut short still says the server is there and refused us.
      const status = received[0];
      finish(status === undefined ? null : { status, message: reasonFrom(received) });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const status = received[0];
      if (status === undefined) return;
      if (status !== 0) return finish({ status, message: '' });
      // Failed: byte 1 is the reason's length, the reason starts at byte 8.
      const length = received[1];
      if (length !== undefined && received.length >= 8 + length) finish({ status, message: reasonFrom(received) });
    });
    socket.once('close', () => {
      const status = received[0];
      finish(status === undefined ? null : { status, message: reasonFrom(received) });
    });
    socket.write(setupRequest(cookie));
  });
}

function reasonFrom(reply: Buffer): string {
  if (reply[0] !== 0 || reply.length < 8) return '';
  const length = reply[1] ?? 0;
  return reply.subarray(8, 8 + length).toString('latin1').trim();
}
