/**
 * The screen shortcut on a Wayland session, through what ships: the BUILT main bundle under the strict
 * stand-in Electron, with DBUS_SESSION_BUS_ADDRESS pointing at a private bus (dbus-daemon) where the
 * fake GlobalShortcuts portal runs. The portal is the key source, so the talk hotkey and its Shift
 * variant are both bound through it in one BindShortcuts, and neither is an Electron globalShortcut
 * (on Wayland Electron binds globalShortcut through the same portal: that would be a second binding
 * of the same keys). The portal's Activated for `screen` opens the window's screen picker.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appRoot, ensureBuilt, startStandinApp, type Line } from '../../support/electron-standin/child.ts';
import { startFakePortal } from '../../support/portal/fake-portal.ts';
import { dbusDaemonPath, startPrivateBus } from '../../support/portal/session-bus.ts';

interface Report extends Line {
  shortcuts: string[];
  page: { events: { name: string; payload: unknown }[] };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the built main bundle', () => {
  it('keeps the D-Bus client in a chunk of its own, loaded only on Wayland (the screen shortcut did not pull it in)', () => {
    ensureBuilt();
    const chunks = join(appRoot, 'out', 'main', 'chunks');
    expect(existsSync(chunks) ? readdirSync(chunks).filter((f) => f.startsWith('portal-shortcuts-')) : []).toHaveLength(1);
    const index = readFileSync(join(appRoot, 'out', 'main', 'index.js'), 'utf8');
    // The BindShortcuts call's D-Bus signature: code of portal-shortcuts.ts, not a comment about it.
    expect(readFileSync(join(chunks, readdirSync(chunks).find((f) => f.startsWith('portal-shortcuts-')) ?? ''), 'utf8')).toContain('oa(sa{sv})sa{sv}');
    expect(index).not.toContain('oa(sa{sv})sa{sv}');
    expect(index).not.toMatch(/from\s*["']dbus-native["']/);
  });
});

describe.skipIf(!dbusDaemonPath)('the built app on Wayland with the GlobalShortcuts portal', () => {
  it('binds talk and screen in one call, registers no globalShortcut, and Activated(screen) opens the screen picker once', async () => {
    ensureBuilt();
    const bus = await startPrivateBus();
    cleanups.push(() => bus.stop());
    const portal = await startFakePortal({ busAddress: bus.address });
    cleanups.push(() => portal.close());
    const userData = mkdtempSync(join(tmpdir(), 'earshot-portal-screen-'));
    cleanups.push(() => rmSync(userData, { recursive: true, force: true }));
    const app = startStandinApp({
      EARSHOT_USER_DATA: userData,
      OPENAI_API_KEY: 'sk-standin-portal-screen-0123456789',
      DISPLAY: '',
      XDG_SESSION_TYPE: 'wayland',
      WAYLAND_DISPLAY: 'wayland-0',
      DBUS_SESSION_BUS_ADDRESS: bus.address,
      FLATPAK_ID: '',
    });
    cleanups.push(() => app.stop());
    await app.waitFor('ready', 30_000);
    await until(() => 'screen' in portal.bound(), 'the portal to bind the screen shortcut');

    expect(portal.calls).toEqual(['Register app.earshot.Earshot', 'CreateSession', 'BindShortcuts']);
    expect(portal.lastBind.map((s) => `${s.id} ${s.preferredTrigger}`)).toEqual(['talk CTRL+ALT+space', 'screen CTRL+ALT+SHIFT+space']);
    let report = (await app.report()) as Report;
    expect(report.shortcuts).toEqual([]);

    const pickers = (r: Report): number => r.page.events.filter((e) => e.name === 'screenPicker').length;
    portal.activate('screen');
    portal.deactivate('screen');
    // Talk's press afterwards: once its capture starts, the screen signals before it were handled too.
    portal.activate('talk');
    await until(async () => {
      report = (await app.report()) as Report;
      return report.page.events.some((e) => e.name === 'capture' && (e.payload as { command?: string }).command === 'start');
    }, 'the talk turn to start capturing');
    expect(pickers(report)).toBe(1);
    expect(report.shortcuts).toEqual([]);
  }, 60_000);
});

if (!dbusDaemonPath) console.log('skipped: portal screen shortcut in the built bundle: dbus-daemon is not installed (apt-get install dbus-daemon)');
