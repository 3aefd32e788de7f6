/**
 * Composition root of the Electron app: security first, then the Electron implementations of the
 * core's ports (settings file, safeStorage, clipboard, dialogs, tray, hotkeys, window), then the
 * core itself over the Electron IPC transport.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app, clipboard, desktopCapturer, dialog, safeStorage, shell, systemPreferences } from 'electron';
import log from 'electron-log/main';
import { startCore, type Core } from './core/start-core.ts';
import { engineModelLabel } from './core/voice-config.ts';
import type { DesktopPort } from './core/ports.ts';
import { ElectronMainTransport } from './app/electron-transport.ts';
import { createElectronStoreSettingsPort } from './app/electron-store-settings-port.ts';
import { createSafeStoragePort } from './app/safe-storage-port.ts';
import { Hotkeys } from './app/hotkeys.ts';
import { createLoginItem } from './app/login-item.ts';
import { isTrustedFrame, trustedOrigins } from './app/origin-policy.ts';
import { applySecurityPolicy, defaultSession, registerAppScheme, serveRenderer } from './app/security.ts';
import { AppTray } from './app/tray.ts';
import { createScreenCapture } from './app/screen-capture.ts';
import { createAppWindow, markQuitting, showWindow } from './app/windows.ts';
import { createFileBlobStore } from './settings/blob-file-store.ts';
import { systemClock } from './base/clock.ts';
import type { Logger } from './base/logger.ts';
import type { BrowserWindow } from 'electron';
import type { SenderInfo } from '../preload/transport.ts';
import { installAppMenu } from './app/app-menu.ts';
import { DesktopNotifications } from './app/desktop-notifications.ts';
import { NotifyCenter } from './app/notify-center.ts';
import { MICROPHONE_REFUSED_MESSAGE } from './app/notify-once.ts';
import { startView } from './app/launch.ts';
// Default import: the package's `autoUpdater` is a getter that creates the updater (and reads
// Electron's app) when first read (electron-updater/out/main.js); a named import would read it at load.
import electronUpdater from 'electron-updater';
import { UpdatePolicy } from './app/updates/update-policy.ts';
import { electronUpdaterDriver } from './app/updates/electron-updater-driver.ts';

const outDir = import.meta.dirname;
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const resourcesDir = app.isPackaged ? process.resourcesPath : join(outDir, '..', '..', 'resources');

/** The installer's app id: Windows groups toasts and taskbar entries by it (and shows no toast
 * without one; docs/api/app.md `setAppUserModelId`, docs/tutorial/notifications.md). */
const APP_USER_MODEL_ID = 'app.earshot.Earshot';

if (process.env.EARSHOT_USER_DATA) app.setPath('userData', process.env.EARSHOT_USER_DATA);
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

/** macOS asks once for the microphone (NSMicrophoneUsageDescription); a refusal is explained. */
async function askForMicrophone(core: Core): Promise<void> {
  if (systemPreferences.getMediaAccessStatus('microphone') === 'granted') return;
  const granted = await systemPreferences.askForMediaAccess('microphone');
  if (!granted) {
    core.notice({
      level: 'error',
      message: MICROPHONE_REFUSED_MESSAGE,
      action: 'Allow it in System Settings → Privacy & Security → Microphone, then press the hotkey again.',
      subject: 'microphone',
    });
  }
}

function electronLogSink(): Logger {
  log.transports.file.resolvePathFn = () => join(app.getPath('userData'), 'logs', 'earshot.log');
  log.transports.console.level = app.isPackaged ? false : 'info';
  const line = (message: string, fields?: Record<string, unknown>): string => (fields ? `${message} ${JSON.stringify(fields)}` : message);
  return {
    debug: (m, f) => log.debug(line(m, f)),
    info: (m, f) => log.info(line(m, f)),
    warn: (m, f) => log.warn(line(m, f)),
    error: (m, f) => log.error(line(m, f)),
  };
}

