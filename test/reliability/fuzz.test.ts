/**
 * Property tests (fast-check, issue 14), each bounded in time (FUZZ_MS per property, 10 s by
 * default) with a fixed seed (FUZZ_SEED, printed; fast-check prints the seed and path of a failing
 * case so it can be replayed):
 *  - mutated server-event streams, injected into a live reply, never throw out of the core and never
 *    leave it stuck: once the stream ends, a new turn is answered;
 *  - random IPC payloads are rejected by the contract and never reach a handler;
 *  - random paths never escape the tool sandbox (real temp folders with links in and out);
 *  - random settings patches never corrupt the settings file (reloaded after each: valid and equal
 *    to what the service says).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestChannel, requestNames, requests, type RequestName } from '../../preload/contract.ts';
import type { SenderInfo } from '../../preload/transport.ts';
import { serveContract, type Handlers } from '../../main/ipc/contract-server.ts';
import { SettingsService } from '../../main/settings/settings-service.ts';
import { PathSandbox } from '../../main/tools/path-sandbox.ts';
import type { createElectronStoreSettingsPort as CreatePort } from '../../main/app/electron-store-settings-port.ts';
import { installElectronStub } from '../support/electron-stub.ts';
import type { RealtimeEventJson } from '../support/fake-realtime/index.ts';
import { memoryTransportPair } from '../support/memory-transport.ts';
import { startRig, until, type Rig } from './support/rig.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_250_914);
const TIME_LIMIT_MS = Number(process.env['FUZZ_MS'] ?? 10_000);
console.log(`fuzz: seed ${SEED}, ${TIME_LIMIT_MS} ms per property (FUZZ_SEED / FUZZ_MS to change)`);

/**
 * Runs a property until numRuns cases ran or TIME_LIMIT_MS passed, whichever comes first. The time
 * limit only stops new cases from starting (a case that hangs must fail, not be cut off and pass).
 */
async function check<T extends unknown[]>(name: string, arbitraries: { [K in keyof T]: fc.Arbitrary<T[K]> }, predicate: (...args: T) => Promise<void> | void, numRuns: number): Promise<void> {
  const started = Date.now();
  let runs = 0;
  const property = fc.asyncProperty(...(arbitraries as unknown as [fc.Arbitrary<unknown>]), async (...args: unknown[]) => {
    if (Date.now() - started > TIME_LIMIT_MS) return;
    runs += 1;
    await predicate(...(args as T));
  });
  await fc.assert(property, { seed: SEED, numRuns, endOnFailure: true });
  console.log(`fuzz ${name}: ${runs} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`);
  expect(runs).toBeGreaterThan(0);
}

