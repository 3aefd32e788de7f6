/**
 * What a cascaded turn costs when it is cut off: the service bills a request it read and began to
 * answer even when the client gives up, and such a request reports no usage. The engine then prices it
 * from an estimate (engine/http/usage-estimate.ts, engine/cascaded/stage-bills.ts) and the turn's
 * figures say "estimated"; a complete turn keeps the exact usage the fake reported, and a request
 * refused before anything was sent adds nothing.
 *
 * "What the service reports" is read by asking the fake again with the very request the engine sent
 * (the fake's usage is a function of the request), so the test does not restate the fake's rules.
 */
import { createServer } from 'node:net';
import OpenAI, { toFile } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/base/logger.ts';
import { nullLogger } from '../../../../main/base/logger.ts';
import { chatUsd, speechUsd, transcriptionUsd } from '../../../../main/voice/cost/http-prices.ts';
import { assistantAudioTokens } from '../../../../main/voice/engine/http/usage-estimate.ts';
import type { FakeOpenAIHttp, HttpRecord } from '../../../support/fake-openai-http/index.ts';
import type { Harness } from '../harness.ts';
import { API_KEY, CHAT, SPEECH, TRANSCRIBE, httpSessionTests, played, until } from '../http/session-kit.ts';

const t = httpSessionTests('cascaded');

/** A long answer, so the chat stream (and its speech) is still running when the user cuts in. */
const LONG_ANSWER =
  'Your documents folder holds notes.txt with the minutes of Tuesday, todo.md with seven open tasks for this week, an old folder of papers from the flat you sold last spring, three scanned letters from the bank, a spreadsheet of the household budget, and a draft of the letter to the landlord about the broken heating that you started on Sunday evening.';

const client = (fake: FakeOpenAIHttp): OpenAI => new OpenAI({ apiKey: API_KEY, baseURL: fake.baseURL, maxRetries: 0 });

/** The usage the fake reports for a chat request the engine sent (asked again, not streamed). */
async function reportedChat(fake: FakeOpenAIHttp, r: HttpRecord | undefined): Promise<{ prompt: number; completion: number }> {
  const { stream: _stream, stream_options: _options, ...body } = (r?.json ?? {}) as Record<string, unknown>;
  const answer = await client(fake).chat.completions.create({ ...body, stream: false } as unknown as ChatCompletionCreateParamsNonStreaming);
  return { prompt: answer.usage?.prompt_tokens ?? NaN, completion: answer.usage?.completion_tokens ?? NaN };
}

/** The usage the fake reports for a speech request the engine sent (its `speech.audio.done` event). */
async function reportedSpeech(fake: FakeOpenAIHttp, r: HttpRecord): Promise<{ input: number; output: number }> {
  const res = await fetch(`${fake.baseURL}/audio/speech`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(r.json) });
  for (const line of (await res.text()).split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const e = JSON.parse(line.slice(6)) as { type: string; usage?: { input_tokens: number; output_tokens: number } };
    if (e.type === 'speech.audio.done' && e.usage) return { input: e.usage.input_tokens, output: e.usage.output_tokens };
  }
  throw new Error('no speech.audio.done with usage');
}

/** The usage the fake reports for a transcription request the engine sent (asked again, not streamed). */
async function reportedTranscription(fake: FakeOpenAIHttp, r: HttpRecord): Promise<{ input: number; output: number }> {
  const file = r.files[0];
  if (!file) throw new Error('no file in the transcription request');
  const answer = await client(fake).audio.transcriptions.create({ file: await toFile(file.bytes, file.filename, { type: file.contentType }), model: String(r.form?.['model']), response_format: 'json' });
  const u = answer.usage;
  if (u?.type !== 'tokens') throw new Error('expected token usage from the fake');
  return { input: u.input_tokens, output: u.output_tokens };
}

/** A logger that keeps the debug messages (the engine logs "cascaded: chat first chunk"). */
function keptLog(): Logger & { messages: string[] } {
  const messages: string[] = [];
  return { ...nullLogger, messages, debug: (m) => void messages.push(m) };
}

