/**
 * The current Realtime models against the fake server (issue 10, "Realtime, current"): reasoning
 * effort only for the models that reason, the dated price table with image tokens, unknown cost for
 * a model without a price, gpt-transcribe with keywords/languages and its automatic fallback, and
 * retention-ratio truncation. Every client event is checked against the JSON Schema generated from
 * the openai SDK's types (test/support/fake-realtime/realtime-events.schema.json).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TurnMetrics } from '../../../preload/contract.ts';
import { startFakeRealtime, validateClientEvent, validateServerEvent } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime, RealtimeEventJson } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { makeHarness } from './harness.ts';
import { finishSessionTest } from './session-test-kit.ts';
import type { Harness } from './harness.ts';

let question: Int16Array;
let fake: FakeRealtime | null = null;
let h: Harness | null = null;

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});

afterEach(async () => {
  await finishSessionTest(fake, h);
  h = null;
  fake = null;
});

type Session = Record<string, unknown> & { audio: { input: { transcription: Record<string, unknown> | null } } };
const sessionUpdates = (f: FakeRealtime): Session[] =>
  f.received.filter((r) => r.event.type === 'session.update').map((r) => r.event['session'] as Session);

/** The cost of a turn's usage at the given $/M rates, computed here from the token counts. */
function priced(m: TurnMetrics, text: [number, number, number], audio: [number, number, number], image: [number, number] = [0, 0]): number {
  const u = m.usage;
  const imageIn = u.inputImageTokens ?? 0;
  const imageCached = u.cachedImageTokens ?? 0;
  return (
    ((u.inputTextTokens - u.cachedTextTokens) * text[0] +
      u.cachedTextTokens * text[1] +
      u.outputTextTokens * text[2] +
      (u.inputAudioTokens - u.cachedAudioTokens) * audio[0] +
      u.cachedAudioTokens * audio[1] +
      u.outputAudioTokens * audio[2] +
      (imageIn - imageCached) * image[0] +
      imageCached * image[1]) /
    1e6
  );
}

describe('gpt-realtime-2.1 with a reasoning effort', () => {
  it('sends reasoning.effort medium in a schema-valid session.update, and prices the turn from the 2026-11-25 table', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, {
      model: 'gpt-realtime-2.1',
      reasoningEffort: 'medium',
      transcription: { model: 'gpt-transcribe', keywords: ['Earshot', 'Wayland'], languages: ['en', 'de'] },
    });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    expect(rec.userText).toBe('What files are in my documents folder?');

    const update = fake.received.find((r) => r.event.type === 'session.update')?.event;
    expect(update).toBeDefined();
    expect(validateClientEvent(update)).toEqual([]);
    const session = update?.['session'] as Session;
    expect(session['model']).toBe('gpt-realtime-2.1');
    expect(session['reasoning']).toEqual({ effort: 'medium' });
    expect(session.audio.input.transcription).toEqual({ model: 'gpt-transcribe', keywords: ['Earshot', 'Wayland'], languages: ['en', 'de'] });
    // The fake applied it: session.updated echoes the reasoning back.
    const updated = await fake.waitFor('session.updated');
    expect((updated['session'] as Record<string, unknown>)['reasoning']).toEqual({ effort: 'medium' });

    const m = h.rec.metrics[0];
    if (!m) throw new Error('no turn metrics');
    expect(m.model).toBe('gpt-realtime-2.1');
    expect(m.usage.outputTextTokens).toBeGreaterThan(0);
    expect(m.usage.outputAudioTokens).toBeGreaterThan(0);
    // text in/cached/out 4 / 0.40 / 24, audio 32 / 0.40 / 64 $ per 1M tokens.
    expect(m.costUsd).toBeCloseTo(priced(m, [4, 0.4, 24], [32, 0.4, 64]), 12);
    // The old gpt-realtime table (text out 16) would give less: the new table is in use.
    expect(m.costUsd).toBeGreaterThan(priced(m, [4, 0.4, 16], [32, 0.4, 64]));
    expect(m.costUnknown).toBeUndefined();
    console.log('gpt-realtime-2.1 turn usage', JSON.stringify(m.usage), 'cost $', m.costUsd.toFixed(6));
  });

  it('prices image tokens the service reports in response.done (5 $/M in, 0.50 $/M cached)', async () => {
    fake = await startFakeRealtime();
    const usages: unknown[] = [];
    // The service reports images in input_token_details.image_tokens; add 1000 (400 cached) to the fake's usage.
    fake.interceptServerEvents((e: RealtimeEventJson) => {
      if (e.type !== 'response.done') return [e];
      const response = structuredClone(e['response']) as { usage: { input_tokens: number; total_tokens: number; input_token_details: Record<string, unknown> } };
      const d = response.usage.input_token_details as { image_tokens: number; cached_tokens: number; cached_tokens_details: { image_tokens: number } };
      d.image_tokens = 1000;
      d.cached_tokens += 400;
      d.cached_tokens_details.image_tokens = 400;
      response.usage.input_tokens += 1000;
      response.usage.total_tokens += 1000;
      const out = { ...e, response };
      usages.push(out);
      return [out];
    });
    h = makeHarness(fake, { model: 'gpt-realtime-2.1' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    for (const u of usages) expect(validateServerEvent(u)).toEqual([]);
    const m = h.rec.metrics[0];
    if (!m) throw new Error('no turn metrics');
    expect(m.usage.inputImageTokens).toBe(1000);
    expect(m.usage.cachedImageTokens).toBe(400);
    expect(m.costUsd).toBeCloseTo(priced(m, [4, 0.4, 24], [32, 0.4, 64], [5, 0.5]), 12);
    expect(m.costUsd - priced(m, [4, 0.4, 24], [32, 0.4, 64])).toBeCloseTo((600 * 5 + 400 * 0.5) / 1e6, 12);
  });
});

