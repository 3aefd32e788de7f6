/**
 * The electron tier: the built app under a real Electron (Playwright's `_electron`), against the fake
 * Realtime server, with Chromium's fake microphone playing a speech WAV. It runs wherever an Electron
 * binary exists or can be downloaded (test/support/electron-binary.ts, the same installer `npm start`
 * uses); where neither is possible it prints `skipped: no Electron binary: <reason>` once.
 *
 * The tray cannot be read back through Electron's API (Tray has no getters for its tooltip or menu,
 * docs/api/tray.md), so those tests read what the app last gave it through a test hook that main
 * publishes only when EARSHOT_TEST_HOOKS=1: `globalThis.__earshotTray = { tooltip, menu, image }`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelTheme, TRAY_ICON_SETS, trayIconFile, trayIconSet } from '../../main/app/tray-theme.ts';
import { obtainElectronBinary } from '../support/electron-binary.ts';
import { startFakeRealtime, type FakeRealtime, type RealtimeEventJson } from '../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { holdShortcutElsewhere, launchEarshot, type LaunchedApp } from './launch.ts';

const electronBinary = await obtainElectronBinary();
if (!electronBinary.binary) console.log(`skipped: no Electron binary: ${electronBinary.reason}`);

const DEFAULT_HOTKEY = 'Control+Alt+Space';

interface MenuItemView {
  label: string;
  type: string;
  checked: boolean;
  enabled: boolean;
  submenu?: MenuItemView[];
}

function appendedMs(fake: FakeRealtime, since = 0): number {
  const bytes = fake
    .events('input_audio_buffer.append')
    .slice(since)
    .reduce((sum, e) => sum + Buffer.from(String(e.audio), 'base64').length, 0);
  return bytes / 2 / 24;
}

function appendedRms(fake: FakeRealtime, since = 0): number {
  const pcm = Buffer.concat(fake.events('input_audio_buffer.append').slice(since).map((e) => Buffer.from(String(e.audio), 'base64')));
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
  return samples.length === 0 ? 0 : Math.sqrt(samples.reduce((s, v) => s + (v / 32768) ** 2, 0) / samples.length);
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!electronBinary.binary)('the real Electron app', () => {
  let fake: FakeRealtime;
  let launched: LaunchedApp;

  beforeAll(async () => {
    await ensureFixtures();
    fake = await startFakeRealtime({ speedup: 4 });
    launched = await launchEarshot({
      binary: electronBinary.binary ?? '',
      baseURL: fake.baseURL,
      caPath: fake.caPath,
      fakeMicWav: fixturePath('speech-60s-44k-stereo.wav'),
    });
  });

  afterAll(async () => {
    await launched?.close();
    await fake?.close();
  });

  describe('window security', () => {
    it('runs the one window isolated, sandboxed and without Node', async () => {
      const prefs = await launched.app.evaluate(({ BrowserWindow }) => {
        const windows = BrowserWindow.getAllWindows();
        // getLastWebPreferences is not in the typings; it is a method of WebContents
        // (shell/browser/api/electron_api_web_contents.cc, "getLastWebPreferences").
        const contents = windows[0]?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> } | undefined;
        const p = contents?.getLastWebPreferences() ?? {};
        return {
          windows: windows.length,
          contextIsolation: p.contextIsolation,
          sandbox: p.sandbox,
          nodeIntegration: p.nodeIntegration,
          nodeIntegrationInWorker: p.nodeIntegrationInWorker,
          nodeIntegrationInSubFrames: p.nodeIntegrationInSubFrames ?? false,
          webSecurity: p.webSecurity,
          allowRunningInsecureContent: p.allowRunningInsecureContent,
          webviewTag: p.webviewTag ?? false,
          preload: typeof p.preload === 'string' ? p.preload.replace(/\\/g, '/').split('/').slice(-2).join('/') : null,
        };
      });
      expect(prefs).toEqual({
        windows: 1,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: 'preload/index.cjs',
      });
    });

    it('loads the renderer from app:// with the bridge and no require or process', async () => {
      const { page } = launched;
      expect(page.url()).toMatch(/^app:\/\/earshot\//);
      const surface = await page.evaluate(() => ({
        keys: Object.keys(window.earshot).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(surface).toEqual({ keys: ['audio', 'on', 'request'], require: 'undefined', process: 'undefined' });
      const status = await page.evaluate(() => window.earshot.request.getStatus({}));
      expect(status.apiKey).toBe('from-environment');
    });

    it('blocks an inline script with the CSP', async () => {
      const ran = await launched.page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inline = 1';
        document.body.append(script);
        return (window as unknown as { __inline?: number }).__inline === 1;
      });
      expect(ran).toBe(false);
    });

    it('opens no new window', async () => {
      const opened = await launched.page.evaluate(() => window.open('https://example.com/') !== null);
      expect(opened).toBe(false);
      await new Promise((r) => setTimeout(r, 500));
      expect(await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    });

    it('stays on app:// when the page tries to navigate to another origin', async () => {
      const { page } = launched;
      const before = page.url();
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect(page.url()).toBe(before);
      expect(await page.evaluate(() => typeof window.earshot)).toBe('object');
    });

    it('lets app:// use the microphone and nothing else: camera checks and requests are denied', async () => {
      // navigator.permissions.query reaches the session's permission check handler with mediaType
      // audio/video (shell/browser/electron_permission_manager.cc, GetPermissionStatus and
      // CheckPermissionWithDetails); getUserMedia reaches the request handler.
      const result = await launched.page.evaluate(async () => {
        const query = async (name: string): Promise<string> => (await navigator.permissions.query({ name: name as PermissionName })).state;
        const get = async (constraints: MediaStreamConstraints): Promise<string> => {
          try {
            const stream = await navigator.mediaDevices.getUserMedia(constraints);
            const kinds = stream.getTracks().map((t) => `${t.kind}:${t.readyState}`);
            for (const t of stream.getTracks()) t.stop();
            return kinds.join(',');
          } catch (error) {
            return (error as DOMException).name;
          }
        };
        return { microphone: await query('microphone'), camera: await query('camera'), audio: await get({ audio: true }), video: await get({ video: true }) };
      });
      expect(result).toEqual({ microphone: 'granted', camera: 'denied', audio: 'audio:live', video: 'NotAllowedError' });
    });
  });

  describe('tray', () => {
    async function readTray(): Promise<{ tooltip: string; items: MenuItemView[]; imageEmpty: boolean } | null> {
      return launched.app.evaluate(() => {
        interface ItemLike {
          label: string;
          type: string;
          checked: boolean;
          enabled: boolean;
          submenu?: { items: ItemLike[] } | null;
        }
        const hook = (globalThis as { __earshotTray?: { tooltip: string; menu: { items: ItemLike[] }; image: { isEmpty(): boolean } } }).__earshotTray;
        if (!hook) return null;
        const view = (items: ItemLike[]): MenuItemView[] =>
          items.map((i) => ({ label: i.label, type: i.type, checked: i.checked, enabled: i.enabled, ...(i.submenu ? { submenu: view(i.submenu.items) } : {}) }));
        return { tooltip: hook.tooltip, items: view(hook.menu.items), imageEmpty: hook.image.isEmpty() };
      });
    }

    it('shows a non-empty icon, a tooltip with the state and hotkey, and the menu', async () => {
      const tray = await readTray();
      expect(tray, 'main must publish globalThis.__earshotTray when EARSHOT_TEST_HOOKS=1').not.toBeNull();
      expect(tray?.imageEmpty).toBe(false);
      // Hold where a key-up source exists (uiohook under X), toggle otherwise.
      expect(tray?.tooltip).toMatch(new RegExp(`^Earshot — ready · (hold|press) ${DEFAULT_HOTKEY.replace(/\+/g, '\\+')} to talk$`));
      const labels = tray?.items.filter((i) => i.type !== 'separator').map((i) => i.label);
      expect(labels).toEqual([
        'Engine: Realtime · gpt-realtime-2.1',
        `Talk (${DEFAULT_HOTKEY})`,
        expect.stringMatching(/^Turn mode: (hold|press) to talk$/),
        'Ask about my screen…',
        'Mute microphone',
        'New conversation',
        'Show transcript',
        'History…',
        'Settings…',
        'Start at login',
        'Quit Earshot',
      ]);
      // The engine line is a submenu that chooses the engine (radio items, the running one checked).
      const engines = tray?.items[0]?.submenu ?? [];
      expect(engines.map((m) => m.type)).toEqual(['radio', 'radio', 'radio']);
      expect(engines.filter((m) => m.checked).map((m) => m.label)).toEqual(['Realtime — speech to speech, fastest']);
      const modes = tray?.items.find((i) => i.label.startsWith('Turn mode'))?.submenu ?? [];
      expect(modes.map((m) => m.type)).toEqual(['radio', 'radio', 'radio']);
      expect(modes.filter((m) => m.checked)).toHaveLength(1);
      expect(tray?.items.find((i) => i.label === 'Mute microphone')).toMatchObject({ type: 'checkbox', checked: false });
    });

    it('loads the icon made for this platform, panel theme and size, and swaps it when the theme changes', async () => {
      const read = (): Promise<{ file: string; width: number; template: boolean; platform: string; dark: boolean; systemDark: boolean; desktop: string }> =>
        launched.app.evaluate(({ nativeTheme }) => {
          const hook = (globalThis as { __earshotTray?: { imageFile: string; image: Electron.NativeImage } }).__earshotTray;
          return {
            file: hook?.imageFile ?? '',
            width: hook?.image.getSize().width ?? 0,
            template: hook?.image.isTemplateImage() ?? false,
            platform: process.platform,
            dark: nativeTheme.shouldUseDarkColors,
            systemDark: nativeTheme.shouldUseDarkColorsForSystemIntegratedUI,
            desktop: process.env.XDG_CURRENT_DESKTOP ?? '',
          };
        });
      const now = await read();
      const theme = panelTheme(now.platform, { shouldUseDarkColors: now.dark, shouldUseDarkColorsForSystemIntegratedUI: now.systemDark });
      const expected = trayIconFile('idle', { platform: now.platform, theme, desktop: now.desktop });
      console.log(`electron tray icon: ${basename(now.file)} (${now.width} px, ${theme})`);
      expect(basename(now.file)).toBe(expected.file);
      expect(now.width).toBe(TRAY_ICON_SETS[trayIconSet(now.platform, now.desktop)].base);
      expect(now.template).toBe(expected.template);
      if (now.platform !== 'linux') return; // Windows follows the taskbar's theme, which themeSource does not set
      await launched.app.evaluate(({ nativeTheme }, dark) => {
        nativeTheme.themeSource = dark ? 'light' : 'dark';
      }, now.dark);
      const other = trayIconFile('idle', { platform: now.platform, theme: theme === 'on-dark' ? 'on-light' : 'on-dark', desktop: now.desktop }).file;
      await until(async () => basename((await read()).file) === other, 5000, `the tray icon to become ${other}`);
      await launched.app.evaluate(({ nativeTheme }) => {
        nativeTheme.themeSource = 'system';
      });
    });

    it('mutes the microphone from the menu: the app and the menu both say so', async () => {
      await launched.app.evaluate(() => {
        const hook = (globalThis as { __earshotTray?: { menu: { items: { label: string; click(): void }[] } } }).__earshotTray;
        hook?.menu.items.find((i) => i.label === 'Mute microphone')?.click();
      });
      await until(async () => (await launched.page.evaluate(() => window.earshot.request.getStatus({}))).micMuted, 5000, 'the microphone to be muted');
      await until(async () => (await readTray())?.items.find((i) => i.label === 'Mute microphone')?.checked === true, 5000, 'the tray to show it muted');
      await launched.page.evaluate(() => window.earshot.request.setMicMuted({ muted: false }));
      await until(async () => (await readTray())?.items.find((i) => i.label === 'Mute microphone')?.checked === false, 5000, 'the tray to show it unmuted');
    });
  });

  describe('notifications', () => {
    it('a hidden-window approval shows a notification whose answer goes through and the tool runs', async () => {
      const { page, app } = launched;
      const platform = await app.evaluate(() => process.platform);
      if (platform === 'darwin') {
        // docs/api/notification.md: unsigned macOS builds get 'failed' instead of a notification.
        console.log('skipped: approval notification on macOS: an unsigned Electron binary cannot show notifications');
        return;
      }
      const folder = mkdtempSync(join(tmpdir(), 'earshot-electron-notify-'));
      const target = join(folder, 'todo.txt');
      try {
        await page.evaluate((dir) => window.earshot.request.updateSettings({ patch: { allowedFolders: [dir] } }), folder);
        await page.evaluate(() => {
          const w = window as unknown as { approvals: { id: string }[] };
          w.approvals = [];
          window.earshot.on.approval((a) => w.approvals.push(a));
        });
        fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'call mum\n' }, callId: 'call_electron_notify' });
        await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.hide());
        const before = fake.events('input_audio_buffer.append').length;
        await page.evaluate(() => window.earshot.request.hotkey({ phase: 'down' }));
        await until(() => appendedMs(fake, before) >= 800, 15_000, 'microphone audio');
        const { turnMode } = await page.evaluate(() => window.earshot.request.getStatus({}));
        await page.evaluate((phase) => window.earshot.request.hotkey({ phase }), turnMode === 'hold' ? ('up' as const) : ('down' as const));
        type Shown = { title: string; body: string; actions: { type: string; text: string }[] };
        const latest = (): Promise<Shown | null> =>
          app.evaluate(() => {
            const n = (globalThis as { __earshotNotifications?: Electron.Notification[] }).__earshotNotifications?.at(-1);
            return n ? { title: n.title, body: n.body, actions: n.actions.map((a) => ({ type: a.type, text: a.text ?? '' })) } : null;
          });
        await until(async () => (await latest())?.title === 'Earshot asks: Write todo.txt?', 20_000, 'the approval notification');
        const shown = await latest();
        if (platform === 'win32') {
          expect(shown?.actions).toEqual([
            { type: 'button', text: 'Write todo.txt' },
            { type: 'button', text: "Don't write" },
          ]);
          // What Electron emits when the toast's first button is pressed (electron_api_notification.cc).
          await app.evaluate(() => {
            const n = (globalThis as { __earshotNotifications?: Electron.Notification[] }).__earshotNotifications?.at(-1);
            n?.emit('action', { actionIndex: 0, selectionIndex: -1 }, 0, -1);
          });
        } else {
          expect(shown?.actions).toEqual([]);
          // Linux: what Electron emits on a click (libnotify's default action); the window opens on it.
          await app.evaluate(() => {
            const n = (globalThis as { __earshotNotifications?: Electron.Notification[] }).__earshotNotifications?.at(-1);
            n?.emit('click', {});
          });
          await until(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible() ?? false), 5000, 'the window to show');
          const id = await page.evaluate(() => (window as unknown as { approvals: { id: string }[] }).approvals.at(-1)?.id ?? '');
          expect((await page.evaluate((approval) => window.earshot.request.answerApproval({ id: approval, decision: 'allow-once' }), id)).accepted).toBe(true);
        }
        await until(() => existsSync(target), 20_000, 'the approved write');
        expect(readFileSync(target, 'utf8')).toBe('call mum\n');
        await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'idle', 30_000, 'the turn to finish');
      } finally {
        await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.show());
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('hotkey', () => {
    it(`registers ${DEFAULT_HOTKEY} with the system`, async () => {
      expect(await launched.app.evaluate(({ globalShortcut }, accelerator) => globalShortcut.isRegistered(accelerator), DEFAULT_HOTKEY)).toBe(true);
    });

    it('says so when a new hotkey is taken by another application, and keeps the old one working', async () => {
      const taken = 'Control+Alt+F9';
      const holder = await holdShortcutElsewhere(electronBinary.binary ?? '', taken);
      try {
        expect(holder.registered, 'the other application could not take the shortcut itself').toBe(true);
        await launched.page.evaluate((hotkey) => window.earshot.request.updateSettings({ patch: { hotkey } }), taken);
        await launched.page.getByTestId('notice').filter({ hasText: taken }).first().waitFor({ timeout: 10_000 });
        const notice = await launched.page.getByTestId('notice').filter({ hasText: taken }).first().textContent();
        expect(notice).toMatch(/taken/);
        const registered = await launched.app.evaluate(({ globalShortcut }, accelerators) => accelerators.map((a) => globalShortcut.isRegistered(a)), [DEFAULT_HOTKEY, taken]);
        expect(registered).toEqual([true, false]);
        await until(async () => (await launched.page.evaluate(() => window.earshot.request.getSettings({}))).hotkey === DEFAULT_HOTKEY, 5000, 'the setting to keep the working hotkey');
      } finally {
        holder.stop();
      }
    });
  });

  describe('a whole turn through the real renderer', () => {
    it('carries ≥ 1.5 s of speech from the fake microphone to the server and plays the reply', async () => {
      const { page } = launched;
      const status = await page.evaluate(() => window.earshot.request.getStatus({}));
      const before = fake.events('input_audio_buffer.append').length;
      const talk = page.getByTestId('talk');
      const box = await talk.boundingBox();
      if (!box) throw new Error('the Talk button is not on screen');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await until(() => appendedMs(fake, before) >= 1500, 20_000, '1.5 s of microphone audio at the server');
      if (status.turnMode === 'hold') await page.mouse.up();
      else {
        await page.mouse.up();
        await page.mouse.down();
        await page.mouse.up();
      }
      await fake.waitForNext('input_audio_buffer.commit', undefined, 10_000);
      const rms = appendedRms(fake, before);
      console.log(`electron turn: ${appendedMs(fake, before).toFixed(0)} ms of microphone audio, RMS ${rms.toFixed(3)}`);
      expect(appendedMs(fake, before)).toBeGreaterThanOrEqual(1500);
      expect(rms).toBeGreaterThan(0.01);
      await fake.waitForNext('response.done', undefined, 20_000);
      await page.getByText(fake.replyTranscript.slice(0, 30)).waitFor({ timeout: 15_000 });
      await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'idle', 30_000, 'the turn to finish');
      // "first audio → first sample" is measured from the player's report of its first rendered sample.
      const metrics = (await page.getByTestId('metrics').textContent()) ?? '';
      console.log(`electron metrics bar: ${metrics}`);
      expect(metrics).toMatch(/^Last turn: (\d+ ms|–) · (\d+ ms|–) · \d+ ms · \d+ ms/);
    });

    it('plays the answer for real: a barge-in after ~1.2 s tells the server how much was heard', async () => {
      const { page } = launched;
      const longReply = new Int16Array(24_000 * 8).map((_, i) => Math.round(Math.sin((2 * Math.PI * 330 * i) / 24_000) * 8000));
      fake.setReply({ samples: longReply, transcript: 'This is a long answer that you will interrupt before it ends.' });
      const before = fake.events('input_audio_buffer.append').length;
      await page.evaluate(() => window.earshot.request.hotkey({ phase: 'down' }));
      await until(() => appendedMs(fake, before) >= 600, 15_000, 'microphone audio for the second turn');
      const { turnMode } = await page.evaluate(() => window.earshot.request.getStatus({}));
      await page.evaluate((phase) => window.earshot.request.hotkey({ phase }), turnMode === 'hold' ? ('up' as const) : ('down' as const));
      await until(async () => (await page.getByTestId('state').getAttribute('data-state')) === 'speaking', 15_000, 'speaking');
      await new Promise((r) => setTimeout(r, 1200));
      await page.evaluate(() => window.earshot.request.hotkey({ phase: 'down' }));
      const truncate = (await fake.waitForNext('conversation.item.truncate', undefined, 5000)) as RealtimeEventJson & { audio_end_ms: number };
      console.log(`electron barge-in: truncate at ${truncate.audio_end_ms} ms of 8000 ms`);
      expect(truncate.audio_end_ms).toBeGreaterThan(600);
      expect(truncate.audio_end_ms).toBeLessThan(4000);
      if (turnMode === 'hold') await page.evaluate(() => window.earshot.request.hotkey({ phase: 'up' }));
      else await page.evaluate(() => window.earshot.request.hotkey({ phase: 'down' }));
    });
  });
});
