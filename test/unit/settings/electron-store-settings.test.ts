/**
 * The real electron-store writing a real file in a temporary folder (Electron itself is stubbed in
 * Node's loader: test/support/electron-stub.ts explains why vi.mock cannot do it).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../../preload/contract.ts';
import { defaultSettings } from '../../../main/settings/settings-schema.ts';
import { SettingsService } from '../../../main/settings/settings-service.ts';
import { installElectronStub } from '../../support/electron-stub.ts';
import type { createElectronStoreSettingsPort as CreatePort } from '../../../main/app/electron-store-settings-port.ts';

let createPort: typeof CreatePort;
let dir: string;

beforeAll(async () => {
  installElectronStub(join(tmpdir(), 'earshot-user-data-unused'));
  ({ createElectronStoreSettingsPort: createPort } = await import('../../../main/app/electron-store-settings-port.ts'));
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-settings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function open() {
  const notices: Notice[] = [];
  const store = createPort({ cwd: dir, name: 'settings' });
  const service = new SettingsService({ store, notice: (n) => notices.push(n) });
  return { service, notices, store };
}

const settingsFile = () => join(dir, 'settings.json');
const backups = () => readdirSync(dir).filter((name) => name.startsWith('settings.backup-'));

describe('settings in a real electron-store file', () => {
  it('writes defaults on first launch and reads back an update in a new process-like instance', () => {
    const first = open();
    expect(first.service.load()).toEqual(defaultSettings());
    expect(first.store.path).toBe(settingsFile());
    first.service.update({ voice: 'verse', dailyBudgetUsd: 3, allowedFolders: ['/home/ann/docs'] });
    const onDisk = JSON.parse(readFileSync(settingsFile(), 'utf8'));
    expect(onDisk).toMatchObject({ version: 2, voice: 'verse', dailyBudgetUsd: 3 });

    const second = open();
    const loaded = second.service.load();
    expect(loaded.voice).toBe('verse');
    expect(loaded.allowedFolders).toEqual(['/home/ann/docs']);
    expect(second.notices).toEqual([]);
    expect(backups()).toEqual([]);
  });

  it('migrates a hand-written version 1 file to the current version, keeping the values', () => {
    const v1 = JSON.stringify(
      { version: 1, voice: 'coral', model: 'gpt-realtime-mini', pushToTalk: 'toggle', vadThreshold: 0.4, hotkey: 'Control+Shift+K', retentionDays: 7, startAtLogin: true },
      null,
      2,
    );
    writeFileSync(settingsFile(), v1);
    const { service, notices } = open();
    const s = service.load();
    expect(s).toMatchObject({ version: 2, voice: 'coral', model: 'gpt-realtime-mini', turnMode: 'toggle', hotkey: 'Control+Shift+K', historyRetentionDays: 7, startAtLogin: true });
    expect(s.vad.threshold).toBe(0.4);
    const onDisk = JSON.parse(readFileSync(settingsFile(), 'utf8'));
    expect(onDisk.version).toBe(2);
    expect(onDisk.pushToTalk).toBeUndefined();
    expect(onDisk.turnMode).toBe('toggle');
    expect(notices.map((n) => n.message).join('\n')).toContain('upgraded from version 1 to 2');
    const [backup] = backups();
    expect(readFileSync(join(dir, backup ?? ''), 'utf8')).toBe(v1);
  });

  it('recovers from garbage bytes: the original bytes are kept next to it, defaults are used and saved', () => {
    const garbage = Buffer.from([0x7b, 0x22, 0x76, 0xff, 0xfe, 0x00, 0x13, 0x37, 0x0a, 0x80]);
    writeFileSync(settingsFile(), garbage);
    const { service, notices } = open();
    expect(service.load()).toEqual(defaultSettings());
    const [backup] = backups();
    expect(backup).toMatch(/^settings\.backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    expect(readFileSync(join(dir, backup ?? '')).equals(garbage)).toBe(true);
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).version).toBe(2);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toContain('could not be used');
    expect(notices[0]?.message).toContain('default settings');
    expect(notices[0]?.message).toContain(join(dir, backup ?? ''));

    // And the app keeps working on it.
    service.update({ voice: 'ash' });
    expect(open().service.load().voice).toBe('ash');
  });

  it('recovers from valid JSON that fails the schema: keeps valid fields, says which were reset', () => {
    const original = JSON.stringify({ version: 2, voice: 'shimmer', speechSpeed: 9, turnMode: 'telepathy', hotkey: 'Alt+Space' });
    writeFileSync(settingsFile(), original);
    const { service, notices } = open();
    const s = service.load();
    expect(s.voice).toBe('shimmer');
    expect(s.hotkey).toBe('Alt+Space');
    expect(s.speechSpeed).toBe(1);
    expect(s.turnMode).toBe('hold');
    expect(readFileSync(join(dir, backups()[0] ?? ''), 'utf8')).toBe(original);
    expect(notices[0]?.message).toMatch(/speechSpeed: must be at most 1\.5 \(got 9\)/);
    expect(notices[0]?.message).toMatch(/turnMode: must be one of "hold", "toggle", "hands-free" \(got "telepathy"\)/);
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toMatchObject({ voice: 'shimmer', speechSpeed: 1 });
  });

  it('treats a JSON list as unusable settings', () => {
    writeFileSync(settingsFile(), '[1,2,3]');
    const { service, notices } = open();
    expect(service.load()).toEqual(defaultSettings());
    expect(readFileSync(join(dir, backups()[0] ?? ''), 'utf8')).toBe('[1,2,3]');
    expect(notices[0]?.level).toBe('warning');
  });
});
