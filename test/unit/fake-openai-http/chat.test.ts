/** POST /v1/chat/completions of the fake (text and tools), driven by the real openai SDK. */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from './refusal.ts';
import { startFakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';
import type { FakeOpenAIHttp } from '../../support/fake-openai-http/index.ts';

let fake: FakeOpenAIHttp;
let client: OpenAI;
const PATH = '/v1/chat/completions';
const tools: ChatCompletionTool[] = [
  { type: 'function', function: { name: 'list_files', description: 'List a folder', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
  { type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
];
const question: ChatCompletionMessageParam = { role: 'user', content: 'What files are in my documents folder?' };

beforeAll(async () => {
  fake = await startFakeOpenAIHttp({ speedup: 0 });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 });
});
afterEach(() => {
  expect(fake.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
  fake.reset();
});
afterAll(() => fake.close());

describe('fake chat completions', () => {
  it('answers with the default text, then scripted text, with usage', async () => {
    const first = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question] });
    expect(first.choices[0]?.message.content).toBe(fake.replyTranscript);
    expect(first.choices[0]?.finish_reason).toBe('stop');
    fake.scriptChat({ text: 'Two files.' });
    const second = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question] });
    expect(second.choices[0]?.message.content).toBe('Two files.');
    // Usage is consistent: totals add up, a longer prompt costs more.
    const u = second.usage;
    expect(u && u.prompt_tokens + u.completion_tokens).toBe(u?.total_tokens);
    const longer = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question, { role: 'assistant', content: 'Two files.' }, { role: 'user', content: 'Read both of them to me from start to end, slowly.' }] });
    expect(longer.usage?.prompt_tokens).toBeGreaterThan(u?.prompt_tokens ?? Infinity);
  });

  it('streams text in word-sized chunks and a usage chunk when asked', async () => {
    fake.scriptChat({ text: 'You have three files in Documents.' });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('You have three files in Documents.');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(6);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams scripted tool calls as delta.tool_calls that the SDK assembles, finish_reason tool_calls', async () => {
    fake.scriptChat({ toolCalls: [{ name: 'list_files', arguments: { path: '~/Documents' } }, { name: 'read_file', arguments: '{"path":"~/Documents/budget.ods"}', id: 'call_fixed' }] });
    const runner = client.chat.completions.stream({ model: 'gpt-4.1-mini', messages: [question], tools });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : null))).toEqual([
      ['list_files', { path: '~/Documents' }],
      ['read_file', { path: '~/Documents/budget.ods' }],
    ]);
    expect(calls[1]?.id).toBe('call_fixed');
    expect(calls[0]?.id).toMatch(/^call_/);
  });

  it('enforces tool-call ordering: every tool_call_id answered by a tool message before anything else', async () => {
    fake.scriptChat({ toolCalls: [{ name: 'list_files', arguments: { path: '~' } }, { name: 'read_file', arguments: { path: '~/a' } }] });
    const first = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question], tools });
    const msg = first.choices[0]?.message;
    if (!msg) throw new Error('no message');
    const [a, b] = msg.tool_calls ?? [];
    if (!a || !b) throw new Error('expected two calls');
    const assistant: ChatCompletionMessageParam = { role: 'assistant', content: null, tool_calls: msg.tool_calls ?? [] };

    const missing = await refusal(client.chat.completions.create({ model: 'gpt-4.1-mini', tools, messages: [question, assistant, { role: 'tool', tool_call_id: a.id, content: 'a, b' }, { role: 'user', content: 'and?' }] }));
    expect(missing.status).toBe(400);
    expect(missing.message).toContain(b.id);
    expect(missing.param).toBe('messages.[1].role');

    const stray = await refusal(client.chat.completions.create({ model: 'gpt-4.1-mini', tools, messages: [question, { role: 'tool', tool_call_id: 'call_nowhere', content: 'x' }] }));
    expect(stray.status).toBe(400);
    expect(stray.message).toMatch(/must be a response to a preceeding message with 'tool_calls'/);

    const ok = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      tools,
      messages: [question, assistant, { role: 'tool', tool_call_id: b.id, content: 'x' }, { role: 'tool', tool_call_id: a.id, content: 'a, b' }],
    });
    expect(ok.choices[0]?.message.content).toBe(fake.replyTranscript);
  });

  it('refuses a wrong field and an unknown role with the service 400, recorded as request-side schema errors', async () => {
    const e = await refusal(
      // @ts-expect-error -- max_output_tokens belongs to the Responses API, not chat completions
      client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question], max_output_tokens: 100 }),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('unknown_parameter');
    expect(e.param).toBe('max_output_tokens');
    const role = await refusal(
      // @ts-expect-error -- 'bot' is not a role
      client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'bot', content: 'hi' }] }),
    );
    expect(role.param).toBe('messages.0.role');
    const empty = await refusal(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [] }));
    expect(empty.code).toBe('empty_array');
    expect(fake.schemaErrors.filter((s) => s.side === 'request').map((s) => s.path)).toEqual([PATH, PATH]);
    expect(fake.requestsTo(PATH).map((r) => r.status)).toEqual([400, 400, 400]);
  });

  it('refuses stream_options without stream, like the service', async () => {
    const e = await refusal(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question], stream_options: { include_usage: true } }));
    expect([e.status, e.param]).toEqual([400, 'stream_options']);
  });

  it('waits the configured model delays before the first token', async () => {
    const slow = await startFakeOpenAIHttp({ speedup: 0, delays: { chatFirstTokenMs: 150 } });
    try {
      const c = new OpenAI({ apiKey: 'sk-test', baseURL: slow.baseURL, maxRetries: 0 });
      const started = performance.now();
      const stream = await c.chat.completions.create({ model: 'gpt-4.1-mini', messages: [question], stream: true });
      let firstContentAt = 0;
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content && !firstContentAt) firstContentAt = performance.now();
      expect(firstContentAt - started).toBeGreaterThanOrEqual(145);
      expect(slow.schemaErrors.filter((e) => e.side === 'response')).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
