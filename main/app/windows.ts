/**
 * The one app window: transcript, settings and onboarding views. It is created hidden at startup and
 * kept alive (hidden) because the renderer owns the microphone and speaker; `backgroundThrottling:
 * false` keeps audio running while it is hidden.
 */
import { BrowserWindow, screen } from 'electron';
import { APP_ORIGIN } from './origin-policy.ts';

export interface WindowOptions {
  preloadPath: string;
  devServerUrl: string | undefined;
  iconPath: string;
  /** DevTools only in development (a packaged build has no way to open them). */
  devTools: boolean;
}

export function createAppWindow(options: WindowOptions): BrowserWindow {
  const display = screen.getPrimaryDisplay().workArea;
  const width = 420;
  const height = 640;
  const window = new BrowserWindow({
    width,
    height,
    x: display.x + display.width - width - 16,
    y: display.y + 16,
    show: false,
    title: 'Earshot',
    icon: options.iconPath,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK: sandboxed preload; contextBridge exposes only the typed contract
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      backgroundThrottling: false,
      devTools: options.devTools,
      // Middle-click (auxclick) can open links in new windows; nothing in the app uses it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // Closing the window hides it: the app lives in the tray and the renderer keeps the audio devices.
  window.on('close', (event) => {
    if (!quitting) {
      event.preventDefault();
      window.hide();
    }
  });
  void window.loadURL(options.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

let quitting = false;
export function markQuitting(): void {
  quitting = true;
}

export function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
