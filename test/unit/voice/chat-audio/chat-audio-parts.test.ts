/** The chat-audio engine's parts on their own: the re-sent conversation, usage and price; and images through the engine. */
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIO_ID_MARGIN_MS, ChatAudioConversation } from '../../../../main/voice/engine/chat-audio/conversation.ts';
import type { AssistantEntry } from '../../../../main/voice/engine/chat-audio/conversation.ts';
import { usageFromCompletion } from '../../../../main/voice/engine/chat-audio/chat-usage.ts';
import { chatAudioCost } from '../../../../main/voice/engine/chat-audio/pricing.ts';
import { ChatAudioEngine } from '../../../../main/voice/engine/chat-audio/chat-audio-engine.ts';
import { MISSING_TOOL_OUTPUT } from '../../../../main/voice/engine/http/chat-messages.ts';
import type { EngineError, EngineListener, ResponseSummary } from '../../../../main/voice/engine/engine.ts';
import { VoiceConfigSchema } from '../../../../main/voice/config.ts';
import { systemClock } from '../../../../main/base/clock.ts';
import { nullLogger } from '../../../../main/base/logger.ts';
import { startFakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import { CHAT, chatBody, until } from '../http/session-kit.ts';

function assistant(itemId: string, over: Partial<AssistantEntry> = {}): AssistantEntry {
  return { kind: 'assistant', itemId, audioId: null, expiresAtMs: null, text: '', heard: null, toolCalls: [], ...over };
}

describe('the conversation re-sent each turn', () => {
  it('uses an audio id only while it is valid with a margin, and never for an interrupted answer', () => {
    const c = new ChatAudioConversation();
    const now = 1_000_000_000;
    c.add({ kind: 'user-text', itemId: 'u1', text: 'Hi' });
    c.add(assistant('a1', { audioId: 'audio_1', expiresAtMs: now + AUDIO_ID_MARGIN_MS + 1000, text: 'Hello there.' }));
    c.add(assistant('a2', { audioId: 'audio_2', expiresAtMs: now + AUDIO_ID_MARGIN_MS - 1000, text: 'Soon gone.' }));
    c.add(assistant('a3', { audioId: null, text: 'Cut off here and more.', heard: 'Cut off here' }));
    const m = c.toMessages({ instructions: '', turnStart: 4, nowMs: now, replayTurns: 10 });
    expect(m[1]).toEqual({ role: 'assistant', audio: { id: 'audio_1' } });
    expect(m[2]).toEqual({ role: 'assistant', content: 'Soon gone.' });
    expect((m[3] as { content: string }).content.startsWith('Cut off here… [interrupted')).toBe(true);
  });

  it('answers every tool call (a placeholder for one whose output never came) and sends only the last turns', () => {
    const c = new ChatAudioConversation();
    for (let i = 0; i < 5; i++) {
      c.add({ kind: 'user-text', itemId: `u${i}`, text: `question ${i}` });
      c.add(assistant(`a${i}`, { text: `answer ${i}` }));
    }
    c.add({ kind: 'user-text', itemId: 'u5', text: 'list files' });
    c.add(assistant('a5', { toolCalls: [{ id: 'call_a', name: 'list_files', arguments: '{}' }, { id: 'call_b', name: 'list_files', arguments: '{}' }] }));
    expect(c.setToolOutput('call_a', 'notes.txt')).toBe(true);
    expect(c.setToolOutput('call_unknown', 'x')).toBe(false);
    const m = c.toMessages({ instructions: 'Be brief.', turnStart: 10, nowMs: 0, replayTurns: 2 });
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'tool', 'tool']);
    expect(m[1]).toEqual({ role: 'user', content: 'question 3' });
    expect(m[7]).toEqual({ role: 'tool', tool_call_id: 'call_a', content: 'notes.txt' });
    expect(m[8]).toEqual({ role: 'tool', tool_call_id: 'call_b', content: MISSING_TOOL_OUTPUT });
  });
});

