/**
 * What the tray shows for a given status: tooltip, icon name and menu items, as plain data so it
 * is unit-tested. tray.ts turns it into Electron's Tray and Menu.
 */
import type { Status, TurnMode, UpdateState } from '../../preload/contract.ts';
import { ENGINE_KINDS } from '../voice/config.ts';
import type { EngineKind } from '../voice/config.ts';

export type TrayAction =
  | { type: 'talk' }
  | { type: 'stop' }
  | { type: 'turn-mode'; mode: TurnMode }
  | { type: 'mute'; muted: boolean }
  | { type: 'new-conversation' }
  | { type: 'show'; view: 'transcript' | 'settings' | 'history' }
  | { type: 'start-at-login'; enabled: boolean }
  | { type: 'install-update' }
  | { type: 'engine'; engine: EngineKind }
  /** "Ask about my screen": the window opens its screen picker. */
  | { type: 'ask-screen' }
  | { type: 'quit' };

export type TrayItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled?: boolean }
  | { kind: 'check'; label: string; checked: boolean; action: TrayAction; enabled?: boolean }
  | { kind: 'radio'; label: string; checked: boolean; action: TrayAction; enabled?: boolean }
  | { kind: 'submenu'; label: string; items: TrayItem[] }
  /** A line that only informs (shown disabled). */
  | { kind: 'info'; label: string }
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

/** What the hotkey does now, in the mode the session runs. */
function hotkeyHint(status: Status, hotkey: string): string {
  switch (status.state) {
    case 'idle':
    case 'error':
      if (status.turnMode === 'hold') return `hold ${hotkey} to talk`;
      return status.turnMode === 'hands-free' ? `press ${hotkey} to start a conversation` : `press ${hotkey} to talk`;
    case 'listening':
      if (status.turnMode === 'hold') return `release ${hotkey} to send`;
      return status.turnMode === 'hands-free' ? `press ${hotkey} to end the conversation` : `press ${hotkey} to send`;
    case 'speaking':
      return `press ${hotkey} to interrupt`;
    default:
      return `hotkey ${hotkey}`;
  }
}

/**
 * Windows keeps at most 127 characters of a tray tooltip (NOTIFYICONDATAW.szTip is 128 WCHARs,
 * Win32 shellapi.h), so the state and the hotkey come first and a long message is cut.
 */
export const TOOLTIP_MAX = 127;

export function trayTooltip(status: Status, hotkey: string, capturing: string | null = null): string {
  // While a capture runs the tooltip says so first: the visible indicator (main/app/screen-capture.ts).
  if (capturing !== null) return limitTooltip(`Earshot — looking at ${capturing}`);
  const text = `Earshot — ${STATE_TEXT[status.state]} · ${hotkeyHint(status, hotkey)}${status.message ? `\n${status.message}` : ''}`;
  return limitTooltip(text);
}

function limitTooltip(text: string): string {
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

/** The engine line of the menu: "Engine: Realtime · gpt-realtime-2.1", a submenu to choose another. */
export interface TrayEngine {
  engine: EngineKind;
  model: string;
}
const ENGINE_NAMES: Record<EngineKind, string> = { realtime: 'Realtime', cascaded: 'Cascaded', 'chat-audio': 'Chat audio' };
const ENGINE_CHOICES: Record<EngineKind, string> = {
  realtime: 'Realtime — speech to speech, fastest',
  cascaded: 'Cascaded — transcribe, text model, speech',
  'chat-audio': 'Chat audio — one request per turn',
};
export function engineLabel(engine: TrayEngine): string {
  return `${ENGINE_NAMES[engine.engine]} · ${engine.model}`;
}

function engineMenu(engine: TrayEngine): TrayItem {
  return {
    kind: 'submenu',
    label: `Engine: ${engineLabel(engine)}`,
    items: ENGINE_KINDS.map((kind) => ({ kind: 'radio' as const, label: ENGINE_CHOICES[kind], checked: engine.engine === kind, action: { type: 'engine' as const, engine: kind } })),
  };
}

const MODE_NAMES: Record<TurnMode, string> = { hold: 'hold to talk', toggle: 'press to talk', 'hands-free': 'hands-free' };

/** "Restart to update" once an update is downloaded (main/app/updates/update-policy.ts); nothing before. */
export function updateItems(update: UpdateState | undefined): TrayItem[] {
  if (update?.state !== 'ready') return [];
  return update.installAfterTurn
    ? [{ kind: 'action', label: `Updating to ${update.version} when this turn ends`, action: { type: 'install-update' }, enabled: false }]
    : [{ kind: 'action', label: `Restart to update to ${update.version}`, action: { type: 'install-update' } }];
}

/** A menu label stays readable: long reasons are cut at a word with an ellipsis. */
const MAX_REASON_CHARS = 80;

function holdLabel(status: Status, reason: string | null | undefined): string {
  if (status.holdAvailable) return 'Hold to talk';
  if (!reason) return 'Hold to talk (needs key-up events)';
  const short = reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, reason.lastIndexOf(' ', MAX_REASON_CHARS)).trimEnd()}…`;
  return `Hold to talk — unavailable: ${short}`;
}

export function trayMenu(
  status: Status,
  options: { hotkey: string; startAtLogin: boolean; update?: UpdateState; engine?: TrayEngine | null; holdUnavailableReason?: string | null },
): TrayItem[] {
  const busy = status.state === 'speaking' || status.state === 'thinking' || status.state === 'listening';
  const modes: { mode: TurnMode; label: string }[] = [
    { mode: 'hold', label: holdLabel(status, options.holdUnavailableReason) },
    { mode: 'toggle', label: 'Press to start, press to send' },
    { mode: 'hands-free', label: 'Hands-free conversation' },
  ];
  return [
    ...(options.engine ? [engineMenu(options.engine)] : []),
    busy
      ? { kind: 'action', label: status.state === 'listening' ? 'Send' : 'Stop', action: status.state === 'listening' ? { type: 'talk' } : { type: 'stop' } }
      : { kind: 'action', label: `Talk (${options.hotkey})`, action: { type: 'talk' }, enabled: status.apiKey !== 'not-set' },
    {
      kind: 'submenu',
      label: `Turn mode: ${MODE_NAMES[status.turnMode]}`,
      items: modes.map(({ mode, label }) => ({
        kind: 'radio' as const,
        label,
        checked: status.turnMode === mode,
        action: { type: 'turn-mode' as const, mode },
        enabled: mode !== 'hold' || status.holdAvailable,
      })),
    },
    { kind: 'action', label: 'Ask about my screen…', action: { type: 'ask-screen' }, enabled: status.apiKey !== 'not-set' },
    { kind: 'check', label: 'Mute microphone', checked: status.micMuted, action: { type: 'mute', muted: !status.micMuted } },
    { kind: 'action', label: 'New conversation', action: { type: 'new-conversation' } },
    { kind: 'separator' },
    { kind: 'action', label: 'Show transcript', action: { type: 'show', view: 'transcript' } },
    { kind: 'action', label: 'History…', action: { type: 'show', view: 'history' } },
    { kind: 'action', label: 'Settings…', action: { type: 'show', view: 'settings' } },
    { kind: 'check', label: 'Start at login', checked: options.startAtLogin, action: { type: 'start-at-login', enabled: !options.startAtLogin } },
    { kind: 'separator' },
    ...updateItems(options.update),
    { kind: 'action', label: 'Quit Earshot', action: { type: 'quit' } },
  ];
}
