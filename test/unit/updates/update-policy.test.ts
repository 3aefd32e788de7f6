/**
 * Updates against a release feed served here on loopback, through electron-updater's real
 * AppImageUpdater (test/support/update-feed/appimage-updater.ts says what stands in for Electron):
 * found, downloaded with its sha512 checked, offered; a restart asked for during a turn waits for the
 * turn's end and then really installs the downloaded file; a broken feed is one log line and no
 * notice; development builds and the setting off never ask the feed anything.
 */
import '../../support/electron-standin/register.ts';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, UpdateState } from '../../../preload/contract.ts';
import { createBridge } from '../../../preload/bridge.ts';
import { electronUpdaterDriver } from '../../../main/app/updates/electron-updater-driver.ts';
import { UpdatePolicy, type UpdaterDriver } from '../../../main/app/updates/update-policy.ts';
import { startCore } from '../../../main/core/start-core.ts';
import { systemClock } from '../../../main/base/clock.ts';
import type { Logger } from '../../../main/base/logger.ts';
import { makeTestCorePorts } from '../../support/core-host.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';
import { appImageUpdaterRig, type AppImageRig } from '../../support/update-feed/appimage-updater.ts';
import { appImageScript, refusedPort, startUpdateFeed, type FeedMode, type UpdateFeed } from '../../support/update-feed/feed-server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  return { logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }, lines };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Setup {
  feed: UpdateFeed | null;
  rig: AppImageRig;
  policy: UpdatePolicy;
  lines: string[];
  states: UpdateState[];
  driverCreated: () => number;
  lockReleased: () => number;
  marker: string;
}

async function setup(options: { mode?: FeedMode; feedUrl?: string; packaged?: boolean; enabled?: boolean } = {}): Promise<Setup> {
  let feed: UpdateFeed | null = null;
  let feedUrl = options.feedUrl;
  const markerHolder = { path: '' };
  if (!feedUrl) {
    // The marker path is known once the rig's folder exists; the script reads it from a file name
    // fixed below, so the feed is started with a placeholder first and the blob carries the real path.
    markerHolder.path = join(process.env.TMPDIR ?? '/tmp', `earshot-update-marker-${process.pid}-${Date.now()}`);
    feed = await startUpdateFeed({ version: '1.2.0', blob: appImageScript('1.2.0', markerHolder.path), mode: options.mode ?? 'ok' });
    feedUrl = feed.url;
    cleanups.push(() => feed?.close());
    cleanups.push(() => rmSync(markerHolder.path, { force: true }));
  }
  const rig = appImageUpdaterRig({ feedUrl, currentVersion: '0.1.0' });
  cleanups.push(() => {
    rmSync(rig.dir, { recursive: true, force: true });
    delete process.env.APPIMAGE;
  });
  const { logger, lines } = recordingLogger();
  let created = 0;
  let released = 0;
  const policy = new UpdatePolicy({
    packaged: options.packaged ?? true,
    enabled: () => options.enabled ?? true,
    driver: (): UpdaterDriver => {
      created += 1;
      return electronUpdaterDriver(rig.updater, { beforeInstall: () => (released += 1) });
    },
    clock: systemClock,
    logger,
    firstCheckDelayMs: 0,
  });
  cleanups.push(() => policy.dispose());
  const states: UpdateState[] = [];
  policy.subscribe((state) => states.push(state));
  return { feed, rig, policy, lines, states, driverCreated: () => created, lockReleased: () => released, marker: markerHolder.path };
}

