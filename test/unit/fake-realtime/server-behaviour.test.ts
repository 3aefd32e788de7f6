/** Behaviour of the fake that the foundation test does not cover, through the real SDK client. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../../support/fake-realtime/index.ts';
import { connectSdkClient } from '../../support/fake-realtime/sdk-client.ts';
import type { SdkClient } from '../../support/fake-realtime/sdk-client.ts';
import { fixturePath, readWavPcm16 } from '../../support/fixtures.ts';

let fake: FakeRealtime;
let question: Int16Array;
const clients: SdkClient[] = [];

async function connect(): Promise<SdkClient> {
  const c = connectSdkClient(fake);
  clients.push(c);
  await c.opened;
  c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
  await c.next('session.updated');
  return c;
}

function speak(c: SdkClient): void {
  c.rt.send({ type: 'input_audio_buffer.append', audio: Buffer.from(question.buffer, question.byteOffset, question.byteLength).toString('base64') });
  c.rt.send({ type: 'input_audio_buffer.commit' });
}

beforeAll(async () => {
  fake = await startFakeRealtime({ speedup: 0 }); // no pacing: these tests are about events, not timing
  question = readWavPcm16(fixturePath('question.wav')).samples;
});
afterEach(() => {
  for (const c of clients.splice(0)) c.rt.close();
  expect(fake.schemaErrors).toEqual([]);
  fake.reset();
});
afterAll(() => fake.close());

describe('fake realtime server', () => {
  it('fixes the voice once the assistant has spoken', async () => {
    const c = await connect();
    c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { voice: 'ash' } } } });
    await c.next('session.updated', (e) => e.session.type === 'realtime' && e.session.audio?.output?.voice === 'ash');
    speak(c);
    c.rt.send({ type: 'response.create' });
    await c.next('response.done');
    c.rt.send({ type: 'session.update', event_id: 'evt_voice', session: { type: 'realtime', audio: { output: { voice: 'coral' } } } });
    const err = await c.next('error');
    expect(err.error).toMatchObject({ code: 'cannot_update_voice', event_id: 'evt_voice' });
  });

  it('answers in text when asked for text only, outside the conversation when asked', async () => {
    const c = await connect();
    c.rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello there' }] } });
    await c.next('conversation.item.done');
    c.rt.send({ type: 'response.create', response: { output_modalities: ['text'], conversation: 'none', metadata: { purpose: 'title' } } });
    const done = await c.next('response.done');
    const text = await c.next('response.output_text.done');
    expect(text.text).toBe(fake.replyTranscript);
    expect(done.response).toMatchObject({ output_modalities: ['text'], metadata: { purpose: 'title' } });
    expect(c.events.some((e) => e.event.type === 'response.output_audio.delta')).toBe(false);
    // Out-of-band: the item never joined the conversation.
    expect(c.events.filter((e) => e.event.type === 'conversation.item.added')).toHaveLength(1);
  });

  it('rejects a function_call_output for an unknown call and an unknown previous_item_id', async () => {
    const c = await connect();
    c.rt.send({ type: 'conversation.item.create', event_id: 'evt_out', item: { type: 'function_call_output', call_id: 'call_nope', output: 'x' } });
    expect((await c.next('error', (e) => e.error.event_id === 'evt_out')).error.param).toBe('item.call_id');
    c.rt.send({ type: 'conversation.item.create', event_id: 'evt_prev', previous_item_id: 'item_nope', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] } });
    expect((await c.next('error', (e) => e.error.event_id === 'evt_prev')).error.param).toBe('previous_item_id');
  });

  it('truncating a user item fails: only model output audio can be truncated', async () => {
    const c = await connect();
    speak(c);
    const committed = await c.next('input_audio_buffer.committed');
    c.rt.send({ type: 'conversation.item.truncate', item_id: committed.item_id, content_index: 0, audio_end_ms: 100 });
    expect((await c.next('error')).error.code).toBe('unsupported_content_type');
  });

  it('setUserTranscript and setReply change the next turns; waitForNext ignores the past', async () => {
    const c = await connect();
    c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } } } });
    await c.next('session.updated', (e) => e.session.type === 'realtime' && e.session.audio?.input?.transcription !== null && e.session.audio?.input?.transcription !== undefined);
    fake.setUserTranscript('Read my clipboard.');
    fake.setReply({ transcript: 'Your clipboard says hello.', samples: question.subarray(0, 4800) });
    const nextDone = fake.waitForNext('response.done');
    speak(c);
    c.rt.send({ type: 'response.create' });
    expect((await c.next('conversation.item.input_audio_transcription.completed')).transcript).toBe('Read my clipboard.');
    expect((await c.next('response.output_audio_transcript.done')).transcript).toBe('Your clipboard says hello.');
    expect(c.events.filter((e) => e.event.type === 'response.output_audio.delta')).toHaveLength(2); // 200 ms in 100 ms deltas
    const done = await nextDone;
    expect(done.type).toBe('response.done');
  });

  it('a session ends by itself after sessionMaxMs with session_expired and 1001', async () => {
    const short = await startFakeRealtime({ sessionMaxMs: 150 });
    try {
      const c = connectSdkClient(short);
      await c.opened;
      const t0 = performance.now();
      const closed = await c.closed;
      expect(closed.code).toBe(1001);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
      expect(c.events.map((e) => e.event.type)).toEqual(['session.created', 'error']);
    } finally {
      await short.close();
    }
  });

  it('recordAudioPayloads: false keeps records small (sizes instead of base64)', async () => {
    const lean = await startFakeRealtime({ speedup: 0, recordAudioPayloads: false });
    try {
      const c = connectSdkClient(lean);
      await c.opened;
      c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
      speak(c);
      c.rt.send({ type: 'response.create' });
      await c.next('response.done');
      expect(lean.events('input_audio_buffer.append')[0]?.['audio']).toBe(`<${question.length * 2} bytes>`);
      expect(lean.events('response.output_audio.delta')[0]?.['delta']).toBe('<4800 bytes>');
      // The client still got the real audio.
      const first = c.events.find((e) => e.event.type === 'response.output_audio.delta')?.event as { delta: string };
      expect(Buffer.from(first.delta, 'base64').length).toBe(4800);
      c.rt.close();
    } finally {
      await lean.close();
    }
  });

  it('output_audio_buffer.clear is WebRTC-only and answered with an error over WebSocket', async () => {
    const c = await connect();
    c.rt.send({ type: 'output_audio_buffer.clear', event_id: 'evt_oab' });
    expect((await c.next('error')).error.event_id).toBe('evt_oab');
  });
});

describe('fake realtime server, transcription held for the reply (transcriptionAfterReplyStarts)', () => {
  it('sends the user transcription only after the reply has sent text, however long the reply takes to start', async () => {
    const held = await startFakeRealtime({ transcriptionAfterReplyStarts: true, transcriptionDelayMs: 0 });
    const c = connectSdkClient(held);
    try {
      await c.opened;
      c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null, transcription: { model: 'gpt-4o-transcribe' } } } } });
      await c.next('session.updated');
      held.slowFirstByte(400); // the reply's first delta waits 400 ms: a timer-based delay of 0 would be early
      speak(c);
      c.rt.send({ type: 'response.create' });
      await c.next('conversation.item.input_audio_transcription.completed');
      const types = c.events.map((e) => e.event.type);
      const firstText = types.indexOf('response.output_audio_transcript.delta');
      expect(firstText).toBeGreaterThan(-1);
      expect(types.indexOf('conversation.item.input_audio_transcription.completed')).toBeGreaterThan(firstText);
      expect(held.schemaErrors).toEqual([]);
    } finally {
      c.rt.close();
      await held.close();
    }
  });
});
