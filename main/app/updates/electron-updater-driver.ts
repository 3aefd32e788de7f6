/**
 * The UpdaterDriver over electron-updater (node_modules/electron-updater/out/AppUpdater.js,
 * BaseUpdater.js). Imports only its types: main/index.ts hands in the real `autoUpdater` (created
 * lazily, for the platform and Linux package type: main.js doLoadAutoUpdater), tests a real
 * AppImageUpdater pointed at a loopback feed.
 */
import type { AppUpdater, ProgressInfo } from 'electron-updater';
import { oneLine, type FoundUpdate, type UpdaterDriver } from './update-policy.ts';

export interface ElectronUpdaterDriverOptions {
  /**
   * Runs right before quitAndInstall. The app gives up its single-instance lock here: the AppImage
   * updater starts the new version before this one has quit (AppImageUpdater.js doInstall →
   * spawnLog), and a new instance that finds the lock taken quits at once (main/index.ts,
   * docs/api/app.md `app.requestSingleInstanceLock` / `app.releaseSingleInstanceLock`).
   */
  beforeInstall?: () => void;
}

export function electronUpdaterDriver(updater: AppUpdater, options: ElectronUpdaterDriverOptions = {}): UpdaterDriver {
  // Background download of what a check finds (AppUpdater.doCheckForUpdates starts it).
  updater.autoDownload = true;
  // Installed only on the user's click: never at an ordinary quit (BaseUpdater.addQuitHandler).
  updater.autoInstallOnAppQuit = false;
  // Only full, signed installers are published; never fetch a web installer's unsigned payload.
  updater.disableWebInstaller = true;
  updater.allowDowngrade = false;
  // electron-updater logs every step and each failure twice (its own "error" listener, then the
  // rejection). The policy writes the lines that matter, a failure as exactly one.
  updater.logger = null;

  let onProgress: ((percent: number) => void) | null = null;
  // Must be listening before the download starts: AppUpdater.executeDownload only reports progress
  // when a "download-progress" listener exists at that moment.
  updater.on('download-progress', (info: ProgressInfo) => onProgress?.(info.percent));

  return {
    async check(progress): Promise<FoundUpdate | null> {
      onProgress = progress;
      const result = await updater.checkForUpdates();
      // null: the updater is inactive here (not packaged, or an AppImage without $APPIMAGE).
      if (!result || !result.isUpdateAvailable) return null;
      const download = result.downloadPromise ?? updater.downloadUpdate();
      return {
        version: result.updateInfo.version,
        downloaded: download.then(() => {
          onProgress = null;
        }),
      };
    },
    quitAndInstall() {
      let failure: string | null = null;
      const onError = (error: Error): void => {
        failure ??= oneLine(error);
      };
      // BaseUpdater.install reports its failures as "error" events and returns false, synchronously.
      updater.on('error', onError);
      try {
        options.beforeInstall?.();
        // Silent (no installer UI on Windows) and started again afterwards: the user asked to restart.
        updater.quitAndInstall(true, true);
      } catch (error) {
        failure ??= oneLine(error);
      } finally {
        updater.off('error', onError);
      }
      return failure === null ? { ok: true } : { ok: false, error: failure };
    },
  };
}
