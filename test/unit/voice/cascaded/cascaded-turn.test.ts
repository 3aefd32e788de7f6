/** The cascaded engine under a real VoiceSession against the fake HTTP API: turns, conversations, tools, typing. */
import { describe, expect, it } from 'vitest';
import { startFakeOpenAIHttp } from '../../../support/fake-openai-http/index.ts';
import { parseWavPcm16 } from '../../../support/fixtures.ts';
import { CascadedConfigSchema } from '../../../../main/voice/config.ts';
import { API_KEY, chatBody, httpSessionTests, speechInputs, until, played } from '../http/session-kit.ts';
import type { SpeechBody } from '../http/session-kit.ts';

const t = httpSessionTests('cascaded');

describe('cascaded engine: a spoken turn', () => {
  it('transcribes the WAV, asks the chat model, speaks the answer sentence by sentence, and prices the turn', async () => {
    const { fake, h } = await t.start({ config: { instructions: 'Be brief.', voice: 'cedar', cascaded: { speechInstructions: 'warm and brisk' } } });
    fake.setDefaultChatText('Your documents folder has two files. They are notes and a to-do list.');
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(rec.engine).toBe('cascaded');

    // Stage 1: the turn's audio went as a WAV, whole.
    const tr = fake.requestsTo('/v1/audio/transcriptions');
    expect(tr).toHaveLength(1);
    const file = tr[0]?.files[0];
    expect(file?.contentType).toContain('audio/wav');
    expect(parseWavPcm16(file?.bytes ?? new Uint8Array()).samples.length).toBe(t.speech.question.length);
    expect(tr[0]?.form?.['model']).toBe('gpt-transcribe');
    expect(tr[0]?.form?.['stream']).toBe('true');

    // Stage 2: instructions, the user's words, the tools.
    const chat = chatBody(fake.requestsTo('/v1/chat/completions')[0]);
    expect(chat.model).toBe('gpt-4.1-mini');
    expect(chat.stream).toBe(true);
    expect(chat.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(chat.messages[1]).toEqual({ role: 'user', content: 'What files are in my documents folder?' });
    expect(chat.tools).toHaveLength(1);

    // Stage 3: one speech request per sentence, with the voice and the tone.
    expect(speechInputs(fake)).toEqual(['Your documents folder has two files.', 'They are notes and a to-do list.']);
    const sp = fake.requestsTo('/v1/audio/speech')[0]?.json as SpeechBody;
    expect(sp).toMatchObject({ model: 'gpt-4o-mini-tts', voice: 'cedar', instructions: 'warm and brisk', response_format: 'pcm' });

    // What the user sees and hears.
    expect(rec.userText).toBe('What files are in my documents folder?');
    expect(rec.assistantText).toBe('Your documents folder has two files. They are notes and a to-do list.');
    expect(played(h)).toBeGreaterThan(24_000); // seconds of speech, not a click

    // Usage and cost of all three stages.
    expect(rec.usage.inputTextTokens).toBeGreaterThan(0);
    expect(rec.usage.outputTextTokens).toBeGreaterThan(0);
    expect(rec.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(rec.costUsd).toBeGreaterThan(0);
    expect(rec.model).toBe('gpt-transcribe → gpt-4.1-mini → gpt-4o-mini-tts');
    expect(rec.latency.keyUpToCommitMs).not.toBeNull();
    expect(rec.latency.commitToFirstAudioMs).toBeGreaterThan(0);
    expect(h.rec.metrics[0]?.engine).toBe('cascaded');
  });
});

describe('cascaded engine: a conversation', () => {
  it('sends the first exchange with the second question', async () => {
    const { fake, h } = await t.start();
    fake.scriptChat({ text: 'You have two files.' });
    const first = await h.talk(t.speech.question);
    expect(first.outcome).toBe('completed');
    fake.setUserTranscript('Which one is newer?');
    fake.scriptChat({ text: 'The to-do list is newer.' });
    const second = await h.talk(t.speech.question);
    expect(second.outcome).toBe('completed');
    expect(second.userText).toBe('Which one is newer?');
    expect(second.assistantText).toBe('The to-do list is newer.');
    const chat = chatBody(fake.requestsTo('/v1/chat/completions')[1]);
    expect(chat.messages.slice(1)).toEqual([
      { role: 'user', content: 'What files are in my documents folder?' },
      { role: 'assistant', content: 'You have two files.' },
      { role: 'user', content: 'Which one is newer?' },
    ]);
    // The second turn re-sends the first: it reads more prompt tokens.
    expect(second.usage.inputTextTokens).toBeGreaterThan(first.usage.inputTextTokens);
  });

  it('runs a tool, sends its output as a tool message, and speaks the text before and after it', async () => {
    const { fake, h } = await t.start();
    fake.scriptChat({ text: 'Let me look.', toolCalls: [{ name: 'list_files', arguments: { path: '~/Documents' }, id: 'call_one' }] });
    fake.scriptChat({ text: 'Let me check one more thing.', toolCalls: [{ name: 'list_files', arguments: { path: '~/Documents/old' }, id: 'call_two' }] });
    fake.scriptChat({ text: 'You have notes and a to-do list.' });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(h.tools.calls.map((c) => JSON.parse(c.argumentsJson) as unknown)).toEqual([{ path: '~/Documents' }, { path: '~/Documents/old' }]);
    const chats = fake.requestsTo('/v1/chat/completions').map(chatBody);
    expect(chats).toHaveLength(3);
    const third = chats[2]?.messages ?? [];
    expect(third.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    const firstRound = third[2];
    expect(firstRound?.role === 'assistant' ? firstRound.tool_calls?.[0] : undefined).toMatchObject({ id: 'call_one', function: { name: 'list_files' } });
    expect(third[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_one' });
    expect(JSON.parse(String(third[3]?.content))).toMatchObject({ files: ['notes.txt', 'todo.md'] });
    expect(third[5]).toMatchObject({ role: 'tool', tool_call_id: 'call_two' });
    expect(speechInputs(fake)).toEqual(['Let me look.', 'Let me check one more thing.', 'You have notes and a to-do list.']);
    expect(rec.toolCalls.map((c) => c.status)).toEqual(['done', 'done']);
    expect(rec.assistantText).toBe('Let me look. Let me check one more thing. You have notes and a to-do list.');
    expect(rec.costUsd).toBeGreaterThan(0);
  });
});

describe('cascaded engine: typed turns', () => {
  it('answers a typed question aloud, and a text-only one in text with no speech request', async () => {
    const { fake, h } = await t.start();
    fake.scriptChat({ text: 'Hello there. Nice to meet you.' });
    const sent = h.session.sendText('Hi, who are you?', 'voice');
    if (!sent.sent) throw new Error(sent.reason);
    const spoken = await h.waitTurn(sent.turnId);
    expect(spoken.outcome).toBe('completed');
    expect(spoken.userText).toBe('Hi, who are you?');
    expect(spoken.assistantText).toBe('Hello there. Nice to meet you.');
    expect(played(h)).toBeGreaterThan(0);
    expect(fake.requestsTo('/v1/audio/transcriptions')).toHaveLength(0);
    const speechBefore = fake.requestsTo('/v1/audio/speech').length;

    fake.scriptChat({ text: 'Here is the list: notes.txt and todo.md.' });
    const typed = h.session.sendText('List them, in text please.', 'text');
    if (!typed.sent) throw new Error(typed.reason);
    const text = await h.waitTurn(typed.turnId);
    expect(text.outcome).toBe('completed');
    expect(text.assistantText).toBe('Here is the list: notes.txt and todo.md.');
    expect(fake.requestsTo('/v1/audio/speech')).toHaveLength(speechBefore);
    expect(text.model).toBe('gpt-4.1-mini');
    expect(text.costUsd).toBeGreaterThan(0);
    const chat = chatBody(fake.requestsTo('/v1/chat/completions')[1]);
    expect(chat.messages.slice(1).map((m) => m.content)).toEqual(['Hi, who are you?', 'Hello there. Nice to meet you.', 'List them, in text please.']);
  });
});

describe('cascaded engine: pictures', () => {
  it('sends a shown picture to the chat model as image content with the question', async () => {
    const { fake, h } = await t.start();
    fake.scriptChat({ text: 'A small red square.' });
    // A real 1×1 PNG.
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    const sent = h.session.sendImage({ image: { dataUrl: png, detail: 'low' }, label: 'square.png', width: 1, height: 1, estimatedTokens: 85 }, 'What is this?', 'voice');
    if (!sent.sent) throw new Error(sent.reason);
    const rec = await h.waitTurn(sent.turnId);
    expect(rec.outcome).toBe('completed');
    expect(rec.assistantText).toBe('A small red square.');
    const user = chatBody(fake.requestsTo('/v1/chat/completions')[0]).messages[1];
    expect(user).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: png, detail: 'low' } },
        { type: 'text', text: 'What is this?' },
      ],
    });
  });
});

