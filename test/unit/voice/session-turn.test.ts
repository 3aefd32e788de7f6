import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { makeHarness } from './harness.ts';
import { finishSessionTest } from './session-test-kit.ts';
import type { Harness } from './harness.ts';

let question: Int16Array;
let shortTap: Int16Array;
let fake: FakeRealtime | null = null;
let h: Harness | null = null;

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
  shortTap = readWavPcm16(fixturePath('short-tap.wav')).samples;
});

afterEach(async () => {
  await finishSessionTest(fake, h);
  h = null;
  fake = null;
});

const types = (f: FakeRealtime): string[] => f.received.map((r) => r.event.type);

describe('push-to-talk turn against the fake Realtime server', () => {
  it('sends the GA session config, streams audio, commits, and reports transcript, usage, cost and latency', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { instructions: 'Be brief.', voice: 'cedar' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');

    const update = fake.received.find((r) => r.event.type === 'session.update')?.event as unknown as { session: Record<string, unknown> };
    expect(update.session).toMatchObject({
      type: 'realtime',
      model: 'gpt-realtime-2.1',
      reasoning: { effort: 'low' },
      output_modalities: ['audio'],
      instructions: 'Be brief.',
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null, noise_reduction: { type: 'near_field' } },
        output: { voice: 'cedar' },
      },
      tool_choice: 'auto',
      truncation: 'auto',
    });
    // Order: settings, audio (all of it, in order), commit, response.create.
    const t = types(fake);
    expect(t[0]).toBe('session.update');
    const appends = fake.received.filter((r) => r.event.type === 'input_audio_buffer.append');
    const bytes = appends.reduce((n, r) => n + Buffer.from(String(r.event['audio']), 'base64').length, 0);
    expect(bytes).toBe(question.length * 2);
    expect(t.indexOf('input_audio_buffer.commit')).toBeGreaterThan(t.lastIndexOf('input_audio_buffer.append'));
    expect(t.indexOf('response.create')).toBeGreaterThan(t.indexOf('input_audio_buffer.commit'));
    // Every client event carries a unique event_id.
    const ids = fake.received.map((r) => r.event.event_id);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    // Transcripts of both sides, final.
    expect(rec.userText).toBe('What files are in my documents folder?');
    expect(rec.assistantText.length).toBeGreaterThan(5);
    expect(rec.assistantText).toBe(fake.replyTranscript);
    const finals = h.rec.transcripts.filter((x) => x.final);
    expect(finals.map((x) => x.role).sort()).toEqual(['assistant', 'user']);

    // All reply audio went to the player.
    const played = [...h.playback.written.values()].reduce((a, b) => a + b, 0);
    expect(played).toBe(fake.replySamples.length);

    // Usage, cost and latency.
    const m = h.rec.metrics[0];
    expect(m).toBeDefined();
    expect(m?.usage.inputAudioTokens).toBeGreaterThan(0);
    expect(m?.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(m?.costUsd).toBeGreaterThan(0);
    expect(m?.sessionCostUsd).toBeCloseTo(m?.costUsd ?? -1, 12);
    expect(m?.latency.keyUpToCommitMs).not.toBeNull();
    expect(m?.latency.commitToFirstAudioMs).toBeGreaterThan(0);
    expect(m?.latency.firstAudioToFirstSampleMs).not.toBeNull();
    expect(m?.latency.totalMs).toBeGreaterThan(0);
    console.log('turn latency', JSON.stringify(m?.latency), 'usage', JSON.stringify(m?.usage), 'cost', m?.costUsd);

    // States: idle → connecting/listening → thinking → speaking → idle.
    const states = h.rec.states();
    expect(states).toContain('listening');
    expect(states).toContain('thinking');
    expect(states).toContain('speaking');
    expect(states.at(-1)).toBe('idle');
    expect(states.indexOf('thinking')).toBeLessThan(states.indexOf('speaking'));
  });

  it('talks to an Azure OpenAI deployment: /openai/v1/realtime with the key in api-key', async () => {
    fake = await startFakeRealtime();
    const f = fake;
    h = makeHarness(f, {}, undefined, async () => ({
      apiKey: 'azure-key-0123456789abcdef',
      ca: f.ca,
      azure: { endpoint: `https://127.0.0.1:${f.port}`, deployment: 'my-realtime' },
    }));
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    const handshake = f.handshakes[0];
    expect(handshake?.url).toBe('/openai/v1/realtime?model=my-realtime');
    expect(handshake?.headers['api-key']).toBe('azure-key-0123456789abcdef');
    expect(handshake?.authorization).toBeNull();
  });

  it('buffers audio captured before the socket is open and sends it in order', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    h.session.hotkeyDown();
    expect(h.session.status().state).toBe('connecting');
    const turnId = h.capture.started[0] as string;
    const ended = h.waitTurn(turnId);
    // Push 1 s of numbered frames synchronously: none can go out before the socket opens.
    const frames: Int16Array[] = [];
    for (let k = 0; k < 50; k++) frames.push(question.subarray(k * 480, (k + 1) * 480));
    for (const f of frames) {
      h.capture.pushedTotal.set(turnId, (h.capture.pushedTotal.get(turnId) ?? 0) + f.length);
      h.session.pushCapture(turnId, f);
    }
    expect(fake.received.length).toBe(0);
    await h.waitState('listening');
    h.session.hotkeyUp();
    await ended;
    const appends = fake.received.filter((r) => r.event.type === 'input_audio_buffer.append');
    expect(appends).toHaveLength(50);
    appends.forEach((a, k) => {
      expect(Buffer.from(String(a.event['audio']), 'base64')).toEqual(Buffer.from(frames[k]?.buffer ?? new ArrayBuffer(0), frames[k]?.byteOffset, 960));
    });
  });

  it('clears a turn under 100 ms instead of committing it and hints the user', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    expect(shortTap.length).toBeLessThan(2400);
    const rec = await h.talk(shortTap);
    expect(rec.outcome).toBe('too-short');
    await fake.waitFor('input_audio_buffer.clear');
    expect(types(fake)).not.toContain('input_audio_buffer.commit');
    expect(types(fake)).not.toContain('response.create');
    expect(h.session.status().state).toBe('idle');
    expect(h.session.status().message).toBe('Hold the key while you speak.');
    expect(h.rec.notices.some((n) => n.action === 'Hold the key while you speak.')).toBe(true);
  });

  it('runs two turns in one session; the second costs more (the conversation is re-sent)', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const a = await h.talk(question);
    fake.setUserTranscript('And what is in notes.txt?');
    const b = await h.talk(question);
    expect([a.outcome, b.outcome]).toEqual(['completed', 'completed']);
    expect(fake.connections).toBe(1);
    expect(b.userText).toBe('And what is in notes.txt?');
    expect(b.usage.inputTextTokens + b.usage.inputAudioTokens).toBeGreaterThan(a.usage.inputTextTokens + a.usage.inputAudioTokens);
    expect(h.session.sessionCostUsd()).toBeCloseTo((a.costUsd ?? 0) + (b.costUsd ?? 0), 12);
  });
});
