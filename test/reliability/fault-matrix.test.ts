/**
 * The fault matrix (issue 14): one test per row, each run through the composed core (startCore over
 * the in-memory transport, settings in a real electron-store file, history and ledger in a temp
 * folder) against the fake Realtime server. Each asserts what the user sees — the status, the
 * notice and its action, the transcript on screen — and that no transcript, history entry or setting
 * is lost (expectNothingLost).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateClientEvent } from '../support/fake-realtime/index.ts';
import type { RealtimeEventJson } from '../support/fake-realtime/index.ts';
import { expectNothingLost, sharedFolder, sleep, startRig, until, type Rig, type RigOptions } from './support/rig.ts';

let rig: Rig | null = null;
const cleanups: Array<() => void> = [];

afterEach(async () => {
  const r = rig;
  rig = null;
  if (r) {
    // The fake's own events stay valid against the SDK schema in every row, and so do ours.
    expect(r.fake.schemaErrors.filter((e) => e.side === 'server')).toEqual([]);
    for (const rec of r.fake.received) expect(validateClientEvent(rec.event), rec.event.type).toEqual([]);
    await r.close();
  }
  for (const c of cleanups.splice(0)) c();
});

async function start(options: RigOptions = {}): Promise<Rig> {
  rig = await startRig(options);
  return rig;
}

const fast = (r: Rig): void => void r.core.session.updateConfig({ reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 40 });
const messages = (r: Rig): string => r.notices.map((n) => `${n.level}: ${n.message} | ${n.action ?? ''}`).join('\n');
const assistantLines = (r: Rig) => r.screen().filter((l) => l.role === 'assistant');
const userLines = (r: Rig) => r.screen().filter((l) => l.role === 'user');

/** The last turn's lines on screen are final and say what the fake said. */
function expectAnsweredOnScreen(r: Rig): void {
  const user = userLines(r).at(-1);
  const assistant = assistantLines(r).at(-1);
  expect(user?.final).toBe(true);
  expect(user?.text).toBe('What files are in my documents folder?');
  expect(assistant?.final).toBe(true);
  expect(assistant?.text).toBe(r.fake.replyTranscript);
}

