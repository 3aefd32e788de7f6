/** The SDK-derived schema of the fake's HTTP endpoints: what passes, what fails and how it is named. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requestIssues, responseIssues } from '../../support/fake-openai-http/schema.ts';

const schema = JSON.parse(readFileSync(new URL('../../support/fake-openai-http/openai-http.schema.json', import.meta.url), 'utf8')) as { $comment: string };
const sdkVersion = (JSON.parse(readFileSync(new URL('../../../node_modules/openai/package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('openai-http schema', () => {
  it('was generated from the installed openai SDK (re-run scripts/gen-openai-http-schema.ts after an upgrade)', () => {
    expect(schema.$comment).toContain(`openai@${sdkVersion} `);
  });

  it('accepts what the engines send', () => {
    expect(requestIssues('chat', { model: 'gpt-4.1-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'list_files', parameters: { type: 'object' } } }], tool_choice: 'auto' })).toEqual([]);
    expect(requestIssues('chat', { model: 'gpt-audio', modalities: ['text', 'audio'], audio: { voice: 'marin', format: 'pcm16' }, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }] }, { role: 'assistant', audio: { id: 'audio_1' } }] })).toEqual([]);
    expect(requestIssues('speech', { model: 'gpt-4o-mini-tts', voice: 'marin', input: 'Hello.', instructions: 'Calm.', response_format: 'pcm', stream_format: 'sse', speed: 1.2 })).toEqual([]);
    expect(requestIssues('transcription', { model: 'gpt-4o-mini-transcribe', stream: false, language: 'en', include: ['logprobs'], chunking_strategy: 'auto' })).toEqual([]);
  });

  it('names the wrong field: unknown, missing, wrong value, wrong member of a union', () => {
    expect(requestIssues('chat', { model: 'x', messages: [], modalites: ['audio'] })[0]).toMatchObject({ code: 'unknown_parameter', param: 'modalites' });
    expect(requestIssues('chat', { messages: [] })[0]).toMatchObject({ code: 'missing_required_parameter', param: 'model' });
    expect(requestIssues('chat', { model: 'x', messages: [{ role: 'tool', content: 'x' }] })[0]).toMatchObject({ code: 'missing_required_parameter', param: 'messages.0.tool_call_id' });
    expect(requestIssues('chat', { model: 'x', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'ogg' } }] }] })[0]).toMatchObject({ param: 'messages.0.content.0.input_audio.format' });
    expect(requestIssues('speech', { model: 'tts-1', voice: 'alloy', input: 'x', response_format: 'pcm16' })[0]).toMatchObject({ code: 'invalid_value', param: 'response_format' });
    expect(requestIssues('transcription', { model: 'whisper-1', include: ['words'] })[0]).toMatchObject({ param: 'include.0' });
    expect(requestIssues('chat', 'text')[0]?.code).toBe('invalid_type');
  });

  it('checks what the fake sends: a chunk without choices, an event of an unknown type', () => {
    expect(responseIssues('chat.chunk', { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [] })).toEqual([]);
    expect(responseIssues('chat.chunk', { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [] }).length).toBeGreaterThan(0);
    expect(responseIssues('transcription.event', { type: 'transcript.text.delta', delta: 'x' })).toEqual([]);
    expect(responseIssues('transcription.event', { type: 'transcript.delta', delta: 'x' }).length).toBeGreaterThan(0);
    expect(responseIssues('speech.event', { type: 'speech.audio.done', usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } })).toEqual([]);
    expect(responseIssues('speech.event', { type: 'speech.audio.delta' })[0]).toMatch(/audio/);
    expect(responseIssues('error', { error: { message: 'x', type: 'y', param: null } })[0]).toMatch(/code/);
  });
});
