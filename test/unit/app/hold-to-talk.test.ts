/**
 * Hold-to-talk needs key-up events, which Electron's globalShortcut does not give. This runs the
 * app's HotkeyController with the real X probe and uiohook-napi hook on an X display (CI: xvfb-run),
 * presses and releases the default hotkey with xdotool, and checks one down and one up per hold.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const display = process.env.DISPLAY;
const xdotool = spawnSync('sh', ['-c', 'command -v xdotool']).status === 0;
const reason = !display ? 'no X display (run under xvfb-run)' : !xdotool ? 'xdotool is not installed' : null;
if (reason) console.log(`skipped: hold-to-talk key-up test: ${reason}`);

describe.skipIf(reason !== null)('hold-to-talk key-up events (uiohook under X11)', () => {
  it('reports press and release of Control+Alt+Space once per hold, auto-repeat or not', async () => {
    const probe = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'support', 'hotkey', 'uiohook-probe.ts')], {
      env: { ...process.env, PROBE_MS: '30000' }, // the test ends it once it saw the last key-up
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const events: { event: string; at?: number; error?: string }[] = [];
    const lines = createInterface({ input: probe.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        const parsed = JSON.parse(line) as { event: string; at?: number; error?: string };
        events.push(parsed);
        if (parsed.event === 'ready') resolve();
        if (parsed.event === 'error') reject(new Error(`the hotkey probe could not start: ${parsed.error ?? ''}`));
      });
      probe.once('exit', (code, signal) => reject(new Error(`the hotkey probe exited (${code ?? signal}) before it was ready`)));
    });
    await ready;
    await new Promise((r) => setTimeout(r, 300));
    const key = (args: string[]): void => {
      spawnSync('xdotool', args, { env: process.env });
    };
    // The probe reports a key-up once it saw it: wait for it (a loaded machine may be late), not a fixed time.
    const upSeen = async (count: number): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (events.filter((e) => e.event === 'up').length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    // A short hold, under the X server's auto-repeat delay (660 ms by default), then holds past it, which
    // deliver repeated presses: still one down and one up each.
    const holds = [400, 1000, 1500];
    for (const [i, holdMs] of holds.entries()) {
      key(['keydown', 'ctrl', 'keydown', 'alt', 'keydown', 'space']);
      await new Promise((r) => setTimeout(r, holdMs));
      key(['keyup', 'space', 'keyup', 'alt', 'keyup', 'ctrl']);
      await upSeen(i + 1);
    }
    probe.kill('SIGTERM');
    await new Promise((r) => probe.once('exit', r));
    const transitions = events.filter((e) => e.event === 'down' || e.event === 'up');
    const presses = events.filter((e) => e.event === 'press').length;
    console.log(`hold-to-talk: ${transitions.map((e) => `${e.event}@${Math.round(e.at ?? 0)}ms`).join(' ')} (${presses} shortcut callbacks, auto-repeats included)`);
    expect(transitions.map((e) => e.event)).toEqual(['down', 'up', 'down', 'up', 'down', 'up']);
    // The up comes with the release, not with the press: a 1 s hold (the second) lasts well over 300 ms
    // even when a loaded machine delays the probe's view of the press.
    const [, , d2, u2] = transitions;
    expect((u2?.at ?? 0) - (d2?.at ?? 0)).toBeGreaterThan(300);
  }, 60_000); // room for the waits on key-ups: a missing one fails the assertions above, not the test's time
});