describe('an update on the release feed', () => {
  it('is found, downloaded in the background with its sha512 checked, and offered', async () => {
    const s = await setup();
    if (!s.feed) throw new Error('no feed');
    // builder-util-runtime reports progress at most once a second (ProgressCallbackTransform): ~4 s of download.
    s.feed.chunkDelayMs = 250;
    s.policy.sessionState('idle');
    s.policy.start();
    await waitFor('the update to be ready', () => s.policy.state().state === 'ready');

    expect(s.policy.state()).toEqual({ state: 'ready', version: '1.2.0', installAfterTurn: false });
    const kinds = s.states.map((st) => st.state);
    expect(kinds.slice(0, 3)).toEqual(['idle', 'checking', 'available']);
    const percents = s.states.flatMap((st) => (st.state === 'downloading' ? [st.percent] : []));
    console.log(`update states: ${kinds.join(' → ')}; download percents: ${percents.join(', ')}`);
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // The channel file first, then the AppImage it names (electron-updater's GenericProvider).
    expect(s.feed.requests[0]).toMatch(/^\/latest-linux\.yml/);
    expect(s.feed.requests).toContain(`/${s.feed.fileName}`);
    // Nothing is installed by itself: the running AppImage is untouched, nothing quit.
    expect(existsSync(s.rig.appImagePath)).toBe(true);
    expect(s.rig.appCalls).not.toContain('quit');
    expect(s.lines.filter((l) => !l.startsWith('debug'))).toEqual([
      'info update available, downloading in the background {"version":"1.2.0"}',
      'info update downloaded and verified, offered as "Restart to update" {"version":"1.2.0"}',
    ]);
  });

  it('asked to restart during a turn, installs only when the turn has ended, then runs the new version', async () => {
    const s = await setup();
    s.policy.sessionState('idle');
    await s.policy.check();
    expect(s.policy.state().state).toBe('ready');

    s.policy.sessionState('speaking');
    expect(s.policy.install()).toBe('after-turn');
    expect(s.policy.state()).toEqual({ state: 'ready', version: '1.2.0', installAfterTurn: true });
    s.policy.sessionState('thinking');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(existsSync(s.rig.appImagePath)).toBe(true);
    expect(existsSync(s.marker)).toBe(false);
    expect(s.lockReleased()).toBe(0);
    expect(s.rig.appCalls).not.toContain('quit');

    const idleAt = Date.now();
    s.policy.sessionState('idle');
    await waitFor('the installed version to run', () => existsSync(s.marker) && readFileSync(s.marker, 'utf8').includes('installed'));
    await waitFor('the app to quit', () => s.rig.appCalls.includes('quit'));
    console.log(`turn ended → new AppImage ran after ${Date.now() - idleAt} ms: ${readFileSync(s.marker, 'utf8').trim()}`);
    expect(readFileSync(s.marker, 'utf8')).toBe('earshot 1.2.0 installed silent=true\n');
    // AppImageUpdater.doInstall: the old file is gone, the new one sits beside it under its own name.
    expect(existsSync(s.rig.appImagePath)).toBe(false);
    expect(existsSync(join(s.rig.dir, 'Applications', 'Earshot-1.2.0.AppImage'))).toBe(true);
    expect(s.lockReleased()).toBe(1);
    const standin = (globalThis as { __standin?: { calls: string[] } }).__standin;
    expect(standin?.calls).toContain('autoUpdater.emit before-quit-for-update');
  });

  it('idle when asked: installs at once; with nothing downloaded: nothing to install', async () => {
    const s = await setup();
    expect(s.policy.install()).toBe('nothing-to-install');
    s.policy.sessionState('idle');
    await s.policy.check();
    expect(s.policy.install()).toBe('installing');
    await waitFor('the app to quit', () => s.rig.appCalls.includes('quit'));
    expect(readFileSync(s.marker, 'utf8')).toContain('earshot 1.2.0 installed');
  });

  it('a check due during a turn waits for the end of the turn', async () => {
    const s = await setup();
    s.policy.sessionState('listening');
    s.policy.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.feed?.requests).toEqual([]);
    s.policy.sessionState('idle');
    await waitFor('the update to be ready', () => s.policy.state().state === 'ready');
    expect(s.feed?.requests[0]).toMatch(/^\/latest-linux\.yml/);
  });
});

