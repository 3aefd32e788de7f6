/**
 * Notifications that act, through what ships: the BUILT main bundle under the strict stand-in
 * Electron, started at login (`--hidden`, so the window stays in the tray), a real turn of speech to
 * the fake Realtime server, which asks for `write_file` in a shared folder. The approval goes to a
 * desktop notification because the window is hidden:
 * - as on macOS (the app's process.platform is darwin, the stand-in models macOS's Notification):
 *   the notification's "Write todo.txt" button answers it and the file is written; then a rejected
 *   API key, twice over two turns, gives ONE notification;
 * - on Linux (no buttons there): a click on it opens the window on the approval, the page answers,
 *   and the file is written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../../main/settings/settings-schema.ts';
import { FATAL_ACTIONS } from '../../../main/voice/engine/fatal-errors.ts';
import { ensureFixtures, fixturePath } from '../../support/fixtures.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureBuilt, startStandinApp, type Line, type StandinApp } from '../../support/electron-standin/child.ts';

interface Report extends Line {
  window: { visible: boolean } | null;
  notifications: { options: { title?: string; body?: string; actions?: { type: string; text: string }[]; timeoutType?: string }; shown: boolean; ended: boolean }[];
  page: { events: { name: string; payload: unknown }[] };
}

let fake: FakeRealtime | null = null;
let app: StandinApp | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await app?.stop();
  await fake?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  app = null;
  fake = null;
});

async function until(what: string, check: (r: Report) => boolean, timeoutMs = 15_000): Promise<Report> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = (await app?.report()) as Report;
    if (check(r)) return r;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ notifications: r.notifications, events: r.page.events.map((e) => e.name) })}\n${app?.stderr().slice(-2000)}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

async function startHidden(env: Record<string, string>): Promise<{ folder: string; target: string }> {
  ensureBuilt();
  await ensureFixtures();
  fake = await startFakeRealtime({ recordAudioPayloads: false });
  const userData = mkdtempSync(join(tmpdir(), 'earshot-notify-app-'));
  const folder = mkdtempSync(join(tmpdir(), 'earshot-notify-shared-'));
  dirs.push(userData, folder);
  writeFileSync(join(userData, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, turnMode: 'toggle', allowedFolders: [folder] }));
  app = startStandinApp(
    {
      EARSHOT_USER_DATA: userData,
      DISPLAY: '',
      OPENAI_API_KEY: 'sk-standin-notify-0123456789abcdef',
      OPENAI_BASE_URL: fake.baseURL,
      NODE_EXTRA_CA_CERTS: fake.caPath,
      STANDIN_CAPTURE_WAV: fixturePath('question.wav'),
      STANDIN_CAPTURE_MS: '1200',
      ...env,
    },
    ['--hidden'],
  );
  await app.waitFor('ready', 30_000);
  return { folder, target: join(folder, 'todo.txt') };
}

const listenings = (r: Report): number => r.page.events.filter((e) => e.name === 'status' && (e.payload as { state?: string } | undefined)?.state === 'listening').length;

/**
 * One toggle turn: press, ~1.2 s of real speech from the page, press again. The second press must come
 * more than 1.1 s after the app took the first (key-repeat.ts), so it waits for the app to listen,
 * which a stalled child may do late, and only then for the speech.
 */
async function speak(): Promise<void> {
  const before = listenings((await app?.report()) as Report);
  app?.send('press');
  await until('the turn to start listening', (r) => listenings(r) > before);
  await new Promise((r) => setTimeout(r, 1300));
  app?.send('press');
}

describe('a hidden-window approval answered from its notification (built bundle, strict stand-in)', () => {
  it('as on macOS: the "Write todo.txt" button allows it and the tool runs; a rejected key notifies once', async () => {
    const { target } = await startHidden({ STANDIN_PROCESS_PLATFORM: 'darwin' });
    fake?.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'call mum\n' }, callId: 'call_notify' });
    expect(((await app?.report()) as Report).window?.visible).toBe(false);
    await speak();
    const asked = await until('the approval notification', (r) => r.notifications.some((n) => n.options.actions !== undefined));
    const n = asked.notifications.find((x) => x.options.actions !== undefined);
    expect(n?.options).toMatchObject({
      title: 'Earshot asks: Write todo.txt?',
      actions: [
        { type: 'button', text: 'Write todo.txt' },
        { type: 'button', text: "Don't write" },
      ],
    });
    expect(existsSync(target)).toBe(false);
    app?.send('notification-button 0');
    const done = await until('the tool to run and the turn to end', (r) => r.page.events.some((e) => e.name === 'turnMetrics') && existsSync(target));
    expect(readFileSync(target, 'utf8')).toBe('call mum\n');
    expect(done.page.events.find((e) => e.name === 'approvalSettled')?.payload).toMatchObject({ decision: 'allow-once' });
    expect(done.window?.visible).toBe(false); // answered without opening the window
    const output = fake?.events('conversation.item.create').find((e) => (e.item as { type?: string } | undefined)?.type === 'function_call_output');
    expect(String((output?.item as { output?: string } | undefined)?.output)).toContain('todo.txt');

    // The key is rejected on this turn and on the next: one notification, not two.
    const rejected = FATAL_ACTIONS.invalid_api_key?.message ?? '';
    for (let turn = 1; turn <= 2; turn++) {
      // Without a key-up source a press within 1.1 s of the last one counts as key repeat (key-repeat.ts).
      await new Promise((r) => setTimeout(r, 1300));
      app?.send('press');
      await until(`turn ${turn} to connect`, (r) => (r.page.events.filter((e) => e.name === 'status').at(-1)?.payload as { state?: string } | undefined)?.state === 'listening');
      fake?.injectError({ type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' });
      await until(`the rejection notice ${turn}`, (r) => r.page.events.filter((e) => e.name === 'notice' && (e.payload as { message?: string }).message === rejected).length >= turn);
    }
    const final = (await app?.report()) as Report;
    const keyNotes = final.notifications.filter((x) => x.options.title === 'Earshot: the API key was rejected');
    console.log(`notifications: ${final.notifications.map((x) => x.options.title).join(' | ')}`);
    expect(keyNotes).toHaveLength(1);
  }, 60_000);

  it('on Linux: no buttons; a click opens the window on the approval, the page answers and the tool runs', async () => {
    const { target } = await startHidden({});
    fake?.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'buy milk\n' }, callId: 'call_click' });
    await speak();
    const asked = await until('the approval notification', (r) => r.notifications.some((n) => n.options.title === 'Earshot asks: Write todo.txt?'));
    const n = asked.notifications.find((x) => x.options.title === 'Earshot asks: Write todo.txt?');
    expect(n?.options.actions).toBeUndefined();
    expect(n?.options.timeoutType).toBe('never');
    expect(n?.options.body).toContain('Click to answer in Earshot.');
    expect(asked.window?.visible).toBe(false);
    app?.send('notification-click');
    const shown = await until('the window to show on the transcript', (r) => r.window?.visible === true && r.page.events.some((e) => e.name === 'view'));
    expect(shown.page.events.filter((e) => e.name === 'view').at(-1)?.payload).toBe('transcript');
    app?.send('answer-approval allow-once');
    await until('the tool to run', (r) => r.page.events.some((e) => e.name === 'turnMetrics') && existsSync(target));
    expect(readFileSync(target, 'utf8')).toBe('buy milk\n');
  }, 60_000);
});