describe('usage and price', () => {
  it('splits the prompt into text and audio and prices gpt-audio from the dated table', () => {
    const u = usageFromCompletion({
      prompt_tokens: 130,
      completion_tokens: 90,
      total_tokens: 220,
      prompt_tokens_details: { audio_tokens: 30, cached_tokens: 50, text_tokens: 100 },
      completion_tokens_details: { audio_tokens: 70, text_tokens: 20 },
    });
    expect(u).toMatchObject({ inputTextTokens: 100, inputAudioTokens: 30, cachedTextTokens: 50, cachedAudioTokens: 0, outputTextTokens: 20, outputAudioTokens: 70 });
    const cost = chatAudioCost('gpt-audio-2025-08-28', u);
    expect(cost.usd).toBeCloseTo((100 * 2.5 + 20 * 10 + 30 * 32 + 70 * 64) / 1e6, 12);
    expect(chatAudioCost('gpt-audio', u, [0.001]).usd).toBeCloseTo((cost.usd ?? 0) + 0.001, 12);
    // Unknown, never zero: a model without a row, a transcription without a price, or images.
    expect(chatAudioCost('gpt-audio-mini', u).usd).toBeNull();
    expect(chatAudioCost('gpt-audio', u, [null]).usd).toBeNull();
    expect(chatAudioCost('gpt-audio', { ...u, inputImageTokens: 10 }).usd).toBeNull();
  });
});

// A 1×1 PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('images through the engine', () => {
  let fake: FakeOpenAIHttp | null = null;
  let engine: ChatAudioEngine | null = null;
  afterEach(async () => {
    await engine?.close();
    expect(fake?.schemaErrors ?? []).toEqual([]);
    await fake?.close();
    engine = null;
    fake = null;
  });

  function start(f: FakeOpenAIHttp, model: string): { errors: EngineError[]; done: ResponseSummary[] } {
    const errors: EngineError[] = [];
    const done: ResponseSummary[] = [];
    const noop = (): void => {};
    const listener: EngineListener = {
      connection: noop, inputCommitted: noop, speechStarted: noop, speechStopped: noop, responseStarted: noop, audio: noop, audioDone: noop,
      transcriptDelta: noop, transcriptDone: noop, outputText: noop, functionCall: noop, rateLimits: noop, responseLost: noop,
      responseDone: (s) => done.push(s),
      error: (e) => errors.push(e),
    };
    const config = VoiceConfigSchema.parse({ engine: 'chat-audio', chatAudio: { model } });
    engine = new ChatAudioEngine({
      config: () => config, tools: () => [], handsFreeOpen: () => false, clock: systemClock, logger: nullLogger, listener,
      credentials: async () => ({ apiKey: 'sk-test-abcdefghijklmnop', baseURL: f.baseURL }),
    });
    engine.ensureConnected();
    return { errors, done };
  }

  it('gpt-audio takes no images: a clear message before anything is sent, and the next typed turn works without it', async () => {
    fake = await startFakeOpenAIHttp({ speedup: 0 });
    const { errors, done } = start(fake, 'gpt-audio');
    engine?.sendUserImage('msg_img', { dataUrl: PNG, detail: 'low' }, 'What is this?', { textOnly: true });
    await until(() => done.length === 1, 'the refused response');
    expect(done[0]?.status).toBe('failed');
    expect(errors[0]).toMatchObject({ code: 'image_not_supported', fatal: false });
    expect(errors[0]?.message).toContain('gpt-audio cannot see images');
    expect(fake.requestsTo(CHAT)).toHaveLength(0);
    engine?.sendUserText('msg_2', 'Never mind.', { textOnly: true });
    await until(() => done.length === 2, 'the next response');
    expect(done[1]?.status).toBe('completed');
    // The refused message is not sent again (it would fail every later request).
    expect(chatBody(fake.requestsTo(CHAT)[0]).messages.slice(1)).toEqual([{ role: 'user', content: 'Never mind.' }]);
  });

  it('a model of another family gets the image as an image_url part', async () => {
    fake = await startFakeOpenAIHttp({ speedup: 0 });
    const { done } = start(fake, 'vision-audio-local');
    engine?.sendUserImage('msg_img', { dataUrl: PNG, detail: 'high' }, 'What is this?', { textOnly: true });
    await until(() => done.length === 1, 'the response');
    expect(chatBody(fake.requestsTo(CHAT)[0]).messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: PNG, detail: 'high' } },
        { type: 'text', text: 'What is this?' },
      ],
    });
    expect(done[0]?.cost.usd).toBeNull(); // no price for that model: unknown, not zero
  });
});