describe('cascaded engine: pipelining off', () => {
  it('speaks the whole answer with one speech request', async () => {
    const { fake, h } = await t.start({ config: { cascaded: { pipelineSentences: false } } });
    fake.scriptChat({ text: 'One. Two. Three.' });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(speechInputs(fake)).toEqual(['One. Two. Three.']);
    expect(rec.assistantText).toBe('One. Two. Three.');
  });
});

describe('cascaded engine: stages on their own servers', () => {
  it('takes raw PCM from a speech stage on its own server, and reports its unpriced model as unknown cost', async () => {
    const local = await startFakeOpenAIHttp({ apiKey: null });
    const { fake, h } = await t.start({ config: { cascaded: { speech: { baseURL: local.baseURL, model: 'kokoro', keySource: 'openai' } } } });
    try {
      const rec = await h.talk(t.speech.question);
      expect(rec.outcome).toBe('completed');
      const sp = local.requestsTo('/v1/audio/speech');
      expect(sp.length).toBeGreaterThan(0);
      expect((sp[0]?.json as SpeechBody).stream_format).toBe('audio');
      expect(fake.requestsTo('/v1/audio/speech')).toHaveLength(0);
      expect(played(h)).toBeGreaterThan(24_000);
      expect(rec.costUsd).toBeNull();
      expect(h.rec.notices.some((n) => n.subject === 'cost')).toBe(true);
      expect(local.schemaErrors).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('sends no key to a stage set to "no key", and says so when that server wants one', async () => {
    const local = await startFakeOpenAIHttp({ apiKey: null });
    const { h } = await t.start({ config: { cascaded: { speech: { baseURL: local.baseURL, model: 'kokoro', keySource: 'none' } } } });
    try {
      const rec = await h.talk(t.speech.question);
      expect(rec.outcome).toBe('failed');
      const sp = local.requestsTo('/v1/audio/speech');
      expect(sp[0]?.headers['authorization']).toBeUndefined();
      const notice = h.rec.notices.find((n) => n.message.includes('speech stage'));
      expect(notice?.message).toContain(local.baseURL);
      expect(notice?.message).toContain("speech stage's key setting");
      expect(JSON.stringify(h.rec.notices)).not.toContain(API_KEY);
    } finally {
      await local.close();
    }
  });

  it('says which stage and which URL cannot be reached, and the next turn works', async () => {
    const { h } = await t.start({ config: { cascaded: { transcribe: { baseURL: 'http://127.0.0.1:9/v1', model: 'whisper-1', keySource: 'none' } } }, cascaded: { maxRetries: 0 } });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('failed');
    const notice = h.rec.notices.find((n) => n.level === 'warning' && n.message.includes('transcription'));
    expect(notice?.message).toContain('http://127.0.0.1:9/v1');
    expect(notice?.message).toContain('cannot be reached');
    // The user fixes the URL (back to the main endpoint): the next turn works.
    h.session.updateConfig({ cascaded: CascadedConfigSchema.parse({}) });
    const next = await h.talk(t.speech.question);
    expect(next.outcome).toBe('completed');
    await until(() => h.session.status().state === 'idle', 'idle');
  });
});
