/**
 * Turns a key press into an Electron accelerator ("Control+Alt+Space"). Modifiers and key names
 * follow Electron's accelerator docs (docs/api/accelerator.md: Control, Alt, Shift, Super/Meta,
 * Space, F1…F24, A–Z, 0–9, Plus, arrows). Returns null while only modifiers are held.
 */
const NAMED: Record<string, string> = {
  ' ': 'Space',
  Spacebar: 'Space',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  '+': 'Plus',
  Enter: 'Return',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Tab: 'Tab',
};

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

export function acceleratorFor(event: KeyLike): string | null {
  if (['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'OS'].includes(event.key)) return null;
  let key: string | null = NAMED[event.key] ?? null;
  if (!key && /^F\d{1,2}$/.test(event.key)) key = event.key;
  // The physical key, so Alt+Space is "Space" whatever character the layout produces.
  if (!key && /^Key[A-Z]$/.test(event.code)) key = event.code.slice(3);
  if (!key && /^Digit\d$/.test(event.code)) key = event.code.slice(5);
  if (!key && event.code === 'Space') key = 'Space';
  if (!key) return null;
  const parts: string[] = [];
  if (event.ctrlKey) parts.push('Control');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey) parts.push('Shift');
  if (event.metaKey) parts.push('Super');
  // A bare letter as a global hotkey would swallow typing everywhere: at least one modifier,
  // except for the function keys.
  if (parts.length === 0 && !/^F\d{1,2}$/.test(key)) return null;
  return [...parts, key].join('+');
}
