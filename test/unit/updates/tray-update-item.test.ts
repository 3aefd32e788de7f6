/** The tray's "Restart to update" item (main/app/tray-menu.ts), shown only once an update is ready. */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../../preload/contract.ts';
import { trayMenu, type TrayItem } from '../../../main/app/tray-menu.ts';

const idle: Status = { state: 'idle', turnMode: 'hold', micMuted: false, message: null, apiKey: 'set', holdAvailable: true };
const base = { hotkey: 'F9', startAtLogin: false };
const updateItem = (items: TrayItem[]): TrayItem | undefined => items.find((i) => i.kind === 'action' && i.action.type === 'install-update');

describe('tray: restart to update', () => {
  it('offers "Restart to update to <version>" just above Quit once the update is downloaded', () => {
    const menu = trayMenu(idle, { ...base, update: { state: 'ready', version: '1.2.0', installAfterTurn: false } });
    const item = updateItem(menu);
    expect(item).toEqual({ kind: 'action', label: 'Restart to update to 1.2.0', action: { type: 'install-update' } });
    const labels = menu.flatMap((i) => ('label' in i ? [i.label] : []));
    expect(labels.slice(-2)).toEqual(['Restart to update to 1.2.0', 'Quit Earshot']);
  });

  it('says it will update after the turn (disabled) once the user asked during one', () => {
    const item = updateItem(trayMenu({ ...idle, state: 'speaking' }, { ...base, update: { state: 'ready', version: '1.2.0', installAfterTurn: true } }));
    expect(item).toMatchObject({ label: 'Updating to 1.2.0 when this turn ends', enabled: false });
  });

  it('shows nothing while checking, downloading, after a failed check, or with no update', () => {
    for (const update of [undefined, { state: 'idle' as const }, { state: 'checking' as const }, { state: 'available' as const, version: '1.2.0' }, { state: 'downloading' as const, version: '1.2.0', percent: 40 }, { state: 'error' as const }]) {
      const menu = trayMenu(idle, { ...base, ...(update ? { update } : {}) });
      expect(updateItem(menu)).toBeUndefined();
      expect(menu.flatMap((i) => ('label' in i ? [i.label] : [])).join('|')).not.toMatch(/update/i);
    }
  });
});
