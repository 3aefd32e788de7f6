/**
 * electron-updater's real AppImageUpdater, set up the way a packaged AppImage of Earshot runs it,
 * minus the two pieces that need the Electron binary:
 * - the app adapter (ElectronAppAdapter reads Electron's `app`): this one gives the same answers a
 *   packaged build gives (isPackaged, version, `<resources>/app-update.yml` as the config path);
 * - the HTTP executor (ElectronHttpExecutor uses Electron's `net`): builder-util's NodeHttpExecutor,
 *   the same HttpExecutor base class over Node's http, with ElectronHttpExecutor's `download`.
 * Everything else is electron-updater's own code: app-update.yml, GenericProvider, the channel-file
 * parser, the download with its sha512 check, the cache, and the install (AppImageUpdater.doInstall).
 * `require('electron')` inside it (BaseUpdater emits on `autoUpdater`) is the strict stand-in: the
 * test imports test/support/electron-standin/register.ts first.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor.js';
import { configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { AppImageUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';

/**
 * NodeHttpExecutor plus the `download` electron-updater calls, written as ElectronHttpExecutor writes
 * it (electron-updater/out/electronHttpExecutor.js `download`): same request options, same doDownload.
 */
class UpdaterNodeHttpExecutor extends NodeHttpExecutor {
  async download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return await options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined, redirect: 'manual' };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options, onCancel, callback: (error) => (error == null ? resolve(destination) : reject(error)), responseHandler: null },
        0,
      );
    });
  }
}

export interface AppImageRig {
  updater: AppImageUpdater;
  dir: string;
  /** $APPIMAGE: the running app's file, replaced by the install. */
  appImagePath: string;
  /** What the app adapter was asked to do ("quit", "relaunch"). */
  appCalls: string[];
}

export function appImageUpdaterRig(options: { feedUrl: string; currentVersion: string }): AppImageRig {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-update-'));
  const resources = join(dir, 'resources');
  mkdirSync(resources);
  mkdirSync(join(dir, 'userData'));
  mkdirSync(join(dir, 'cache'));
  mkdirSync(join(dir, 'Applications'));
  // What electron-builder writes into the packaged resources for a generic `publish` entry
  // (app-builder-lib/out/publish/PublishManager.js writeUpdateInfoFiles / createUpdateConfig).
  writeFileSync(join(resources, 'app-update.yml'), `provider: generic\nurl: ${options.feedUrl}\nupdaterCacheDirName: earshot-updater\n`);
  const appImagePath = join(dir, 'Applications', `Earshot-${options.currentVersion}.AppImage`);
  writeFileSync(appImagePath, '#!/bin/sh\necho old version\n', { mode: 0o755 });
  process.env.APPIMAGE = appImagePath;

  const appCalls: string[] = [];
  const adapter: AppAdapter = {
    version: options.currentVersion,
    name: 'Earshot',
    isPackaged: true,
    appUpdateConfigPath: join(resources, 'app-update.yml'),
    userDataPath: join(dir, 'userData'),
    baseCachePath: join(dir, 'cache'),
    whenReady: async () => undefined,
    relaunch: () => void appCalls.push('relaunch'),
    quit: () => void appCalls.push('quit'),
    onQuit: () => void appCalls.push('onQuit'),
  };
  const updater = new AppImageUpdater(null, adapter);
  // AppUpdater's constructor leaves httpExecutor null when given an adapter (AppUpdater.js).
  Object.assign(updater, { httpExecutor: new UpdaterNodeHttpExecutor() });
  return { updater, dir, appImagePath, appCalls };
}
