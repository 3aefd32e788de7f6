/**
 * The global hotkey with Electron's ports plugged in. The behaviour (one down per physical press,
 * hold-to-talk through uiohook where an X server / permission allows it or through the desktop's
 * GlobalShortcuts portal on Wayland, keeping the previous hotkey when a new one fails) lives in
 * hotkey-controller.ts, which never imports Electron and is unit-tested.
 */
import { globalShortcut, systemPreferences } from 'electron';
import { HotkeyController, nodeHotkeyDeps, type HotkeyDeps, type HotkeyHandlers } from './hotkey-controller.ts';
import type { Logger } from '../base/logger.ts';

export type { HotkeyHandlers, KeyUpSourceInfo, RegisterResult } from './hotkey-controller.ts';

export function electronHotkeyDeps(logger?: Logger): HotkeyDeps {
  return {
    ...nodeHotkeyDeps(logger),
    shortcuts: globalShortcut,
    accessibilityTrusted: () => systemPreferences.isTrustedAccessibilityClient(false),
  };
}

export class Hotkeys extends HotkeyController {
  constructor(handlers: HotkeyHandlers, logger: Logger, deps: Partial<HotkeyDeps> = {}) {
    super(handlers, logger, { ...electronHotkeyDeps(logger), ...deps });
  }
}
