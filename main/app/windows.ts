/**
 * The one app window: transcript, settings and onboarding views. It is created hidden at startup and
 * kept alive (hidden) because the renderer owns the microphone and speaker; `backgroundThrottling:
 * false` keeps audio running while it is hidden.
 */
import { join } from 'node:path';
import { BrowserWindow, screen } from 'electron';
import { APP_ORIGIN } from './origin-policy.ts';

export interface WindowOptions {
  preloadPath: string;
  devServerUrl: string | undefined;
  iconPath: string;
  onReady: (window: BrowserWindow) => void;
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
      preload: options.preloadPath,
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
    },
  });
  window.webContents.on('did-finish-load', () => options.onReady(window));
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

export function preloadPath(outDir: string): string {
  return join(outDir, '../preload/index.cjs');
}
