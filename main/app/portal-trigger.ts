/**
 * An Electron accelerator ("Control+Alt+Space") in the trigger syntax the GlobalShortcuts portal takes
 * as `preferred_trigger` ("CTRL+ALT+space").
 *
 * The syntax is the freedesktop Shortcuts Specification (specifications.freedesktop.org/shortcuts/latest,
 * version 0.1, cited by data/org.freedesktop.portal.GlobalShortcuts.xml of xdg-desktop-portal): a
 * shortcut is "a set of modifiers (namely CTRL, ALT, SHIFT, NUM and LOGO, as defined as XKB_MOD_NAME_*
 * in xkbcommon-names.h) together with a key identifier, joined by a + sign"; key identifiers "are
 * taken from xkbcommon-keysyms.h without the XKB_KEY_* prefix" (XKB_KEY_space → "space", XKB_KEY_a →
 * "a", XKB_KEY_Page_Up → "Page_Up").
 */
import type { Modifier, ParsedAccelerator } from './accelerator.ts';

const MODIFIER_NAMES: Record<Modifier, string> = { ctrl: 'CTRL', alt: 'ALT', shift: 'SHIFT', meta: 'LOGO' };
const MODIFIER_ORDER: Modifier[] = ['ctrl', 'alt', 'shift', 'meta'];

/** Electron key names (main/app/accelerator.ts NAMED_KEYS) → xkbcommon keysym names. */
const KEYSYMS: Record<string, string> = {
  Space: 'space',
  Tab: 'Tab',
  Backspace: 'BackSpace',
  Enter: 'Return',
  Return: 'Return',
  Escape: 'Escape',
  Esc: 'Escape',
  Up: 'Up',
  Down: 'Down',
  Left: 'Left',
  Right: 'Right',
  Home: 'Home',
  End: 'End',
  PageUp: 'Page_Up',
  PageDown: 'Page_Down',
  Insert: 'Insert',
  Delete: 'Delete',
  CapsLock: 'Caps_Lock',
  NumLock: 'Num_Lock',
  ScrollLock: 'Scroll_Lock',
  PrintScreen: 'Print',
  Plus: 'plus',
};

export function portalTrigger(parsed: ParsedAccelerator): string {
  const modifiers = MODIFIER_ORDER.filter((m) => parsed.modifiers.includes(m)).map((m) => MODIFIER_NAMES[m]);
  const key = KEYSYMS[parsed.key] ?? (/^[A-Z]$/.test(parsed.key) ? parsed.key.toLowerCase() : parsed.key);
  return [...modifiers, key].join('+');
}