async function main(): Promise<void> {
  await app.whenReady();
  installAppMenu({ packaged: app.isPackaged, platform: process.platform });
  const origins = trustedOrigins(app.isPackaged ? undefined : devServerUrl);
  const isTrustedSender = (sender: SenderInfo): boolean => isTrustedFrame(sender, origins);
  const session = defaultSession();
  serveRenderer(session, join(outDir, '..', 'renderer'));
  applySecurityPolicy(session, origins);
  if (process.platform === 'darwin') app.dock?.hide();

  let core: Core | null = null;
  let window: BrowserWindow | null = null;
  let tray: AppTray | null = null;
  let startAtLogin = false;
  const logSink = electronLogSink();
  const loginItem = createLoginItem({
    platform: process.platform,
    app,
    execPath: process.execPath,
    appPath: app.isPackaged ? null : app.getAppPath(),
    env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, APPIMAGE: process.env.APPIMAGE },
    homeDir: homedir(),
  });
  const notifications = new DesktopNotifications(process.platform);
  const notifyCenter = new NotifyCenter({
    port: notifications,
    platform: process.platform,
    isWindowVisible: () => window?.isVisible() ?? false,
    show: (view) => core?.show(view),
    log: (message, fields) => log.warn(fields ? `${message} ${JSON.stringify(fields)}` : message),
  });
  // Updates: never in development, never with the setting off, installed only on the user's click
  // and never during a turn (main/app/updates/update-policy.ts). The feed is electron-builder's
  // `publish` entry, written into the package as app-update.yml.
  const updates = new UpdatePolicy({
    packaged: app.isPackaged,
    enabled: () => core?.settings.get().autoUpdate ?? false,
    driver: () => electronUpdaterDriver(electronUpdater.autoUpdater, { beforeInstall: () => app.releaseSingleInstanceLock() }),
    clock: systemClock,
    logger: logSink,
  });
  const transport = new ElectronMainTransport(isTrustedSender);
  // Shift + the talk hotkey asks about the screen, like the tray's item: the controller binds it with
  // the talk hotkey, through the shortcut portal or as its own globalShortcut (hotkey-controller.ts).
  const hotkeys = new Hotkeys(
    { onDown: () => core?.hotkeyDown(), onUp: () => core?.hotkeyUp(), onSourceChanged: () => core?.desktopChanged(), onScreen: () => core?.askAboutScreen() },
    // Info lines too, with their fields: the keys the portal bound (nothing in the window shows the
    // screen shortcut's) and why a shortcut is missing are read from the log.
    { debug: () => undefined, info: (m, f) => logSink.info(m, f), warn: (m, f) => logSink.warn(m, f), error: (m, f) => logSink.error(m, f) },
  );

  const desktop: DesktopPort = {
    showWindow: () => window && showWindow(window),
    hideWindow: () => window?.hide(),
    isWindowVisible: () => window?.isVisible() ?? false,
    async pickFolder() {
      const result = await dialog.showOpenDialog({ title: 'Allow Earshot to see a folder', properties: ['openDirectory', 'createDirectory'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async saveFile(defaultName, content) {
      const result = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), defaultName), filters: [{ name: 'Markdown', extensions: ['md'] }] });
      if (result.canceled || !result.filePath) return null;
      await writeFile(result.filePath, content, 'utf8');
      return result.filePath;
    },
    registerHotkey: (accelerator) => hotkeys.register(accelerator),
    holdUnavailableReason: () => hotkeys.holdUnavailableReason,
    keyUpSource: () => hotkeys.keyUpSource,
    screenShortcut: () => hotkeys.screenShortcut?.keys ?? null,
    async setStartAtLogin(enabled) {
      await loginItem.set(enabled);
      startAtLogin = enabled;
    },
    notifyApproval: (request, answer) => notifyCenter.notifyApproval(request, answer),
    approvalSettled: (id) => notifyCenter.approvalSettled(id),
    noticed: (notice) => notifyCenter.noticed(notice),
    statusChanged(status, hotkey) {
      notifyCenter.statusChanged(status);
      updates.sessionState(status.state);
      tray?.update(status, { hotkey, startAtLogin, update: updates.state() });
    },
  };

  // The core registers every IPC handler before its first await, so they exist before the window
  // starts loading: the page calls the bridge the moment it mounts, while the key may still be
  // being decrypted (Keychain and libsecret can take seconds, or prompt).
  const starting = startCore(
    transport,
    {
      settingsStore: createElectronStoreSettingsPort({ cwd: app.getPath('userData'), name: 'settings' }),
      secretStorage: createSafeStoragePort(safeStorage),
      keyBlob: createFileBlobStore(join(app.getPath('userData'), 'api-key.bin')),
      environment: {
        ...(process.env.OPENAI_API_KEY ? { apiKey: process.env.OPENAI_API_KEY } : {}),
        ...(process.env.OPENAI_BASE_URL ? { baseURL: process.env.OPENAI_BASE_URL } : {}),
      },
      userDataDir: app.getPath('userData'),
      clipboard: {
        readText: async () => clipboard.readText(),
        writeText: async (text) => clipboard.writeText(text),
      },
      logSink,
      clock: systemClock,
      fetch: (input, init) => fetch(input, init),
      desktop,
      readTextFile: (path) => readFile(path, 'utf8'),
      updates,
      screen: {
        capture: createScreenCapture({ desktopCapturer, systemPreferences, shell, platform: process.platform }),
        // The visible indicator: the tray says "looking at …" while pixels are taken; the core adds the notice.
        indicator: { begin: (name) => tray?.setCapturing(name), end: () => tray?.setCapturing(null) },
      },
    },
    {
      isTrustedSender,
      // Hold mode exists only if the key-up hook starts; the session is configured after it tried.
      desktopReady: Promise.all([hotkeys.enableKeyUp(), loginItem.get().then((on) => (startAtLogin = on)).catch(() => undefined)]),
    },
  );

  window = createAppWindow({
    preloadPath: join(outDir, '..', 'preload', 'index.cjs'),
    devServerUrl: app.isPackaged ? undefined : devServerUrl,
    iconPath: join(resourcesDir, 'icon.png'),
    devTools: !app.isPackaged,
  });
  const appWindow = window;

  let started: Core;
  try {
    started = await starting;
  } catch (error) {
    log.error(`Earshot could not start: ${error instanceof Error ? error.message : String(error)}`);
    dialog.showErrorBox('Earshot could not start', `${error instanceof Error ? error.message : String(error)}\n\nThe log is in ${join(app.getPath('userData'), 'logs')}.`);
    app.exit(1);
    return;
  }
  core = started;

  tray = new AppTray(
    resourcesDir,
    (action) => {
      switch (action.type) {
        case 'talk': {
          // From the menu there is no key to hold: "Talk" starts the turn and "Send" ends it.
          const status = started.status();
          if (status.state === 'listening' && status.turnMode === 'hold') started.hotkeyUp();
          else started.hotkeyDown();
          break;
        }
        case 'stop':
          started.session.stopSpeaking();
          break;
        case 'turn-mode':
          try {
            started.settings.update({ turnMode: action.mode });
          } catch (error) {
            started.logger.warn('turn mode not changed', { error: String(error) });
          }
          break;
        case 'mute':
          started.session.setMicMuted(action.muted);
          break;
        case 'new-conversation':
          started.session.newConversation();
          break;
        case 'show':
          started.show(action.view);
          break;
        case 'install-update':
          updates.install();
          break;
        case 'start-at-login':
          started.settings.update({ startAtLogin: action.enabled });
          break;
        case 'engine':
          started.settings.update({ engine: action.engine });
          break;
        case 'ask-screen':
          started.askAboutScreen();
          break;
        case 'quit':
          app.quit();
          break;
      }
    },
    (file) => started.logger.error('tray icon missing', { file }),
    () => ({ engine: started.settings.get().engine, model: engineModelLabel(started.settings.get()) }),
    () => hotkeys.holdUnavailableReason,
  );
  tray.update(started.status(), { hotkey: started.settings.get().hotkey, startAtLogin, update: updates.state() });
  updates.subscribe((update) => tray?.update(started.status(), { hotkey: started.settings.get().hotkey, startAtLogin, update }));
  started.settings.onChange((_settings, changed) => {
    if (changed.some((path) => path.split('.')[0] === 'autoUpdate')) updates.settingChanged();
    // The engine line of the menu follows a change made in Settings, the tray or anywhere else.
    if (changed.some((path) => ['engine', 'model', 'cascaded', 'chatAudio'].includes(path.split('.')[0] ?? ''))) {
      tray?.update(started.status(), { hotkey: started.settings.get().hotkey, startAtLogin, update: updates.state() });
    }
  });
  updates.sessionState(started.status().state);
  updates.start();

  app.on('second-instance', () => started.show('transcript'));
  appWindow.on('show', () => started.windowVisibility(true));
  appWindow.on('hide', () => started.windowVisibility(false));
  // Where the window stands now; held for the page until it listens, and sent again on every show/hide.
  started.windowVisibility(appWindow.isVisible());
  if (process.platform === 'darwin') void askForMicrophone(started);
  const view = startView({
    argv: process.argv,
    openedAtLogin: loginItem.startedAtLogin(process.argv),
    firstLaunch: started.status().apiKey === 'not-set',
  });
  // The view goes to the page as an event held until the page says hello, so it is never lost to a
  // load that finished before we got here.
  if (view) started.show(view);

  app.on('before-quit', () => markQuitting());
  app.on('will-quit', (event) => {
    event.preventDefault();
    hotkeys.dispose();
    tray?.destroy();
    notifyCenter.dispose();
    updates.dispose();
    notifications.dispose();
    void started.dispose().finally(() => app.exit(0));
  });
  // A tray app keeps running with its window closed.
  app.on('window-all-closed', () => undefined);
}
