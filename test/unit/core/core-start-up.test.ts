/**
 * Start-up as the window meets it: the page calls the bridge the moment its preload ran, while the
 * saved key may still be being decrypted (Keychain and libsecret can take seconds); what main says
 * before the page's code subscribed still reaches it; a hotkey change that fails keeps the old one.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from '../../../preload/bridge.ts';
import { eventChannel, type Notice, type ViewName } from '../../../preload/contract.ts';
import type { RendererTransport } from '../../../preload/transport.ts';
import { startCore, type Core } from '../../../main/core/start-core.ts';
import { SecretsService } from '../../../main/settings/secrets-service.ts';
import { makeTestCorePorts, testSecretStorage, type TestCorePorts } from '../../support/core-host.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';

const KEY = 'sk-test-startup-0a1b2c3d4e5f6a7b8c9d';
let core: Core | null = null;
let test: TestCorePorts | null = null;

afterEach(async () => {
  await core?.dispose();
  if (test) rmSync(test.userDataDir, { recursive: true, force: true });
  core = null;
  test = null;
});

/** Ports whose saved key takes `decryptMs` to decrypt, as a keychain prompt would. */
async function portsWithSlowKey(decryptMs: number): Promise<TestCorePorts> {
  const ports = makeTestCorePorts({ baseURL: 'https://127.0.0.1:9/v1', caPath: '/nonexistent' });
  // Save a key the way the app does, then make decrypting it slow.
  const saver = new SecretsService({ storage: testSecretStorage, blob: ports.ports.keyBlob, environmentKey: undefined, source: () => 'settings', notice: () => undefined });
  await saver.load();
  await saver.setKey(KEY);
  ports.ports.secretStorage = {
    ...testSecretStorage,
    async decrypt(data) {
      await new Promise((r) => setTimeout(r, decryptMs));
      return testSecretStorage.decrypt(data);
    },
  };
  return ports;
}

describe('start-up order', () => {
  it('answers a page that asks the moment it loads, while the key is still being decrypted', async () => {
    test = await portsWithSlowKey(800);
    const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    const startedAt = Date.now();
    const starting = startCore(main, test.ports, { isTrustedSender: () => true });
    // The page mounts now, before the core has finished starting.
    const bridge = createBridge(renderer);
    const [status, settings] = await Promise.all([bridge.request.getStatus({}), bridge.request.getSettings({})]);
    core = await starting;
    expect(status.apiKey).toBe('set');
    expect(settings.hotkey).toBe('Control+Alt+Space');
    // It waited for the key rather than answering "not set" (which would send the user to onboarding).
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(750);
  });

  it('tells a page that calls before start-up failed what went wrong, instead of hanging', async () => {
    test = makeTestCorePorts({ baseURL: 'https://127.0.0.1:9/v1', caPath: '/nonexistent' });
    // The user-data folder cannot hold the cost ledger (a file sits where the folder should be).
    const blocked = join(test.userDataDir, 'not-a-folder');
    writeFileSync(blocked, 'x');
    test.ports.userDataDir = blocked;
    const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    const starting = startCore(main, test.ports, { isTrustedSender: () => true }).then(
      () => null,
      (error: unknown) => String(error),
    );
    const bridge = createBridge(renderer);
    const answer = await bridge.request.getStatus({}).then(
      () => 'answered',
      (error: unknown) => String(error),
    );
    const failure = await starting;
    expect(failure).toMatch(/ENOTDIR/);
    expect(answer).toContain('ENOTDIR');
  });

  it('hands what main said before the page subscribed to the page’s first listener, in order', async () => {
    test = makeTestCorePorts({ baseURL: 'https://127.0.0.1:9/v1', caPath: '/nonexistent' });
    test.hotkeyTaken.value = true;
    const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    const starting = startCore(main, test.ports, { isTrustedSender: () => true });
    const bridge = createBridge(renderer);
    core = await starting;
    core.show('onboarding');
    // Only now does the page's own code subscribe (a React app does after its first render).
    await new Promise((r) => setTimeout(r, 20));
    const notices: Notice[] = [];
    const views: ViewName[] = [];
    bridge.on.notice((n) => notices.push(n));
    bridge.on.view((v) => views.push(v));
    await new Promise((r) => setTimeout(r, 0));
    expect(notices.map((n) => n.message)).toContain('Control+Alt+Space is taken by another application.');
    expect(views).toEqual(['onboarding']);
    // Later events go straight through.
    core.show('settings');
    expect(views).toEqual(['onboarding', 'settings']);
  });

  it('keeps the working hotkey, and says so, when a new one cannot be registered', async () => {
    test = makeTestCorePorts({ apiKey: KEY, baseURL: 'https://127.0.0.1:9/v1', caPath: '/nonexistent' });
    const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    core = await startCore(main, test.ports, { isTrustedSender: () => true });
    const bridge = createBridge(renderer);
    const notices: Notice[] = [];
    const shownHotkeys: string[] = [];
    bridge.on.notice((n) => notices.push(n));
    bridge.on.settings((view) => shownHotkeys.push(String(view.hotkey)));
    test.hotkeyTaken.value = true;
    await bridge.request.updateSettings({ patch: { hotkey: 'Alt+F9' } });
    await new Promise((r) => setTimeout(r, 10));
    // The Settings page ends on the key that works.
    expect(shownHotkeys.at(-1)).toBe('Control+Alt+Space');
    expect(notices.map((n) => n.message)).toContain('Alt+F9 is taken by another application.');
    expect(core.settings.get().hotkey).toBe('Control+Alt+Space');
    expect((await bridge.request.getSettings({})).hotkey).toBe('Control+Alt+Space');
    expect(test.desktopCalls.filter((c) => c.startsWith('registerHotkey'))).toEqual(['registerHotkey Control+Alt+Space', 'registerHotkey Alt+F9']);
  });
});

describe('the bridge at start-up', () => {
  it('subscribes every event before the page runs and says it is listening only after that', () => {
    const subscribed: string[] = [];
    let listeningAfter = -1;
    const transport: RendererTransport = {
      invoke: () => Promise.reject(new Error('unused')),
      subscribe(channel) {
        subscribed.push(channel);
        return () => undefined;
      },
      sendChunk: () => undefined,
      onChunk: () => () => undefined,
      listening: () => {
        listeningAfter = subscribed.length;
      },
    };
    createBridge(transport);
    expect(subscribed).toContain(eventChannel('notice'));
    expect(subscribed).toContain(eventChannel('view'));
    expect(listeningAfter).toBe(subscribed.length);
  });
});