describe('server-event streams', () => {
  let rig: Rig;
  let pool: RealtimeEventJson[] = [];
  const uncaught: unknown[] = [];
  const onError = (e: unknown): void => void uncaught.push(e);

  beforeAll(async () => {
    rig = await startRig();
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    // A real turn with a tool call and an answer gives the pool of events to mutate.
    rig.fake.scriptToolCall({ name: 'list_directory', arguments: { path: '/' } });
    await rig.turn();
    pool = rig.fake.sent.map((r) => r.event);
  });
  afterAll(async () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    await rig.close();
  });

  let fresh = 0;
  const jsonValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 3 }));
  /** One frame: a pool event, mutated, as the text the server sends. */
  const frame = fc
    .record({
      pick: fc.nat(),
      mutation: fc.constantFrom('as-is', 'drop-field', 'set-field', 'retype', 'bad-base64', 'same-id', 'garbage', 'truncated-json'),
      field: fc.nat(),
      value: jsonValue,
      text: fc.string({ maxLength: 40 }),
    })
    .map(({ pick, mutation, field, value, text }) => {
      const base = structuredClone(pool[pick % pool.length] ?? { type: 'error' }) as Record<string, unknown>;
      const keepId = mutation === 'same-id';
      if (!keepId) base['event_id'] = `evt_fuzz_${++fresh}`;
      const keys = Object.keys(base).filter((k) => k !== 'type' && k !== 'event_id');
      const key = keys[field % Math.max(1, keys.length)] ?? 'x';
      switch (mutation) {
        case 'drop-field':
          Reflect.deleteProperty(base, key);
          break;
        case 'set-field':
          base[key] = value;
          break;
        case 'retype':
          base['type'] = typeof value === 'string' ? value : `response.${text}`;
          break;
        case 'bad-base64':
          if ('delta' in base) base['delta'] = `${text}%%%`;
          break;
        case 'garbage':
          return text;
        case 'truncated-json':
          return JSON.stringify(base).slice(0, Math.max(1, field % 60));
      }
      return JSON.stringify(base);
    });

  it('never throw out of the core and never leave it stuck: after the stream, a new turn is answered', async () => {
    let cleanRuns = 0;
    await check(
      'server events',
      [fc.array(frame, { minLength: 1, maxLength: 25 })],
      async (frames: string[]) => {
        // Mid-reply, after the second audio delta, the mutated frames arrive.
        let deltas = 0;
        rig.fake.interceptServerEvents((e) => {
          if (e.type === 'response.output_audio.delta' && ++deltas === 2) for (const f of frames) rig.fake.sendRaw(f);
          return [e];
        });
        const before = rig.metrics.length;
        rig.ask();
        await until(() => rig.fake.events('response.done').length > 0 && deltas >= 2, 'the reply with the frames', 8000);
        rig.fake.interceptServerEvents(null);
        // The stream is over. Whatever state it left, the next press must lead to an answer.
        const deadline = Date.now() + 1500;
        while (Date.now() < deadline && rig.core.status().state !== 'idle') await new Promise((r) => setTimeout(r, 10));
        if (rig.core.status().state === 'idle') cleanRuns += 1;
        const answered = rig.fake.events('response.done').length;
        rig.ask();
        await until(() => rig.fake.events('response.done').length > answered && rig.metrics.length > before, 'the next turn to be answered', 8000).catch((error: unknown) => {
          console.log(`stuck after these frames (state ${rig.core.status().state}):\n${frames.join('\n')}`);
          throw error;
        });
        await until(() => rig.core.status().state === 'idle', 'idle after the next turn', 8000);
        expect(uncaught).toEqual([]);
        rig.fake.reset();
      },
      200,
    );
    console.log(`fuzz server events: ${cleanRuns} runs were idle on their own within 1.5 s of the stream's end`);
    expect(uncaught).toEqual([]);
  }, 60_000);
});

describe('IPC payloads', () => {
  it('are rejected by the contract and never reach a handler', async () => {
    const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    const executed: Array<{ name: RequestName; input: unknown }> = [];
    const handlers = Object.fromEntries(
      requestNames.map((name) => [
        name,
        (input: unknown) => {
          executed.push({ name, input });
          throw new Error('handler reached');
        },
      ]),
    ) as unknown as Handlers;
    let trusted = true;
    serveContract(main, handlers, { isTrustedSender: (_sender: SenderInfo) => trusted });
    const payload = fc.oneof(
      fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 3 }),
      fc.dictionary(fc.constantFrom('phase', 'patch', 'id', 'decision', 'key', 'muted', 'mode', 'itemId', 'turnId', 'renderedSamples', 'totalSamples', '__proto__', 'constructor', 'query'), fc.anything({ maxDepth: 2 })),
      fc.constant(JSON.parse('{"__proto__":{"polluted":true}}') as unknown),
    );
    await check(
      'IPC payloads',
      [fc.constantFrom(...requestNames), payload, fc.boolean()],
      async (name: RequestName, input: unknown, fromTrusted: boolean) => {
        trusted = fromTrusted;
        executed.length = 0;
        const reply = (await renderer.invoke(requestChannel(name), input)) as { ok: boolean; error?: string };
        const valid = requests[name].input.safeParse(input).success;
        if (!fromTrusted || !valid) {
          expect(reply.ok).toBe(false);
          expect(executed).toEqual([]);
        } else {
          // A payload that happens to be valid reaches its handler only in its validated form.
          expect(executed).toHaveLength(1);
          expect(requests[name].input.safeParse(executed[0]?.input).success).toBe(true);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      },
      3000,
    );
  }, 30_000);
});

