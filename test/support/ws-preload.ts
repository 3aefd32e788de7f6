/** Entry of the e2e init script: what preload/index.ts does in Electron, over the test WebSocket. */
import { createBridge } from '../../preload/bridge.ts';
import { WsRendererTransport } from './ws-renderer-transport.ts';

declare global {
  interface Window {
    __EARSHOT_TEST_TRANSPORT_URL__?: string;
  }
}

const url = window.__EARSHOT_TEST_TRANSPORT_URL__;
if (url) {
  Object.defineProperty(window, 'earshot', { value: Object.freeze(createBridge(new WsRendererTransport(url))), writable: false });
}
