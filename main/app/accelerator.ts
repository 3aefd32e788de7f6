/**
 * Electron accelerators ("Control+Alt+Space") parsed into parts, and the key-up tracker that turns
 * a global-shortcut press plus native key-up events into hold-to-talk. Pure: the uiohook key table
 * is passed in, so this is unit-tested without a display.
 */
export type Modifier = 'ctrl' | 'alt' | 'shift' | 'meta';

export interface ParsedAccelerator {
  modifiers: Modifier[];
  key: string;
}

const MODIFIER_ALIASES: Record<string, Modifier> = {
  control: 'ctrl',
  ctrl: 'ctrl',
  commandorcontrol: 'ctrl',
  cmdorctrl: 'ctrl',
  alt: 'alt',
  option: 'alt',
  altgr: 'alt',
  shift: 'shift',
  super: 'meta',
  meta: 'meta',
  command: 'meta',
  cmd: 'meta',
};

const NAMED_KEYS = new Set([
  'Space', 'Tab', 'Backspace', 'Enter', 'Return', 'Escape', 'Esc', 'Up', 'Down', 'Left', 'Right', 'Home', 'End',
  'PageUp', 'PageDown', 'Insert', 'Delete', 'CapsLock', 'NumLock', 'ScrollLock', 'PrintScreen', 'Plus',
]);

export function parseAccelerator(accelerator: string, platform: NodeJS.Platform = process.platform): ParsedAccelerator | { error: string } {
  const parts = accelerator.split('+').map((p) => p.trim());
  if (parts.some((p) => p === '')) return { error: `"${accelerator}" has an empty part` };
  const modifiers: Modifier[] = [];
  let key: string | null = null;
  for (const part of parts) {
    const lower = part.toLowerCase();
    let modifier = MODIFIER_ALIASES[lower];
    if ((lower === 'commandorcontrol' || lower === 'cmdorctrl') && platform === 'darwin') modifier = 'meta';
    if (modifier) {
      if (!modifiers.includes(modifier)) modifiers.push(modifier);
      continue;
    }
    if (key !== null) return { error: `"${accelerator}" names two keys (${key} and ${part})` };
    if (/^[A-Za-z0-9]$/.test(part)) key = part.toUpperCase();
    else if (/^F([1-9]|1[0-9]|2[0-4])$/.test(part)) key = part;
    else if (NAMED_KEYS.has(part)) key = part;
    else return { error: `"${part}" is not a key Earshot can use in a hotkey` };
  }
  if (key === null) return { error: `"${accelerator}" has modifiers but no key` };
  if (modifiers.length === 0 && !/^F([1-9]|1[0-9]|2[0-4])$/.test(key)) {
    return { error: `"${accelerator}" needs a modifier (Control, Alt, Shift or Super), or use a function key` };
  }
  return { modifiers, key };
}

/** uiohook key codes for the keys of an accelerator; the table is uiohook-napi's UiohookKey. */
export function keyCodesFor(parsed: ParsedAccelerator, table: Readonly<Record<string, number>>): Set<number> {
  const codes = new Set<number>();
  const add = (...names: string[]): void => {
    for (const name of names) {
      const code = table[name];
      if (typeof code === 'number') codes.add(code);
    }
  };
  for (const modifier of parsed.modifiers) {
    if (modifier === 'ctrl') add('Ctrl', 'CtrlRight');
    if (modifier === 'alt') add('Alt', 'AltRight');
    if (modifier === 'shift') add('Shift', 'ShiftRight');
    if (modifier === 'meta') add('Meta', 'MetaRight');
  }
  const aliases: Record<string, string> = { Return: 'Enter', Esc: 'Escape', Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight', Plus: 'Equal' };
  add(aliases[parsed.key] ?? parsed.key);
  return codes;
}

/**
 * Hold-to-talk from a press (the global shortcut) and key-up events (uiohook): the first release of
 * any key of the combination ends the hold. Repeated presses while held (key auto-repeat) are ignored,
 * in toggle mode as in hold mode, so the core gets exactly one down per physical press.
 *
 * There is deliberately no time-based "the release was missed" recovery: uiohook's XRecord delivers a
 * hold's auto-repeat key-downs in one batch just before the key-up (seen under Xvfb), and a repeat
 * delay can be set longer than any window we would pick, so such a rule splits real holds. If a
 * release is ever missed, the next release of any key of the combination ends the hold.
 */
export class HoldTracker {
  private held = false;
  private readonly codes: Set<number>;
  private readonly onDown: () => void;
  private readonly onUp: () => void;

  constructor(codes: Set<number>, onDown: () => void, onUp: () => void) {
    this.codes = codes;
    this.onDown = onDown;
    this.onUp = onUp;
  }

  press(): void {
    if (this.held) return;
    this.held = true;
    this.onDown();
  }

  keyUp(keycode: number): void {
    if (!this.held || !this.codes.has(keycode)) return;
    this.held = false;
    this.onUp();
  }

  get isHeld(): boolean {
    return this.held;
  }
}