describe('tool paths', () => {
  let base: string;
  let root: string;
  let outside: string;
  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'earshot-sandbox-fuzz-')));
    root = join(base, 'shared');
    outside = join(base, 'private');
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'notes.txt'), 'shared notes');
    writeFileSync(join(root, 'sub', 'a.txt'), 'shared a');
    writeFileSync(join(outside, 'secret.txt'), 'PRIVATE SECRET');
    symlinkSync(outside, join(root, 'link-out'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'sub', 'secret-link.txt'));
    symlinkSync(join(root, 'sub'), join(root, 'link-in'));
    symlinkSync('../..', join(root, 'sub', 'deeper', 'up'));
    symlinkSync('/nonexistent/dangling', join(root, 'dangling'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('never lead outside the shared folder, through links or any spelling', async () => {
    const sandbox = new PathSandbox([root], { homeDir: base });
    const inside = (p: string): boolean => p === root || p.startsWith(root + sep);
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '', 'sub', 'deeper', 'up', 'link-out', 'link-in', 'secret.txt', 'secret-link.txt', 'notes.txt', 'a.txt', 'dangling', 'loop1', 'private', 'shared', '~', '%2e%2e', '\u2024\u2024', '..\u0000', '．．', '...', 'new.txt'),
      fc.string({ maxLength: 6 }),
    );
    const pathArb = fc.tuple(fc.constantFrom('', '/', `${root}/`, `${outside}/`, `${base}/`, '~/', '\\\\server\\share\\', 'C:\\'), fc.array(segment, { maxLength: 6 }), fc.constantFrom('/', '\\', '//')).map(([prefix, parts, joiner]) => prefix + parts.join(joiner));
    await check(
      'tool paths',
      [pathArb],
      async (input: string) => {
        let loc;
        try {
          loc = await sandbox.locate(input, { allowMissing: true });
        } catch {
          return; // refused: fine
        }
        expect(inside(loc.real), `${JSON.stringify(input)} → ${loc.real}`).toBe(true);
        if (loc.stat?.isFile()) {
          const opened = await sandbox.openForRead(loc, 1 << 20).catch(() => null);
          if (opened) {
            const text = await opened.handle.readFile('utf8');
            await opened.handle.close();
            expect(text).not.toContain('PRIVATE SECRET');
          }
        }
      },
      3000,
    );
  }, 30_000);
});

describe('settings patches', () => {
  let createPort: typeof CreatePort;
  let dir: string;
  beforeAll(async () => {
    installElectronStub(join(tmpdir(), 'earshot-user-data-unused'));
    ({ createElectronStoreSettingsPort: createPort } = await import('../../main/app/electron-store-settings-port.ts'));
    dir = mkdtempSync(join(tmpdir(), 'earshot-settings-fuzz-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never corrupt the settings file: reloaded after each, it is valid and equal to what the service says', async () => {
    const service = new SettingsService({ store: createPort({ cwd: dir, name: 'settings' }) });
    service.load();
    const value = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.constantFrom('marin', 'cedar', 'hold', 'toggle', 'hands-free', 'Control+Shift+K', '/home/ann', 'inf', 'server_vad', 'off'),
      fc.double({ min: -10, max: 1000 }),
      fc.integer({ min: -5, max: 5000 }),
      fc.constant(null),
    );
    const key = fc.constantFrom('voice', 'model', 'instructions', 'turnMode', 'hotkey', 'vad', 'transcription', 'devices', 'micWarmSeconds', 'allowedFolders', 'toolPolicies', 'clipboard', 'dailyBudgetUsd', 'historyRetentionDays', 'maxOutputTokens', 'speechSpeed', 'endpoint', 'version', 'unknownKey', '__proto__');
    const nested = fc.record({ threshold: value, type: value, readEnabled: value, kind: value, language: value }, { requiredKeys: [] });
    const patch = fc.dictionary(key, fc.oneof(value, nested), { maxKeys: 4 });
    await check(
      'settings patches',
      [patch],
      (p: Record<string, unknown>) => {
        try {
          service.update(p);
        } catch {
          // refused as a whole: nothing may have changed on disk
        }
        const reloaded = new SettingsService({ store: createPort({ cwd: dir, name: 'settings' }), notice: (n) => expect.fail(`reload said: ${n.message}`) });
        expect(reloaded.load()).toEqual(service.get());
      },
      2000,
    );
  }, 30_000);
});
