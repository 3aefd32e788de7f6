/**
 * The estimate both HTTP engines price a cut-off request from (engine/http/usage-estimate.ts), and how
 * the cascaded engine counts each of its requests (engine/cascaded/stage-bills.ts): reported usage when
 * the request finished, an estimate when it was cut off after it was sent, nothing when it failed
 * before the service answered.
 */
import { describe, expect, it } from 'vitest';
import { estimateChatUsage, estimatePrompt } from '../../../../main/voice/engine/http/usage-estimate.ts';
import { chatTools } from '../../../../main/voice/engine/http/chat-messages.ts';
import { priceBills } from '../../../../main/voice/engine/cascaded/stage-bills.ts';
import type { ChatBill, SpeechBill, TranscriptionBill } from '../../../../main/voice/engine/cascaded/stage-bills.ts';
import { chatUsd, speechUsd, transcriptionUsd } from '../../../../main/voice/cost/http-prices.ts';
import { emptyUsage } from '../../../../main/voice/cost/usage.ts';

const LIST_FILES = chatTools([
  { type: 'function', name: 'list_files', description: 'List files in an allowed folder.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
]);

describe('the shared estimate (DESIGN §3 figures)', () => {
  it('counts the messages at 4 characters a token with 3 tokens of framing each (+3 for the reply), audio at 1 token per 100 ms', () => {
    const wav = Buffer.alloc(44 + 48_000 * 2).toString('base64'); // 2 s of 24 kHz PCM16
    const p = estimatePrompt([
      { role: 'system', content: 'x'.repeat(40) },
      { role: 'user', content: [{ type: 'input_audio', input_audio: { data: wav, format: 'wav' } }] },
    ]);
    expect(p).toEqual({ textTokens: 10 + 2 * 3 + 3, audioTokens: 20 });
    expect(estimateChatUsage(p, { audioMs: 1000, textChars: 20 })).toEqual({ ...emptyUsage(), inputTextTokens: 19, inputAudioTokens: 20, outputAudioTokens: 20, outputTextTokens: 5 });
  });

  it('bills the tool definitions and earlier tool calls as prompt text, and leaves out an audio referred to by id', () => {
    const bare = estimatePrompt([{ role: 'user', content: 'List my files.' }]);
    const withTools = estimatePrompt([{ role: 'user', content: 'List my files.' }], LIST_FILES);
    expect(withTools.textTokens - bare.textTokens).toBe(Math.ceil((14 + JSON.stringify(LIST_FILES).length) / 4) - Math.ceil(14 / 4));
    const call = estimatePrompt([
      { role: 'user', content: 'List my files.' },
      { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_files', arguments: '{"path":"~/Documents"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '["notes.txt","todo.md"]' },
      { role: 'assistant', audio: { id: 'audio_1' } },
    ]);
    const chars = 14 + JSON.stringify({ name: 'list_files', arguments: '{"path":"~/Documents"}' }).length + 23;
    expect(call).toEqual({ textTokens: Math.ceil(chars / 4) + 4 * 3 + 3, audioTokens: 0 });
  });
});

const transcription = (over: Partial<TranscriptionBill> = {}): TranscriptionBill => ({
  stage: 'transcribe',
  model: 'gpt-transcribe',
  state: 'running',
  answered: false,
  usage: null,
  seconds: 3,
  promptChars: 0,
  textChars: 0,
  ...over,
});
const chat = (over: Partial<ChatBill> = {}): ChatBill => ({
  stage: 'chat',
  model: 'gpt-4.1-mini',
  state: 'running',
  answered: false,
  usage: null,
  prompt: { textTokens: 400, audioTokens: 0 },
  textChars: 0,
  ...over,
});
const speech = (over: Partial<SpeechBill> = {}): SpeechBill => ({
  stage: 'speech',
  model: 'gpt-4o-mini-tts',
  state: 'running',
  answered: false,
  usage: null,
  inputChars: 80,
  samples: 0,
  ...over,
});

describe('a cascaded round\'s requests, priced', () => {
  it('prices a finished request from its reported usage: exact, not estimated', () => {
    const done = priceBills([
      transcription({ state: 'done', answered: true, usage: { type: 'tokens', inputTokens: 30, outputTokens: 10 } }),
      chat({ state: 'done', answered: true, usage: { promptTokens: 420, cachedTokens: 100, completionTokens: 50 } }),
      speech({ state: 'done', answered: true, usage: { inputTokens: 20, outputTokens: 90 } }),
    ]);
    expect(done.estimated).toBe(false);
    expect(done.usage).toEqual({ ...emptyUsage(), inputAudioTokens: 30, inputTextTokens: 440, cachedTextTokens: 100, outputTextTokens: 60, outputAudioTokens: 90 });
    const usd = (transcriptionUsd('gpt-transcribe', { type: 'duration', seconds: 3 }, 3) ?? NaN) + (chatUsd('gpt-4.1-mini', { promptTokens: 420, cachedTokens: 100, completionTokens: 50 }) ?? NaN) + (speechUsd('gpt-4o-mini-tts', { inputTokens: 20, outputTokens: 90 }) ?? NaN);
    expect(done.usd).toBeCloseTo(usd, 15);
    expect(done.models).toEqual(['gpt-transcribe', 'gpt-4.1-mini', 'gpt-4o-mini-tts']);
  });

  it('estimates a request cut off while running: the prompt and the text so far, the speech text and its audio so far', () => {
    const cut = priceBills([chat({ answered: true, textChars: 120 }), speech({ answered: true, samples: 24_000 })]);
    expect(cut.estimated).toBe(true);
    // chat: 400 prompt tokens + 120 / 4 = 30 generated; speech: 80 / 4 = 20 text in, 1 s / 50 ms = 20 audio tokens out.
    expect(cut.usage).toEqual({ ...emptyUsage(), inputTextTokens: 420, outputTextTokens: 30, outputAudioTokens: 20 });
    expect(cut.usd).toBeCloseTo((400 * 0.4 + 30 * 1.6) / 1e6 + (20 * 0.6 + 20 * 12) / 1e6, 15);
    // Cut off before its headers came, a sent request is still billed for what it sent.
    expect(priceBills([chat()]).usd).toBeCloseTo((400 * 0.4) / 1e6, 15);
  });

  it('estimates a failed request only once the service had answered; one refused before that adds nothing', () => {
    const refused = priceBills([transcription({ state: 'failed' }), chat({ state: 'failed' }), speech({ state: 'failed' })]);
    expect(refused).toEqual({ usage: emptyUsage(), usd: 0, estimated: false, models: [] });
    const dropped = priceBills([chat({ state: 'failed', answered: true, textChars: 40 })]);
    expect(dropped.estimated).toBe(true);
    expect(dropped.usage.outputTextTokens).toBe(10);
  });

  it('prices a cut-off transcription by the seconds sent (per-minute model) or their audio tokens (token-priced model)', () => {
    const perMinute = priceBills([transcription({ seconds: 6, textChars: 40 })]);
    expect(perMinute.usd).toBeCloseTo((6 / 60) * 0.0045, 15);
    expect(perMinute.usage.inputAudioTokens).toBe(0); // billed by the minute, not in tokens
    const perToken = priceBills([transcription({ model: 'gpt-4o-mini-transcribe', seconds: 6, promptChars: 20, textChars: 40 })]);
    // 6 s at 1 token per 100 ms + a 5-token prompt in; 10 tokens of text out.
    expect(perToken.usage).toEqual({ ...emptyUsage(), inputAudioTokens: 65, outputTextTokens: 10 });
    expect(perToken.usd).toBeCloseTo((65 * 1.25 + 10 * 5) / 1e6, 15);
    expect(perToken.estimated).toBe(true);
  });

  it('keeps an unknown model unknown (null), never zero, estimated or not', () => {
    expect(priceBills([chat({ model: 'my-local-llm', textChars: 10 })]).usd).toBeNull();
    expect(priceBills([speech({ model: 'kokoro', samples: 4800 })]).usd).toBeNull();
    // A finished speech request whose server reports no usage (raw PCM): unknown, as before.
    expect(priceBills([speech({ state: 'done', answered: true, samples: 4800 })]).usd).toBeNull();
  });
});