describe('models without reasoning', () => {
  it('gpt-realtime-2.1-mini: no reasoning on the wire although an effort is set; priced at 0.60 / 0.06 / 2.40 and 10 / 0.30 / 20', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { model: 'gpt-realtime-2.1-mini', reasoningEffort: 'high' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    const [session] = sessionUpdates(fake);
    expect(session?.['model']).toBe('gpt-realtime-2.1-mini');
    expect(session).not.toHaveProperty('reasoning');
    const m = h.rec.metrics[0];
    if (!m) throw new Error('no turn metrics');
    expect(m.costUsd).toBeGreaterThan(0);
    expect(m.costUsd).toBeCloseTo(priced(m, [0.6, 0.06, 2.4], [10, 0.3, 20]), 12);
  });

  it('gpt-realtime-1.5: no reasoning, and with no price read for it the cost is unknown (never $0 as if free)', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { model: 'gpt-realtime-1.5', reasoningEffort: 'xhigh' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    const [session] = sessionUpdates(fake);
    expect(session?.['model']).toBe('gpt-realtime-1.5');
    expect(session).not.toHaveProperty('reasoning');
    expect(rec.costUsd).toBeNull();
    const m = h.rec.metrics[0];
    expect(m?.costUnknown).toBe(true);
    expect(m?.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(h.rec.notices.filter((n) => n.subject === 'cost').map((n) => n.message)).toEqual([
      'Cost unknown: no price for gpt-realtime-1.5 in the price table (read 2026-11-25).',
    ]);
  });
});

describe('transcription model fallback', () => {
  it('gpt-transcribe refused: the session.update goes again with gpt-4o-mini-transcribe, the user is told once, and turns work (also after a reconnect)', async () => {
    fake = await startFakeRealtime({ refuseTranscriptionModels: ['gpt-transcribe'] });
    h = makeHarness(fake, { transcription: { model: 'gpt-transcribe', keywords: ['Earshot'], languages: ['en'] }, reconnectInitialDelayMs: 50 });
    // At real-time pace, as a person speaks: the refusal comes back long before the key is released.
    const first = await h.talk(question.subarray(0, 24000), { realtime: true });
    expect(first.outcome).toBe('completed');
    expect(first.userText).toBe('What files are in my documents folder?');
    expect(first.assistantText).toBe(fake.replyTranscript);

    const refusal = fake.events('error')[0];
    expect(refusal?.['error']).toMatchObject({ type: 'invalid_request_error', param: 'session.audio.input.transcription.model' });
    const updates = sessionUpdates(fake);
    expect(updates.map((u) => u.audio.input.transcription?.['model'])).toEqual(['gpt-transcribe', 'gpt-4o-mini-transcribe']);
    // keywords / languages are gpt-transcribe's: the fallback model is sent neither.
    expect(updates[0]?.audio.input.transcription).toEqual({ model: 'gpt-transcribe', keywords: ['Earshot'], languages: ['en'] });
    expect(updates[1]?.audio.input.transcription).toEqual({ model: 'gpt-4o-mini-transcribe' });
    const told = (): string[] => (h?.rec.notices ?? []).map((n) => n.message).filter((m) => m.includes('was refused'));
    expect(told()).toHaveLength(1);
    expect(told()[0]).toContain('gpt-transcribe was refused; using gpt-4o-mini-transcribe');

    // The next session (the connection dropped) starts with the fallback at once, and says nothing again.
    fake.dropNow();
    const start = Date.now();
    while (fake.connections < 2 || !h.session.status().state.startsWith('idle')) {
      if (Date.now() - start > 10_000) throw new Error('no reconnect');
      await new Promise((r) => setTimeout(r, 10));
    }
    const second = await h.talk(question.subarray(0, 24000), { realtime: true });
    expect(second.outcome).toBe('completed');
    expect(second.userText).toBe('What files are in my documents folder?');
    const onSecond = fake.received.filter((r) => r.connection === 2 && r.event.type === 'session.update').map((r) => (r.event['session'] as Session).audio.input.transcription?.['model']);
    expect(onSecond[0]).toBe('gpt-4o-mini-transcribe');
    expect(fake.events('error')).toHaveLength(1);
    expect(told()).toHaveLength(1);
  });
});

describe('retention-ratio truncation', () => {
  it('puts truncation {type: retention_ratio, retention_ratio, token_limits.post_instructions} on the wire, schema-valid', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake, { truncation: { type: 'retention_ratio', retentionRatio: 0.7, postInstructionsTokens: 8000 } });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    const [session] = sessionUpdates(fake);
    expect(session?.['truncation']).toEqual({ type: 'retention_ratio', retention_ratio: 0.7, token_limits: { post_instructions: 8000 } });
    const updated = await fake.waitFor('session.updated');
    expect((updated['session'] as Record<string, unknown>)['truncation']).toEqual({ type: 'retention_ratio', retention_ratio: 0.7, token_limits: { post_instructions: 8000 } });

    // Changed mid-conversation: the next session.update carries the new ratio without token limits.
    h.session.updateConfig({ truncation: { type: 'retention_ratio', retentionRatio: 0.5 } });
    const next = await fake.waitForNext('session.update');
    expect((next['session'] as Record<string, unknown>)['truncation']).toEqual({ type: 'retention_ratio', retention_ratio: 0.5 });
  });
});
