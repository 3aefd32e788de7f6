/**
 * KeyValueStorePort on electron-store (the app's implementation).
 *
 * electron-store (conf) throws at construction when the file is not JSON, and with
 * `clearInvalidConfig` it would wipe the file before anyone could copy it; and it reads a JSON list as
 * an empty store. So a read parses the file itself first and lets any error reach SettingsService
 * (which copies the file before anything else); only a write, which SettingsService makes after the
 * copy, opens the store with `clearInvalidConfig`.
 */
import { constants, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import ElectronStore from 'electron-store';
import type { KeyValueStorePort } from '../settings/settings-service.ts';

export interface ElectronStoreSettingsPortOptions {
  /** Absolute folder (app.getPath('userData') in the app). */
  cwd: string;
  /** File name without .json. */
  name?: string;
}

export function createElectronStoreSettingsPort(options: ElectronStoreSettingsPortOptions): KeyValueStorePort {
  if (!isAbsolute(options.cwd)) throw new Error('createElectronStoreSettingsPort: cwd must be an absolute path');
  const name = options.name ?? 'settings';
  const path = join(options.cwd, `${name}.json`);
  let store: ElectronStore<Record<string, unknown>> | null = null;

  const open = (clearInvalidConfig: boolean): ElectronStore<Record<string, unknown>> => {
    store = new ElectronStore<Record<string, unknown>>({
      cwd: options.cwd,
      name,
      clearInvalidConfig,
      accessPropertiesByDotNotation: false,
    });
    return store;
  };

  return {
    path,
    read() {
      if (!existsSync(path)) return undefined;
      // conf reads a JSON list or string as an empty store; hand such a file over as it is, so it is
      // reported and copied rather than overwritten with defaults.
      const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
      // Re-open every time: a file fixed or damaged by hand since the last read is read as it is now.
      return { ...open(false).store };
    },
    write(value) {
      let target = store;
      if (!target) {
        try {
          target = open(false);
        } catch {
          target = open(true);
        }
      }
      target.store = value;
    },
    copyTo(destination) {
      copyFileSync(path, destination, constants.COPYFILE_EXCL);
    },
    exists(candidate) {
      return existsSync(candidate);
    },
  };
}
