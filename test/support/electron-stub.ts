/**
 * Lets the real electron-store run under Node: the `electron` package's index throws without its
 * binary, and electron-store imports it at load. `vi.mock('electron')` does not reach into
 * node_modules (vitest leaves dependencies to Node's own loader), so this swaps the module in Node's
 * loader instead (module.registerHooks, synchronous, this thread only) for the few members
 * electron-store touches: app.getPath('userData'), app.getVersion(), ipcMain.on, shell.openPath.
 * Call it before importing electron-store.
 */
import { registerHooks } from 'node:module';

const STUB_URL = 'earshot-test-stub:electron';
let installed = false;

export function installElectronStub(userDataDir: string, appVersion = '0.1.0'): void {
  (globalThis as Record<string, unknown>).__earshotElectronStub = { userDataDir, appVersion };
  if (installed) return;
  installed = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'electron') return { url: STUB_URL, format: 'module', shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (url !== STUB_URL) return nextLoad(url, context);
      const source = `
        const state = () => globalThis.__earshotElectronStub;
        const app = { getPath: (name) => { if (name !== 'userData') throw new Error('stub: only userData'); return state().userDataDir; }, getVersion: () => state().appVersion };
        const ipcMain = { on: () => ipcMain };
        const shell = { openPath: async () => '' };
        export { app, ipcMain, shell };
        export default { app, ipcMain, shell };
      `;
      return { format: 'module', source, shortCircuit: true };
    },
  });
}
