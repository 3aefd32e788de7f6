import { describe, expect, it } from 'vitest';
import type { Status } from '../../../preload/contract.ts';
import { TOOLTIP_MAX, trayMenu, trayTooltip, type TrayItem } from '../../../main/app/tray-menu.ts';

const idle: Status = { state: 'idle', turnMode: 'hold', micMuted: false, message: null, apiKey: 'set', holdAvailable: true };
const labels = (items: TrayItem[]): string[] => items.flatMap((i) => ('label' in i ? [i.label] : []));

describe('tray menu', () => {
  it('offers everything the design lists, with the engine and the mode it runs in', () => {
    const engine = { engine: 'realtime' as const, model: 'gpt-realtime' };
    const menu = trayMenu(idle, { hotkey: 'Control+Alt+Space', startAtLogin: false, engine });
    expect(labels(menu)).toEqual([
      'Engine: Realtime · gpt-realtime',
      'Talk (Control+Alt+Space)',
      'Turn mode: hold to talk',
      'Ask about my screen…',
      'Mute microphone',
      'New conversation',
      'Show transcript',
      'History…',
      'Settings…',
      'Start at login',
      'Quit Earshot',
    ]);
    // The engine line names the engine and model and chooses another; Talk carries the hotkey beside it.
    const engines = menu[0];
    expect(engines?.kind === 'submenu' && engines.items.map((i) => ('checked' in i ? [i.label, i.checked] : []))).toEqual([
      ['Realtime — speech to speech, fastest', true],
      ['Cascaded — transcribe, text model, speech', false],
      ['Chat audio — one request per turn', false],
    ]);
    expect(engines?.kind === 'submenu' && engines.items[1]).toMatchObject({ action: { type: 'engine', engine: 'cascaded' } });
    expect(menu[1]).toMatchObject({ kind: 'action', label: 'Talk (Control+Alt+Space)', action: { type: 'talk' } });
    const modes = trayMenu({ ...idle, turnMode: 'hands-free' }, { hotkey: 'F9', startAtLogin: false, engine });
    expect(labels(modes)).toContain('Turn mode: hands-free');
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

  it('says in the tray why hold mode is unavailable, short enough for a menu', () => {
    const reason = "the desktop's shortcut portal refused the binding (org.freedesktop.portal.Error.NotAllowed); press once to start and again to send";
    const menu = trayMenu({ ...idle, holdAvailable: false, turnMode: 'toggle' }, { hotkey: 'F9', startAtLogin: false, holdUnavailableReason: reason });
    const modes = menu.find((item) => item.kind === 'submenu');
    const hold = modes?.kind === 'submenu' ? modes.items[0] : undefined;
    expect(hold).toMatchObject({ enabled: false });
    const label = hold && 'label' in hold ? hold.label : '';
    expect(label.startsWith("Hold to talk — unavailable: the desktop's shortcut portal refused the binding")).toBe(true);
    expect(label.endsWith('…')).toBe(true);
    expect(label.length).toBeLessThanOrEqual('Hold to talk — unavailable: '.length + 81);
    const shortReason = trayMenu({ ...idle, holdAvailable: false }, { hotkey: 'F9', startAtLogin: false, holdUnavailableReason: 'no X display' });
    const shortModes = shortReason.find((item) => item.kind === 'submenu');
    expect(shortModes?.kind === 'submenu' && shortModes.items[0]).toMatchObject({ label: 'Hold to talk — unavailable: no X display' });
  });

  it('says the state and what the hotkey does now in the tooltip', () => {
    expect(trayTooltip(idle, 'F9')).toBe('Earshot — ready · hold F9 to talk');
    expect(trayTooltip({ ...idle, turnMode: 'toggle' }, 'F9')).toBe('Earshot — ready · press F9 to talk');
    expect(trayTooltip({ ...idle, state: 'listening' }, 'F9')).toBe('Earshot — listening · release F9 to send');
    expect(trayTooltip({ ...idle, state: 'listening', turnMode: 'toggle' }, 'F9')).toBe('Earshot — listening · press F9 to send');
    expect(trayTooltip({ ...idle, state: 'speaking' }, 'F9')).toBe('Earshot — speaking · press F9 to interrupt');
    expect(trayTooltip({ ...idle, state: 'thinking' }, 'F9')).toBe('Earshot — thinking · hotkey F9');
    expect(trayTooltip({ ...idle, state: 'error', message: 'The API key was refused.' }, 'F9')).toBe('Earshot — needs attention · hold F9 to talk\nThe API key was refused.');
  });

  it('keeps the tooltip within what Windows shows, state and hotkey first', () => {
    const long = trayTooltip({ ...idle, state: 'error', message: 'x'.repeat(300) }, 'Control+Alt+Space');
    expect(long.length).toBe(TOOLTIP_MAX);
    expect(long.startsWith('Earshot — needs attention · hold Control+Alt+Space to talk\n')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
  });
});
