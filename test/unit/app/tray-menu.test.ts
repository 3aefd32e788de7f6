import { describe, expect, it } from 'vitest';
import type { Status } from '../../../preload/contract.ts';
import { trayMenu, trayTooltip, type TrayItem } from '../../../main/app/tray-menu.ts';

const idle: Status = { state: 'idle', turnMode: 'hold', micMuted: false, message: null, apiKey: 'set', holdAvailable: true };
const labels = (items: TrayItem[]): string[] => items.flatMap((i) => ('label' in i ? [i.label] : []));

describe('tray menu', () => {
  it('offers everything the design lists', () => {
    expect(labels(trayMenu(idle, { hotkey: 'Control+Alt+Space', startAtLogin: false }))).toEqual([
      'Talk (Control+Alt+Space)',
      'Turn mode',
      'Mute microphone',
      'New conversation',
      'Show transcript',
      'History…',
      'Settings…',
      'Start at login',
      'Quit Earshot',
    ]);
  });

  it('turns Talk into Stop while the assistant speaks, and Send while listening', () => {
    expect(trayMenu({ ...idle, state: 'speaking' }, { hotkey: 'F9', startAtLogin: false })[0]).toMatchObject({ label: 'Stop', action: { type: 'stop' } });
    expect(trayMenu({ ...idle, state: 'listening' }, { hotkey: 'F9', startAtLogin: false })[0]).toMatchObject({ label: 'Send', action: { type: 'talk' } });
  });

  it('disables hold mode where key-up events do not exist, and Talk without a key', () => {
    const menu = trayMenu({ ...idle, holdAvailable: false, turnMode: 'toggle', apiKey: 'not-set' }, { hotkey: 'F9', startAtLogin: true });
    expect(menu[0]).toMatchObject({ enabled: false });
    const modes = menu[1];
    expect(modes?.kind === 'submenu' && modes.items[0]).toMatchObject({ enabled: false, checked: false });
    expect(modes?.kind === 'submenu' && modes.items[1]).toMatchObject({ checked: true });
  });

  it('says the state and the hint in the tooltip', () => {
    expect(trayTooltip(idle, 'F9')).toBe('Earshot — ready (F9 to talk)');
    expect(trayTooltip({ ...idle, state: 'error', message: 'The API key was refused.' }, 'F9')).toBe('Earshot — needs attention: The API key was refused.');
  });
});