describe('a broken feed', () => {
  const cases: { name: string; mode?: FeedMode; refused?: boolean; pattern: RegExp }[] = [
    { name: 'HTTP 500', mode: 'server-error', pattern: /^warn update check failed: .*500/ },
    { name: 'a channel file that is not an update', mode: 'garbage', pattern: /^warn update check failed: / },
    { name: 'connection refused', refused: true, pattern: /^warn update check failed: .*ECONNREFUSED/ },
    { name: 'a download whose sha512 does not match', mode: 'bad-checksum', pattern: /^warn update download failed: .*sha512 checksum mismatch/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exactly one log line, no notice, nothing offered`, async () => {
      const s = c.refused ? await setup({ feedUrl: `http://127.0.0.1:${await refusedPort()}/` }) : await setup({ mode: c.mode });
      s.policy.sessionState('idle');
      await s.policy.check();
      console.log(`${c.name}: ${s.lines.join(' | ')}`);
      const failures = s.lines.filter((l) => !l.startsWith('info update available'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(c.pattern);
      expect(failures[0]).not.toContain('\n');
      expect(s.policy.state()).toEqual({ state: 'error' });
      expect(s.policy.install()).toBe('nothing-to-install');
      expect(existsSync(s.rig.appImagePath)).toBe(true);
    });
  }
});

describe('when updates are off', () => {
  it('a development build (not packaged) never asks the feed and never creates the updater', async () => {
    const s = await setup({ packaged: false });
    s.policy.sessionState('idle');
    s.policy.start();
    await s.policy.check();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.feed?.requests).toEqual([]);
    expect(s.driverCreated()).toBe(0);
    expect(s.states).toEqual([{ state: 'idle' }]);
    expect(s.lines).toEqual([]);
  });

  it('with the setting off nothing is asked; turned on, the next check runs', async () => {
    let enabled = false;
    const s = await setup();
    // Re-create the policy with a switchable setting over the same rig and feed.
    s.policy.dispose();
    const { logger } = recordingLogger();
    const policy = new UpdatePolicy({ packaged: true, enabled: () => enabled, driver: () => electronUpdaterDriver(s.rig.updater), clock: systemClock, logger, firstCheckDelayMs: 0 });
    cleanups.push(() => policy.dispose());
    policy.sessionState('idle');
    policy.start();
    await policy.check();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.feed?.requests).toEqual([]);
    enabled = true;
    policy.settingChanged();
    await waitFor('the update to be ready', () => policy.state().state === 'ready');
    expect(s.feed?.requests[0]).toMatch(/^\/latest-linux\.yml/);
  });
});

describe('through the core and the contract', () => {
  it('the window hears every update state and asks for the install; a failed check sends no notice', async () => {
    const s = await setup({ mode: 'server-error' });
    const test = makeTestCorePorts({ apiKey: 'sk-test-updates-0123456789', baseURL: 'https://127.0.0.1:9/v1', caPath: '/nonexistent/ca.pem' });
    const pair = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    const core = await startCore(pair.main, { ...test.ports, updates: s.policy }, { isTrustedSender: () => true });
    cleanups.push(() => core.dispose());
    const bridge = createBridge(pair.renderer);
    const seen: UpdateState[] = [];
    const notices: Notice[] = [];
    bridge.on.update((state) => seen.push(state));
    bridge.on.notice((notice) => notices.push(notice));
    s.policy.sessionState('idle');
    await s.policy.check();
    await waitFor('the error state in the window', () => seen.some((st) => st.state === 'error'));
    expect(notices).toEqual([]);
    expect((await bridge.request.installUpdate({})).outcome).toBe('nothing-to-install');

    if (!s.feed) throw new Error('no feed');
    s.feed.mode = 'ok';
    // The failed check scheduled the next one a day later; a retry now is what that timer runs.
    await s.policy.check();
    await waitFor('ready in the window', () => seen.some((st) => st.state === 'ready'));
    expect(seen.at(-1)).toEqual({ state: 'ready', version: '1.2.0', installAfterTurn: false });
    s.policy.sessionState('speaking');
    expect((await bridge.request.installUpdate({})).outcome).toBe('after-turn');
    await waitFor('installAfterTurn in the window', () => {
      const last = seen.at(-1);
      return last?.state === 'ready' && last.installAfterTurn;
    });
    expect(notices).toEqual([]);
  });
});