describe('connection drops', () => {
  it('while listening: reconnects, resends the audio, and the question is answered', async () => {
    const r = await start();
    fast(r);
    r.core.hotkeyDown();
    const turnId = r.captureStarts.at(-1) ?? '';
    await until(() => r.core.status().state === 'listening', 'listening');
    // Half a second of the question, then the network goes.
    const speech = (await import('../support/fixtures.ts')).readWavPcm16((await import('../support/fixtures.ts')).fixturePath('question.wav')).samples;
    let sentSamples = 0;
    for (let i = 0; i < 12_000; i += 480) {
      r.bridge.audio.sendCapture(turnId, speech.slice(i, i + 480).buffer);
      sentSamples += 480;
    }
    await until(() => r.fake.events('input_audio_buffer.append').length >= 25, 'the first appends on the wire');
    r.fake.dropNow();
    await until(() => r.statuses.some((s) => s.state === 'reconnecting'), 'reconnecting shown');
    for (let i = 12_000; i < speech.length; i += 480) {
      r.bridge.audio.sendCapture(turnId, speech.slice(i, i + 480).buffer);
      sentSamples += Math.min(480, speech.length - i);
    }
    r.core.hotkeyUp();
    await r.bridge.request.captureFlushed({ turnId, totalSamples: sentSamples });
    await until(() => r.metrics.length === 1 && r.core.status().state === 'idle', 'the answer after the reconnect');
    expect(messages(r)).toContain('Lost the connection to OpenAI; reconnecting');
    expect(messages(r)).toContain('Reconnected.');
    // The whole question reached the model on the second connection.
    const appended = r.fake.received.filter((e) => e.connection === 2 && e.event.type === 'input_audio_buffer.append');
    const bytes = appended.reduce((n, e) => n + Buffer.from(String(e.event['audio']), 'base64').length, 0);
    expect(bytes / 2).toBe(sentSamples);
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it('while the reply streams: the partial answer is kept and marked, the user is told to ask again, the next turn works', async () => {
    const r = await start({ fake: { speedup: 8 } });
    fast(r);
    r.fake.dropMidReply({ afterDeltas: 3 });
    r.ask();
    await until(() => r.metrics.length === 1, 'the failed turn to end');
    await until(() => r.core.status().state === 'idle', 'idle after the reconnect');
    const dropped = r.notices.find((n) => /dropped during the reply/.test(n.message));
    expect(dropped?.level).toBe('warning');
    expect(dropped?.action).toBe('Press the hotkey and ask again.');
    // What was heard stays on screen, finished and marked as cut, not as a line still being typed.
    const partial = assistantLines(r).at(-1);
    expect(partial?.text.length).toBeGreaterThan(0);
    expect(r.fake.replyTranscript.startsWith(partial?.text ?? '?')).toBe(true);
    expect(partial?.final).toBe(true);
    expect(partial?.truncated).toBe(true);
    await r.turn();
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it('during a tool call: the tool result still reaches the model and the turn is answered', async () => {
    const folder = sharedFolder();
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    writeFileSync(join(folder, 'notes.txt'), 'buy milk\n');
    const r = await start({ settings: { allowedFolders: [folder] } });
    fast(r);
    // The moment the call's arguments are complete, the network goes.
    r.fake.interceptServerEvents((e) => {
      if (e.type === 'response.done' && JSON.stringify(e).includes('function_call')) setImmediate(() => r.fake.dropNow());
      return [e];
    });
    r.fake.scriptToolCall({ name: 'read_file', arguments: { path: join(folder, 'notes.txt') }, callId: 'call_drop' });
    r.ask();
    await until(() => r.metrics.length === 1 && r.core.status().state === 'idle', 'the turn to end', 15_000);
    expect(r.toolCalls.at(-1)).toMatchObject({ name: 'read_file', status: 'done' });
    // The model heard what the tool found: its answer quotes the file.
    const answer = assistantLines(r).at(-1);
    expect(answer?.final).toBe(true);
    expect(answer?.text).toContain('buy milk');
    expect(messages(r)).not.toMatch(/No tool call found/);
    await expectNothingLost(r);
  });

  it('during an approval: the question stays open, the approved write happens, and the model gets the result', async () => {
    const folder = sharedFolder();
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const r = await start({ settings: { allowedFolders: [folder] } });
    fast(r);
    const target = join(folder, 'todo.txt');
    r.fake.scriptToolCall({ name: 'write_file', arguments: { path: target, content: 'call mum\n' }, callId: 'call_write' });
    r.ask();
    await until(() => r.approvals.length === 1, 'the approval request');
    expect(r.approvals[0]?.summary).toMatch(/todo\.txt/);
    r.fake.dropNow();
    await until(() => r.fake.connections === 2 && r.core.status().state !== 'reconnecting', 'the reconnect');
    // The approval is still on screen and still answerable after the reconnect.
    const answer = await r.bridge.request.answerApproval({ id: r.approvals[0]?.id ?? '', decision: 'allow-once' });
    expect(answer.accepted).toBe(true);
    await until(() => r.metrics.length === 1 && r.core.status().state === 'idle', 'the turn to end', 15_000);
    expect(readFileSync(target, 'utf8')).toBe('call mum\n');
    const reply = assistantLines(r).at(-1);
    expect(reply?.final).toBe(true);
    expect(messages(r)).not.toMatch(/No tool call found/);
    await expectNothingLost(r);
  });
});

describe('documented server errors', () => {
  it.each([
    ['invalid_request_error', 'invalid_value', "Invalid value: 'shimmer2'. Supported values are: 'alloy', 'ash'."],
    ['server_error', null, 'The server had an error while processing your request. Sorry about that!'],
  ])('%s (%s) is shown as a warning and the session stays usable', async (type, code, message) => {
    const r = await start();
    await r.turn();
    r.fake.injectError({ type, code, message });
    await until(() => r.notices.some((n) => n.message.includes(message)), 'the warning');
    const shown = r.notices.find((n) => n.message.includes(message));
    expect(shown?.level).toBe('warning');
    expect(r.core.status().state).toBe('idle');
    await r.turn();
    expectAnsweredOnScreen(r);
    expect(r.fake.connections).toBe(1);
    await expectNothingLost(r);
  });

  it('a rate limit on response.create ends the turn with the service words instead of hanging, and the next works', async () => {
    const r = await start();
    r.fake.rateLimitNext();
    r.ask();
    await until(() => r.notices.some((n) => /Rate limit reached/.test(n.message)), 'the rate limit warning');
    await until(() => r.core.status().state === 'idle', 'idle, not stuck thinking');
    expect(r.notices.find((n) => /Rate limit reached/.test(n.message))?.level).toBe('warning');
    await r.turn();
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it.each(['input_audio_buffer_commit_empty', 'conversation_already_has_active_response', 'response_cancel_not_active'])(
    'benign %s says nothing and changes nothing',
    async (code) => {
      const r = await start();
      await r.turn();
      const before = r.notices.length;
      r.fake.injectError({ type: 'invalid_request_error', code, message: code });
      await sleep(100);
      expect(r.notices.slice(before).filter((n) => n.level !== 'info')).toEqual([]);
      expect(r.core.status()).toMatchObject({ state: 'idle', message: null });
      await r.turn();
      expectAnsweredOnScreen(r);
      await expectNothingLost(r);
    },
  );

  it.each([
    ['invalid_api_key', 'The OpenAI API key was rejected.', /Settings/],
    ['insufficient_quota', 'Your OpenAI account has no quota left.', /billing/],
    ['account_deactivated', 'This OpenAI account is deactivated.', /support/],
    ['billing_hard_limit_reached', 'Your OpenAI billing hard limit is reached.', /hard limit/],
  ])('fatal %s: error state with what to do, no retries, the next press tries again', async (code, message, action) => {
    const r = await start();
    await r.turn();
    r.fake.injectError({ type: 'invalid_request_error', code, message: `raw ${code} from the service` });
    await until(() => r.core.status().state === 'error', 'the error state');
    expect(r.core.status().message).toBe(message);
    const notice = r.notices.find((n) => n.level === 'error');
    expect(notice?.message).toBe(message);
    expect(notice?.action).toMatch(action);
    await sleep(300);
    expect(r.fake.connections).toBe(1);
    await r.turn();
    expectAnsweredOnScreen(r);
    expect(r.fake.connections).toBe(2);
    await expectNothingLost(r);
  });

  it('session_expired + 1001: renewed at once without a word to the user, context replayed, next turn answered', async () => {
    const r = await start();
    await r.turn();
    const before = r.notices.length;
    r.fake.expireSession();
    await until(() => r.fake.connections === 2 && r.fake.events('session.update').length >= 2, 'the renewed session');
    await r.fake.waitFor('conversation.item.create', (e) => JSON.stringify(e).includes(r.fake.replyTranscript));
    expect(r.notices.slice(before).filter((n) => n.level !== 'info')).toEqual([]);
    await r.turn();
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });
});

describe('slow, unreachable and refusing servers', () => {
  it('slow first byte: thinking until the first audio, then the answer; the latency shows the wait', async () => {
    const r = await start();
    r.fake.slowFirstByte(1200);
    r.ask();
    // The first turn connects before it commits, so no fixed delay fits: wait for the thinking state,
    // which must come while the server still holds back the first audio.
    await until(() => r.core.status().state === 'thinking', 'the thinking state');
    expect(r.fake.sent.filter((s) => s.event.type === 'response.output_audio.delta')).toEqual([]);
    await until(() => r.metrics.length === 1 && r.core.status().state === 'idle', 'the answer');
    expect(r.metrics[0]?.latency.commitToFirstAudioMs ?? 0).toBeGreaterThanOrEqual(1100);
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it('DNS failure (.invalid, RFC 6761): the error names the host and says what to check', async () => {
    const r = await start({ baseURL: 'https://earshot-test.invalid/v1' });
    fast(r);
    r.ask();
    await until(() => r.core.status().state === 'error', 'the error state', 15_000);
    const notice = r.notices.findLast((n) => n.level === 'error');
    expect(notice?.message).toMatch(/earshot-test\.invalid/);
    expect(notice?.message).toMatch(/not found|resolve/i);
    expect(notice?.action).toBeTruthy();
    expect(r.core.status().message).toBe(notice?.message);
    await expectNothingLost(r);
  });

  it('401 at the WebSocket upgrade: the key was rejected, no retries; once fixed, the next press works', async () => {
    const r = await start();
    r.fake.refuseUpgrades({ status: 401 });
    r.ask();
    await until(() => r.core.status().state === 'error', 'the error state');
    const notice = r.notices.find((n) => n.level === 'error');
    expect(notice?.message).toBe('The OpenAI API key was rejected.');
    expect(notice?.action).toMatch(/Settings/);
    await sleep(300);
    expect(r.fake.handshakes).toHaveLength(1);
    expect(r.fake.handshakes[0]?.refusedWith).toBe(401);
    // The key is fixed (the fake accepts the next handshake): the next press is answered.
    await r.turn();
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it('429 at the WebSocket upgrade: backs off, retries, and the question is answered', async () => {
    const r = await start();
    fast(r);
    r.fake.refuseUpgrades({ status: 429, count: 2 });
    r.ask();
    await until(() => r.metrics.length === 1 && r.core.status().state === 'idle', 'the answer after the retries', 15_000);
    expect(r.fake.handshakes.map((h) => h.refusedWith ?? 101)).toEqual([429, 429, 101]);
    expect(messages(r)).toMatch(/reconnecting/i);
    expect(messages(r)).not.toMatch(/dropped during the reply/);
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });
});

describe('a server that sends nonsense', () => {
  it('malformed JSON is skipped; the session goes on', async () => {
    const r = await start();
    await r.turn();
    r.fake.sendRaw('{"type":"response.output_audio.delta","delta":');
    r.fake.sendRaw('not json at all');
    r.fake.sendRaw('[1,2,3]');
    r.fake.sendRaw('null');
    await sleep(100);
    expect(r.core.status()).toMatchObject({ state: 'idle', message: null });
    await r.turn();
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it('unknown event types are ignored, even in the middle of a reply', async () => {
    const r = await start();
    let injected = 0;
    r.fake.interceptServerEvents((e) => {
      if (e.type === 'response.output_audio.delta' && injected++ === 1) {
        return [e, { type: 'response.future_feature.delta', event_id: 'evt_x', shiny: true } as RealtimeEventJson];
      }
      return [e];
    });
    await r.turn();
    expect(injected).toBeGreaterThan(1);
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
  });

  it('audio for an unknown item does not play and does not leave the app speaking forever', async () => {
    const r = await start();
    const played = new Map<string, number>();
    r.bridge.audio.onPlayback((itemId, pcm) => played.set(itemId, (played.get(itemId) ?? 0) + pcm.byteLength));
    const pcm = Buffer.alloc(4800).toString('base64');
    // Before any response: a response and an item nobody asked for.
    r.fake.sendRaw(JSON.stringify({ type: 'response.output_audio.delta', event_id: 'evt_u1', response_id: 'resp_ghost', item_id: 'item_ghost', output_index: 0, content_index: 0, delta: pcm }));
    // During the reply: the current response, an item the server never announced or finished.
    let injected = false;
    r.fake.interceptServerEvents((e) => {
      if (e.type === 'response.output_audio.delta' && !injected) {
        injected = true;
        return [e, { ...e, event_id: 'evt_u2', item_id: 'item_stray' }];
      }
      return [e];
    });
    await r.turn(8000);
    expect(played.has('item_ghost')).toBe(false);
    expectAnsweredOnScreen(r);
    await r.turn(8000);
    await expectNothingLost(r);
  });

  it('out of order: the user transcript after the reply, the assistant transcript before its audio ends', async () => {
    const r = await start();
    const held: RealtimeEventJson[] = [];
    r.fake.interceptServerEvents((e) => {
      if (e.type.startsWith('conversation.item.input_audio_transcription.')) {
        held.push(e);
        return [];
      }
      if (e.type === 'response.output_audio.done') return [];
      if (e.type === 'response.output_audio_transcript.done') {
        // The transcript ends first, then the audio's done.
        return [e, { type: 'response.output_audio.done', event_id: `${String(e.event_id)}_a`, response_id: e['response_id'], item_id: e['item_id'], output_index: 0, content_index: 0 }];
      }
      if (e.type === 'rate_limits.updated') return [e, ...held.splice(0)];
      return [e];
    });
    await r.turn();
    await until(() => userLines(r).at(-1)?.final === true, 'the late user transcript');
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
    const user = r.historyOnDisk().records.filter((x) => x['type'] === 'transcript' && x['role'] === 'user');
    expect(user.map((x) => x['text'])).toEqual(['What files are in my documents folder?']);
  });

  it('duplicated events: every server event twice, the answer plays once and is shown and saved once', async () => {
    const r = await start();
    const played = new Map<string, number>();
    r.bridge.audio.onPlayback((itemId, pcm) => played.set(itemId, (played.get(itemId) ?? 0) + pcm.byteLength / 2));
    r.fake.interceptServerEvents((e) => [e, e]);
    await r.turn();
    const item = assistantLines(r).at(-1)?.itemId ?? '';
    expect(played.get(item)).toBe(r.fake.replySamples.length);
    expectAnsweredOnScreen(r);
    expect(r.metrics).toHaveLength(1);
    await expectNothingLost(r);
    const records = r.historyOnDisk().records;
    expect(records.filter((x) => x['type'] === 'turn')).toHaveLength(1);
    expect(records.filter((x) => x['type'] === 'transcript' && x['role'] === 'assistant')).toHaveLength(1);
  });
});

describe('the disk and the settings file', () => {
  it('disk full while writing history: the user is told, nothing crashes, and the entries are written once there is room', async (ctx) => {
    const mountPoint = join(tmpdir(), `earshot-full-${process.pid}-${Date.now()}`);
    mkdirSync(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (error) {
      rmdirSync(mountPoint);
      console.log(`skipped: disk full while writing history: cannot mount a 64 KiB tmpfs here (${String(error).split('\n')[0]}); needs root`);
      ctx.skip();
      return;
    }
    cleanups.push(() => {
      execFileSync('umount', [mountPoint]);
      rmdirSync(mountPoint);
    });
    console.log('disk full: history on a 64 KiB tmpfs (mount -t tmpfs -o size=64k), filled up before the turn');
    const r = await start({ historyDir: mountPoint });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));
    // Fill the disk to the last byte.
    const filler = join(mountPoint, 'filler.bin');
    writeFileSync(filler, Buffer.alloc(0));
    try {
      for (;;) writeFileSync(filler, Buffer.alloc(4096), { flag: 'a' });
    } catch {
      // ENOSPC: full
    }
    try {
      for (;;) writeFileSync(filler, Buffer.alloc(1), { flag: 'a' });
    } catch {
      // full to the byte
    }
    await r.turn();
    await until(() => r.notices.some((n) => /history/i.test(n.message) && n.level !== 'info'), 'a notice about the history');
    const notice = r.notices.find((n) => /history/i.test(n.message) && n.level !== 'info');
    expect(notice?.message).toMatch(/disk is full|no space/i);
    expect(notice?.action).toBeTruthy();
    expectAnsweredOnScreen(r);
    expect(unhandled).toEqual([]);
    // Room again: the next write brings everything that waited.
    rmSync(filler);
    await r.turn();
    expectAnsweredOnScreen(r);
    await expectNothingLost(r);
    const list = await r.bridge.request.listConversations({});
    expect(list).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('the settings file replaced by garbage while running: the app keeps its settings, the next save writes them back whole', async () => {
    const r = await start({ settings: { voice: 'verse', dailyBudgetUsd: 5 } });
    await r.turn();
    writeFileSync(r.settingsFile, '\u0000\u0007garbage{{{ not json');
    // The running app is unaffected.
    expect((await r.bridge.request.getSettings({}))['voice']).toBe('verse');
    await r.turn();
    expectAnsweredOnScreen(r);
    const result = await r.bridge.request.updateSettings({ patch: { instructions: 'Be brief.' } });
    expect(result.appliedLive).toContain('instructions');
    await expectNothingLost(r);
    const onDisk = JSON.parse(readFileSync(r.settingsFile, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ voice: 'verse', dailyBudgetUsd: 5, instructions: 'Be brief.' });
  });
});