/** A port nothing listens on: a request to it is refused before anything is sent. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const lastMetrics = (h: Harness) => h.rec.metrics.at(-1);

describe('cascaded engine: the cost of a cut-off turn', () => {
  it('a complete turn keeps the exact usage each stage reported: not estimated', async () => {
    const { fake, h } = await t.start();
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(rec.costEstimated).toBe(false);
    expect(lastMetrics(h)?.costEstimated).toBe(false);

    const seconds = t.speech.question.length / 24_000;
    const tr = await reportedTranscription(fake, fake.requestsTo(TRANSCRIBE)[0] as HttpRecord);
    const ch = await reportedChat(fake, fake.requestsTo(CHAT)[0]);
    const speech = fake.requestsTo(SPEECH);
    const sp = await Promise.all(speech.map((r) => reportedSpeech(fake, r)));
    const speechIn = sp.reduce((n, s) => n + s.input, 0);
    const speechOut = sp.reduce((n, s) => n + s.output, 0);
    expect(rec.usage).toMatchObject({
      inputAudioTokens: tr.input,
      inputTextTokens: ch.prompt + speechIn,
      outputTextTokens: tr.output + ch.completion,
      outputAudioTokens: speechOut,
    });
    const usd =
      (transcriptionUsd('gpt-transcribe', { type: 'duration', seconds }, seconds) ?? NaN) +
      (chatUsd('gpt-4.1-mini', { promptTokens: ch.prompt, cachedTokens: 0, completionTokens: ch.completion }) ?? NaN) +
      sp.reduce((sum, s) => sum + (speechUsd('gpt-4o-mini-tts', { inputTokens: s.input, outputTokens: s.output }) ?? NaN), 0);
    expect(rec.costUsd).toBeCloseTo(usd, 12);
    console.log(`complete cascaded turn: $${rec.costUsd?.toFixed(6)} (exact), usage ${JSON.stringify(rec.usage)}`);
  });

  it('a barge-in during the chat stream bills the prompt it sent: cost > 0, estimated, chat tokens ≈ the prompt', async () => {
    const log = keptLog();
    // The whole answer is spoken at once (no pipelining), so no speech request runs during the chat
    // stream and the turn's input text tokens are the chat prompt's alone; the stream is slow (50 ms a word).
    const { fake, h } = await t.start({ logger: log, config: { cascaded: { pipelineSentences: false } }, fake: { delays: { chatTokenMs: 50 } } });
    fake.scriptChat({ text: LONG_ANSWER });
    const first = h.talk(t.speech.question);
    await until(() => log.messages.includes('cascaded: chat first chunk'), 'the chat stream under way');
    const second = h.talk(t.speech.followup); // the key press cuts the answer off
    const cut = await first;
    expect(cut.outcome).toBe('interrupted');
    expect(cut.assistantText).toBe(''); // cut off before a word of it was spoken
    expect(fake.requestsTo(SPEECH)).toHaveLength(0);
    const m = h.rec.metrics.find((x) => x.turnId === cut.turnId);
    expect(m?.costEstimated).toBe(true);
    expect(cut.costEstimated).toBe(true);
    expect(cut.costUsd).toBeGreaterThan(0);
    // The chat part: all of it but the transcription (by the minute) is the chat's estimate.
    const seconds = t.speech.question.length / 24_000;
    const transcription = transcriptionUsd('gpt-transcribe', { type: 'duration', seconds }, seconds) ?? NaN;
    expect(cut.costUsd ?? 0).toBeGreaterThan(transcription);
    // The prompt as the fake bills it, for the very request the engine sent. The fake counts 4
    // characters a token per message (rounded up) plus 4 tokens of framing each; the estimate counts 4
    // characters a token over the prompt plus 3 a message and 3 for the reply (usage-estimate.ts). With
    // n messages they differ by at most about n + 3 tokens: 2 messages and the tools here, some 90
    // tokens, so within 10 %. (Against a real tokenizer, English runs at about 4 characters a token and
    // JSON schemas denser, so the estimate may be some 20–30 % low on a tool-heavy prompt; the bound
    // here checks the counting, not the tokenizer.)
    const reported = await reportedChat(fake, fake.requestsTo(CHAT)[0]);
    expect(reported.prompt).toBeGreaterThan(50);
    expect(cut.usage.inputTextTokens / reported.prompt).toBeGreaterThan(0.9);
    expect(cut.usage.inputTextTokens / reported.prompt).toBeLessThan(1.1);
    const next = await second;
    expect(next.outcome).toBe('completed');
    expect(next.costEstimated).toBe(false);
    console.log(
      `barge-in during the chat stream: $${cut.costUsd?.toFixed(6)} (estimated; transcription $${transcription.toFixed(6)}), chat prompt estimated ${cut.usage.inputTextTokens} tokens vs ${reported.prompt} reported; the next, complete turn: $${next.costUsd?.toFixed(6)}`,
    );
  });

  it('stopping a text answer mid-stream bills the prompt and the text received', async () => {
    const { fake, h } = await t.start({ fake: { delays: { chatTokenMs: 40 } } });
    fake.scriptChat({ text: LONG_ANSWER });
    const sent = h.session.sendText('What is in my documents folder?', 'text');
    if (!sent.sent) throw new Error(sent.reason);
    const shown = (): string => h.rec.transcripts.filter((x) => x.role === 'assistant').at(-1)?.text ?? '';
    await until(() => shown().length >= 40, 'some of the answer shown');
    h.session.stopSpeaking();
    const cut = await h.waitTurn(sent.turnId);
    expect(cut.outcome).toBe('interrupted');
    expect(cut.assistantText.length).toBeLessThan(LONG_ANSWER.length); // cut off
    expect(cut.costEstimated).toBe(true);
    const reported = await reportedChat(fake, fake.requestsTo(CHAT)[0]);
    expect(cut.usage.inputTextTokens / reported.prompt).toBeGreaterThan(0.9);
    expect(cut.usage.inputTextTokens / reported.prompt).toBeLessThan(1.1);
    // At least what was shown was generated (4 characters a token), and less than the whole answer.
    expect(cut.usage.outputTextTokens).toBeGreaterThanOrEqual(Math.ceil(shown().length / 4));
    expect(cut.usage.outputTextTokens).toBeLessThan(Math.ceil(LONG_ANSWER.length / 4));
    expect(cut.costUsd).toBeCloseTo((cut.usage.inputTextTokens * 0.4 + cut.usage.outputTextTokens * 1.6) / 1e6, 15);
    console.log(`stop of a text answer: $${cut.costUsd?.toFixed(6)} (estimated), prompt ${cut.usage.inputTextTokens} tokens vs ${reported.prompt} reported, ${cut.usage.outputTextTokens} tokens of text received (${shown().length} characters shown)`);
  });

  it('a stop during speech counts the speech request in flight: its text and the audio received', async () => {
    // Real-time speech: the one long sentence takes many seconds to arrive; the user stops it early.
    const { fake, h } = await t.start({ fake: { speedup: 1 } });
    fake.scriptChat({ text: LONG_ANSWER });
    h.playback.hold = true;
    const ended = h.talk(t.speech.question);
    await until(() => played(h) >= 12_000, 'half a second of the answer');
    h.session.stopSpeaking();
    const cut = await ended;
    expect(cut.outcome).toBe('interrupted');
    expect(fake.requestsTo(SPEECH)).toHaveLength(1); // the only speech request was cut off
    expect(cut.costEstimated).toBe(true);
    // What arrived of the speech, at 1 token per 50 ms (all of it reached the player before the stop).
    expect(cut.usage.outputAudioTokens).toBe(assistantAudioTokens(played(h) / 24));
    expect(cut.usage.outputAudioTokens).toBeGreaterThanOrEqual(10);
    // Its input: the sentence sent, at 4 characters a token, beside the chat's reported prompt.
    const chat = await reportedChat(fake, fake.requestsTo(CHAT)[0]);
    const sentChars = String((fake.requestsTo(SPEECH)[0]?.json as { input: string }).input).length;
    expect(cut.usage.inputTextTokens).toBe(chat.prompt + Math.ceil(sentChars / 4));
    console.log(`stop during speech: $${cut.costUsd?.toFixed(6)} (estimated), ${played(h) / 24} ms of speech received → ${cut.usage.outputAudioTokens} audio tokens, ${sentChars} characters sent`);
  });

  it('a request refused before anything was sent adds nothing: no cost, not estimated', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const { h } = await t.start({ config: { cascaded: { transcribe: { baseURL: url, model: 'gpt-transcribe', keySource: 'openai' } } }, cascaded: { maxRetries: 0 } });
    const failed = await h.talk(t.speech.question);
    expect(failed.outcome).toBe('failed');
    expect(failed.costUsd).toBe(0);
    expect(failed.costEstimated).toBe(false);
    expect(lastMetrics(h)).toMatchObject({ costUsd: 0, costEstimated: false });
  });

  it('a chat stage refused before sending leaves only the exact transcription cost', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const { h } = await t.start({ config: { cascaded: { chat: { baseURL: url, model: 'gpt-4.1-mini', keySource: 'openai' } } }, cascaded: { maxRetries: 0 } });
    const failed = await h.talk(t.speech.question);
    expect(failed.outcome).toBe('failed');
    const seconds = t.speech.question.length / 24_000;
    expect(failed.costUsd).toBeCloseTo(transcriptionUsd('gpt-transcribe', { type: 'duration', seconds }, seconds) ?? NaN, 15);
    expect(failed.costEstimated).toBe(false);
  });

  it('a chat stream dropped mid-answer is billed from an estimate', async () => {
    const { fake, h } = await t.start({ cascaded: { maxRetries: 0 } });
    fake.dropMidStream(CHAT, { afterChunks: 3 });
    const failed = await h.talk(t.speech.question);
    expect(failed.outcome).toBe('failed');
    expect(failed.costEstimated).toBe(true);
    const reported = await reportedChat(fake, fake.requestsTo(CHAT)[0]);
    expect(failed.usage.inputTextTokens / reported.prompt).toBeGreaterThan(0.9);
    expect(failed.usage.inputTextTokens / reported.prompt).toBeLessThan(1.1);
  });
});
