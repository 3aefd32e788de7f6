import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { EarshotStore, type ViewState } from './store.ts';
import type { EarshotBridge } from '../../../preload/bridge.ts';

let shared: EarshotStore | null = null;

function storeFor(bridge: EarshotBridge): EarshotStore {
  if (!shared || shared.bridge !== bridge) shared = new EarshotStore(bridge);
  return shared;
}

export interface EarshotHandle extends ViewState {
  store: EarshotStore;
  bridge: EarshotBridge;
  hotkey(phase: 'down' | 'up'): void;
}

export function useEarshot(): EarshotHandle {
  const bridge = window.earshot;
  const store = useMemo(() => storeFor(bridge), [bridge]);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return {
    ...state,
    store,
    bridge,
    hotkey(phase) {
      bridge.request.hotkey({ phase }).catch((error: unknown) => store.pushNotice({ level: 'error', message: String(error) }));
    },
  };
}

/**
 * The shared store's state for a component below App (the text box), without starting the store a
 * second time: App's useEarshot() owns its subscriptions to the bridge.
 */
export function useEarshotState(): ViewState & { store: EarshotStore } {
  const store = storeFor(window.earshot);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { ...state, store };
}
