/** The SDK-derived schema: GA events pass, beta-era events fail, and the documented patches hold. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientEventIssues, knownEventTypes, validateClientEvent, validateServerEvent } from '../../support/fake-realtime/schema.ts';

const gaSessionUpdate = {
  type: 'session.update',
  event_id: 'evt_1',
  session: {
    type: 'realtime',
    output_modalities: ['audio'],
    instructions: 'Be brief.',
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        turn_detection: null,
        transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' },
        noise_reduction: { type: 'near_field' },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
    },
    tools: [{ type: 'function', name: 'list_files', description: 'List files', parameters: { type: 'object', properties: {} } }],
    tool_choice: 'auto',
  },
};

describe('client events', () => {
  it('accepts the GA events a push-to-talk client sends', () => {
    expect(validateClientEvent(gaSessionUpdate)).toEqual([]);
    expect(validateClientEvent({ type: 'input_audio_buffer.append', audio: 'AAAA' })).toEqual([]);
    expect(validateClientEvent({ type: 'input_audio_buffer.commit' })).toEqual([]);
    expect(validateClientEvent({ type: 'response.create' })).toEqual([]);
    expect(validateClientEvent({ type: 'response.cancel' })).toEqual([]);
    expect(validateClientEvent({ type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 1500 })).toEqual([]);
    expect(validateClientEvent({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' } })).toEqual([]);
  });

  it('rejects beta-era session fields and names the field', () => {
    const issues = clientEventIssues({ type: 'session.update', session: { type: 'realtime', modalities: ['audio', 'text'] } });
    expect(issues[0]).toMatchObject({ code: 'unknown_parameter', param: 'session.modalities' });
    expect(validateClientEvent({ type: 'session.update', session: { type: 'realtime', input_audio_format: 'pcm16' } })[0]).toContain('session.input_audio_format');
    expect(validateClientEvent({ type: 'session.update', session: { type: 'realtime', voice: 'alloy' } })[0]).toContain('session.voice');
  });

  it('rejects a session.update without session.type and a wrong input rate', () => {
    expect(clientEventIssues({ type: 'session.update', session: { instructions: 'x' } }).length).toBeGreaterThan(0);
    const rate = { ...gaSessionUpdate, session: { ...gaSessionUpdate.session, audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } } };
    expect(validateClientEvent(rate).length).toBeGreaterThan(0);
  });

  it('accepts null transcription and noise_reduction (documented, patched)', () => {
    const off = { type: 'session.update', session: { type: 'realtime', audio: { input: { transcription: null, noise_reduction: null } } } };
    expect(validateClientEvent(off)).toEqual([]);
  });

  it('rejects unknown event types and missing required fields', () => {
    expect(validateClientEvent({ type: 'response.audio.delta' })[0]).toContain("Invalid value: 'response.audio.delta'");
    expect(clientEventIssues({ type: 'input_audio_buffer.append' })[0]).toMatchObject({ code: 'missing_required_parameter', param: 'audio' });
    expect(validateClientEvent('not an object')).toHaveLength(1);
  });
});

describe('server events', () => {
  it('rejects the beta names for audio and transcript deltas', () => {
    const base = { event_id: 'e', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: 'AAAA' };
    expect(validateServerEvent({ type: 'response.audio.delta', ...base }).length).toBe(1);
    expect(validateServerEvent({ type: 'response.audio_transcript.delta', ...base }).length).toBe(1);
    expect(validateServerEvent({ type: 'response.output_audio.delta', ...base })).toEqual([]);
    expect(validateServerEvent({ type: 'response.output_audio_transcript.delta', ...base })).toEqual([]);
  });

  it('accepts the nulls the service sends (patched) and rejects a non-null wrong shape', () => {
    const response = { object: 'realtime.response', id: 'resp_1', status: 'in_progress', status_details: null, usage: null, output: [] };
    expect(validateServerEvent({ type: 'response.created', event_id: 'e', response })).toEqual([]);
    expect(validateServerEvent({ type: 'response.created', event_id: 'e', response: { ...response, usage: 'lots' } }).length).toBeGreaterThan(0);
    const session = { type: 'realtime', object: 'realtime.session', id: 'sess_1', expires_at: 1, include: null, model: 'gpt-realtime' };
    expect(validateServerEvent({ type: 'session.created', event_id: 'e', session })).toEqual([]);
    const userItem = { id: 'item_1', type: 'message', role: 'user', content: [{ type: 'input_audio', transcript: null }] };
    expect(validateServerEvent({ type: 'conversation.item.added', event_id: 'e', previous_item_id: null, item: userItem })).toEqual([]);
  });

  it('every patch is recorded with a reason, and the schema says where it came from', () => {
    const dir = new URL('../../support/fake-realtime/', import.meta.url);
    const patches = JSON.parse(readFileSync(new URL('realtime-events.patches.json', dir), 'utf8')) as { patches: { reason: string }[] };
    expect(patches.patches.length).toBeGreaterThanOrEqual(6);
    for (const p of patches.patches) expect(p.reason.length).toBeGreaterThan(20);
    const schema = JSON.parse(readFileSync(new URL('realtime-events.schema.json', dir), 'utf8')) as { $comment: string };
    expect(schema.$comment).toMatch(/openai@\d+\.\d+\.\d+/);
    expect(schema.$comment).toContain(`${patches.patches.length} patches`);
    const types = knownEventTypes();
    expect(types.client).toContain('session.update');
    expect(types.server).toContain('response.output_audio.delta');
    expect(types.server).not.toContain('response.audio.delta');
  });
});
