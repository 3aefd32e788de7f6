import type { EarshotBridge } from '../../preload/bridge.ts';

declare global {
  interface Window {
    earshot: EarshotBridge;
  }
}
