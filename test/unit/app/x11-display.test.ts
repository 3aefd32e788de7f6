/**
 * The X server probe that stands between Earshot and uiohook's abort: it must say "no server" fast
 * when nothing listens, give up on a server that accepts and never answers, let a real Xvfb through
 * (with and without a cookie it requires), and refuse DISPLAY values that X libraries would not read
 * the way we do.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsFor, parseDisplay, parseXauthority, probeXDisplay, setupRequest } from '../../../main/app/x11-display.ts';
import { fakeXServer, freeDisplayNumber, startXvfb, xauthorityFile, xvfbPath } from '../../support/hotkey/x-server.ts';

const linux = process.platform === 'linux';
if (!linux) console.log(`skipped: X11 probe against sockets: the abstract socket namespace exists on Linux only (this is ${process.platform})`);
if (linux && !xvfbPath) console.log('skipped: X11 probe against a real Xvfb: Xvfb is not installed (apt-get install xvfb)');

const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;
const COOKIE = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-x11-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DISPLAY names', () => {
  it.each([
    [':0', { protocol: null, host: '', display: 0, screen: 0 }],
    [':1.2', { protocol: null, host: '', display: 1, screen: 2 }],
    ['localhost:10.0', { protocol: null, host: 'localhost', display: 10, screen: 0 }],
    ['tcp/example.org:3', { protocol: 'tcp', host: 'example.org', display: 3, screen: 0 }],
    ['unix/:4', { protocol: 'unix', host: '', display: 4, screen: 0 }],
    ['[::1]:5', { protocol: null, host: '::1', display: 5, screen: 0 }],
  ])('reads %s', (name, expected) => {
    expect(parseDisplay(name)).toEqual({ ok: true, parsed: expected });
  });

  it.each([
    ['', /empty/],
    ['foo', /not an X display name/],
    [':', /not an X display name/],
    [':x', /not an X display name/],
    [':1.', /not an X display name/],
    [':1.a', /not an X display name/],
    [':70000', /not an X display name/],
    ['host::0', /DECnet/],
    ['bogus/:0', /transport "bogus"/],
    // libxcb ≥ 1.16 reads these as socket paths, libxcb ≤ 1.15 does not: either way one of them aborts.
    ['unix:0', /set DISPLAY to the ":N" form/],
    ['/tmp/.X11-unix/X0', /set DISPLAY to the ":N" form/],
  ])('refuses %j with a reason', (name, reason) => {
    const result = parseDisplay(name);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('tries the sockets in libxcb order: abstract, file, then TCP for a local ":N"', () => {
    const parsed = parseDisplay(':5');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(endpointsFor(parsed.parsed, 'linux').map((e) => e.label)).toEqual(['abstract socket @/tmp/.X11-unix/X5', '/tmp/.X11-unix/X5', 'TCP port 6005']);
    const remote = parseDisplay('example.org:2');
    if (!remote.ok) throw new Error(remote.reason);
    expect(endpointsFor(remote.parsed, 'linux')).toEqual([{ kind: 'tcp', host: 'example.org', port: 6002, label: 'TCP port 6002' }]);
  });

  it('builds the setup request with the cookie padded to 4 bytes', () => {
    const request = setupRequest({ name: Buffer.from('MIT-MAGIC-COOKIE-1'), data: COOKIE });
    expect(request[0]).toBe(0x6c);
    expect(request.readUInt16LE(2)).toBe(11);
    expect(request.readUInt16LE(6)).toBe(18);
    expect(request.readUInt16LE(8)).toBe(16);
    expect(request.length).toBe(12 + 20 + 16);
    expect(request.subarray(12, 30).toString()).toBe('MIT-MAGIC-COOKIE-1');
    expect(request.subarray(32, 48).equals(COOKIE)).toBe(true);
  });

  it('reads an Xauthority file', () => {
    const bytes = xauthorityFile([{ family: FAMILY_LOCAL, address: Buffer.from('box'), number: '3', name: 'MIT-MAGIC-COOKIE-1', data: COOKIE }]);
    expect(parseXauthority(bytes)).toEqual([{ family: FAMILY_LOCAL, address: Buffer.from('box'), number: '3', name: 'MIT-MAGIC-COOKIE-1', data: COOKIE }]);
  });
});

describe.skipIf(!linux)('probing an X server', () => {
  it('says no X server answers when nothing listens on the display, without waiting for the timeout', async () => {
    const n = await freeDisplayNumber();
    const started = performance.now();
    // A 20 s timeout against a 5 s bound: a refused connection answers at once, and a loaded machine
    // still cannot make that look like the timeout.
    const result = await probeXDisplay(`:${n}`, { timeoutMs: 20_000 });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, reason: `no X server answers on DISPLAY :${n}` });
    expect(elapsed).toBeLessThan(5000);
  }, 30_000);

  it('gives up on a listener that accepts the connection and never answers', async () => {
    const n = await freeDisplayNumber(120);
    const server = await fakeXServer({ path: `\0/tmp/.X11-unix/X${n}` }, 'never');
    try {
      const started = performance.now();
      // Waited for the 3 s timeout (not less), and gave up then: well under 7.5 s even on a loaded machine.
      const result = await probeXDisplay(`:${n}`, { timeoutMs: 3000, env: { XAUTHORITY: join(dir, 'none') } });
      const elapsed = performance.now() - started;
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(new RegExp(`^no X server answers on DISPLAY :${n} \\(abstract socket @/tmp/.X11-unix/X${n} accepted a connection but nothing replied within 3000 ms\\)$`));
      expect(elapsed).toBeGreaterThanOrEqual(2990);
      expect(elapsed).toBeLessThan(7500);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('reports the reason a server gives for refusing us', async () => {
    const n = await freeDisplayNumber(160);
    const server = await fakeXServer({ port: 6000 + n }, { failed: 'Maximum number of clients reached' });
    try {
      const result = await probeXDisplay(`127.0.0.1:${n}`, { env: { XAUTHORITY: join(dir, 'none') } });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(`the X server on DISPLAY 127.0.0.1:${n} refused Earshot's connection: "Maximum number of clients reached"`);
    } finally {
      await server.close();
    }
  });

  it('treats an Authenticate reply as a server we cannot use', async () => {
    const n = await freeDisplayNumber(200);
    const server = await fakeXServer({ port: 6000 + n }, 'authenticate');
    try {
      const result = await probeXDisplay(`127.0.0.1:${n}`, { env: { XAUTHORITY: join(dir, 'none') } });
      expect(!result.ok && result.reason).toMatch(/asks for an extra authentication step/);
    } finally {
      await server.close();
    }
  });

  it('sends the MIT-MAGIC-COOKIE-1 that Xlib would pick from XAUTHORITY (local family, this host, this display)', async () => {
    const n = await freeDisplayNumber(240);
    const server = await fakeXServer({ path: `\0/tmp/.X11-unix/X${n}` }, { cookie: COOKIE });
    const authFile = join(dir, `auth-${n}`);
    await writeFile(
      authFile,
      xauthorityFile([
        { family: FAMILY_LOCAL, address: Buffer.from(hostname()), number: String(n + 1), name: 'MIT-MAGIC-COOKIE-1', data: Buffer.alloc(16, 1) },
        { family: FAMILY_LOCAL, address: Buffer.from('some-other-host'), number: String(n), name: 'MIT-MAGIC-COOKIE-1', data: Buffer.alloc(16, 2) },
        { family: FAMILY_LOCAL, address: Buffer.from(hostname()), number: String(n), name: 'MIT-MAGIC-COOKIE-1', data: COOKIE },
      ]),
    );
    try {
      expect(await probeXDisplay(`:${n}`, { env: { XAUTHORITY: authFile } })).toEqual({ ok: true, via: `abstract socket @/tmp/.X11-unix/X${n}` });
      const refused = await probeXDisplay(`:${n}`, { env: { XAUTHORITY: join(dir, 'missing') } });
      expect(!refused.ok && refused.reason).toMatch(/refused Earshot's connection: "Authorization required/);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!linux || !xvfbPath)('probing a real Xvfb', () => {
  it('lets a running Xvfb through on its display', async () => {
    const xvfb = await startXvfb();
    try {
      // Two probes in a row: startXvfb's -noreset keeps the server from resetting between them (a
      // connection during a reset is never answered). The limit is generous for a loaded machine.
      const result = await probeXDisplay(`:${xvfb.display}`, { timeoutMs: 20_000, env: { XAUTHORITY: join(dir, 'none') } });
      expect(result.ok).toBe(true);
      expect(await probeXDisplay(`:${xvfb.display}.0`, { timeoutMs: 20_000, env: { XAUTHORITY: join(dir, 'none') } })).toEqual(result);
    } finally {
      await xvfb.stop();
    }
  }, 60_000);

  it('passes an Xvfb that requires a cookie only when XAUTHORITY holds it', async () => {
    const authFile = join(dir, 'xvfb-auth');
    // Xvfb -auth reads the file once at start; a FamilyWild entry is what `xauth add :N . cookie` writes
    // for a display number we do not know yet, so write one for any display.
    await writeFile(authFile, xauthorityFile([{ family: FAMILY_WILD, address: Buffer.alloc(0), number: '', name: 'MIT-MAGIC-COOKIE-1', data: COOKIE }]));
    const xvfb = await startXvfb({ authFile });
    try {
      expect((await probeXDisplay(`:${xvfb.display}`, { timeoutMs: 20_000, env: { XAUTHORITY: authFile } })).ok).toBe(true);
      const refused = await probeXDisplay(`:${xvfb.display}`, { timeoutMs: 20_000, env: { XAUTHORITY: join(dir, 'none') } });
      expect(!refused.ok && refused.reason).toMatch(/refused Earshot's connection: "Authorization required/);
    } finally {
      await xvfb.stop();
    }
  }, 60_000);
});
