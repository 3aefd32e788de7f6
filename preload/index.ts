/**
 * The preload script (sandboxed, bundled to one CommonJS file). It exposes exactly the bridge built
 * from the contract: no ipcRenderer, no channel names, no raw events.
 */
import { contextBridge } from 'electron';
import { createBridge } from './bridge.ts';
import { ElectronRendererTransport } from './electron-transport.ts';

contextBridge.exposeInMainWorld('earshot', createBridge(new ElectronRendererTransport()));
