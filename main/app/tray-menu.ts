/**
 * What the tray shows for a given status: tooltip, icon name and menu items, as plain data so it
 * is unit-tested. tray.ts turns it into Electron's Tray and Menu.
 */
import type { Status, TurnMode } from '../../preload/contract.ts';

export type TrayAction =
  | { type: 'talk' }
  | { type: 'stop' }
  | { type: 'turn-mode'; mode: TurnMode }
  | { type: 'mute'; muted: boolean }
  | { type: 'new-conversation' }
  | { type: 'show'; view: 'transcript' | 'settings' | 'history' }
  | { type: 'start-at-login'; enabled: boolean }
  | { type: 'quit' };

export type TrayItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled?: boolean }
  | { kind: 'check'; label: string; checked: boolean; action: TrayAction; enabled?: boolean }
  | { kind: 'radio'; label: string; checked: boolean; action: TrayAction; enabled?: boolean }
  | { kind: 'submenu'; label: string; items: TrayItem[] }
  | { kind: 'separator' };

const STATE_TEXT: Record<Status['state'], string> = {
  idle: 'ready',
  connecting: 'connecting',
  listening: 'listening',
  thinking: 'thinking',
  speaking: 'speaking',
  reconnecting: 'reconnecting',
  error: 'needs attention',
};

export function trayTooltip(status: Status, hotkey: string): string {
  const base = `Earshot — ${STATE_TEXT[status.state]}`;
  if (status.message) return `${base}: ${status.message}`;
  return status.state === 'idle' ? `${base} (${hotkey} to talk)` : base;
}

export function trayIconName(status: Status): string {
  return status.state;
}

export function trayMenu(status: Status, options: { hotkey: string; startAtLogin: boolean }): TrayItem[] {
  const busy = status.state === 'speaking' || status.state === 'thinking' || status.state === 'listening';
  const modes: { mode: TurnMode; label: string }[] = [
    { mode: 'hold', label: status.holdAvailable ? 'Hold to talk' : 'Hold to talk (needs key-up events)' },
    { mode: 'toggle', label: 'Press to start, press to send' },
    { mode: 'hands-free', label: 'Hands-free conversation' },
  ];
  return [
    busy
      ? { kind: 'action', label: status.state === 'listening' ? 'Send' : 'Stop', action: status.state === 'listening' ? { type: 'talk' } : { type: 'stop' } }
      : { kind: 'action', label: `Talk (${options.hotkey})`, action: { type: 'talk' }, enabled: status.apiKey !== 'not-set' },
    {
      kind: 'submenu',
      label: 'Turn mode',
      items: modes.map(({ mode, label }) => ({
        kind: 'radio' as const,
        label,
        checked: status.turnMode === mode,
        action: { type: 'turn-mode' as const, mode },
        enabled: mode !== 'hold' || status.holdAvailable,
      })),
    },
    { kind: 'check', label: 'Mute microphone', checked: status.micMuted, action: { type: 'mute', muted: !status.micMuted } },
    { kind: 'action', label: 'New conversation', action: { type: 'new-conversation' } },
    { kind: 'separator' },
    { kind: 'action', label: 'Show transcript', action: { type: 'show', view: 'transcript' } },
    { kind: 'action', label: 'History…', action: { type: 'show', view: 'history' } },
    { kind: 'action', label: 'Settings…', action: { type: 'show', view: 'settings' } },
    { kind: 'check', label: 'Start at login', checked: options.startAtLogin, action: { type: 'start-at-login', enabled: !options.startAtLogin } },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit Earshot', action: { type: 'quit' } },
  ];
}
