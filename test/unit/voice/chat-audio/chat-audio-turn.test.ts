/**
 * The chat-audio engine driving a real VoiceSession against the fake OpenAI HTTP server: spoken and
 * typed turns, the conversation re-sent with audio ids and transcripts, tools, usage and cost.
 */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { CHAT, TRANSCRIBE, chatBody, httpSessionTests, until, wavPcm, played } from '../http/session-kit.ts';

const t = httpSessionTests('chat-audio');

const userContent = (m: ChatCompletionMessageParam | undefined): string | ChatCompletionContentPart[] | null | undefined =>
  m?.role === 'user' ? m.content : undefined;

describe('chat-audio engine: a spoken turn', () => {
  it('sends the turn as WAV input_audio with audio out, plays the answer, and reports both transcripts, usage, cost and latency', async () => {
    const rig = await t.start({ config: { voice: 'cedar', instructions: 'Be brief.' } });
    const { fake, h } = rig;
    // The answer is the reply.wav fixture: real speech and what it says.
    fake.scriptChat({ text: fake.replyTranscript, audioSamples: fake.replySamples });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(rec.engine).toBe('chat-audio');
    expect(rec.model).toBe('gpt-audio');

    const body = chatBody(fake.requestsTo(CHAT)[0]);
    expect(body).toMatchObject({
      model: 'gpt-audio',
      modalities: ['text', 'audio'],
      audio: { voice: 'cedar', format: 'pcm16' },
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: 'auto',
    });
    expect(body.tools).toHaveLength(1);
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    // The user's audio, exactly as captured, as a WAV part.
    const content = userContent(body.messages[1]);
    expect(Array.isArray(content)).toBe(true);
    const part = (content as ChatCompletionContentPart[])[0];
    expect(part?.type).toBe('input_audio');
    if (part?.type !== 'input_audio') throw new Error('no audio part');
    expect(part.input_audio.format).toBe('wav');
    expect(wavPcm(part.input_audio.data)).toEqual(t.speech.question);

    // The user's words, from a transcription request sent alongside.
    const tr = fake.requestsTo(TRANSCRIBE)[0];
    expect(tr?.form?.['model']).toBe('gpt-transcribe');
    expect(tr?.files[0]?.bytes.length).toBe(44 + t.speech.question.length * 2);
    await until(() => h.session.turnLog()[0]?.userText === 'What files are in my documents folder?', 'the user transcript');
    expect(rec.assistantText).toBe(fake.replyTranscript);
    const finals = h.rec.transcripts.filter((t) => t.final).map((t) => t.role).sort();
    expect(finals).toEqual(['assistant', 'user']);

    // Every sample of the answer went to the player.
    expect(played(rig.h)).toBe(fake.replySamples.length);

    // Usage from the stream's usage chunk, priced from the dated table (gpt-audio + gpt-transcribe).
    expect(rec.usage.inputAudioTokens).toBeGreaterThan(0);
    expect(rec.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(rec.usage.inputTextTokens).toBeGreaterThan(0);
    const audioIn = rec.usage.inputAudioTokens * 32;
    const audioOut = rec.usage.outputAudioTokens * 64;
    const text = rec.usage.inputTextTokens * 2.5 + rec.usage.outputTextTokens * 10;
    const transcription = (t.speech.question.length / 24000 / 60) * 0.0045;
    expect(rec.costUsd).toBeCloseTo((audioIn + audioOut + text) / 1e6 + transcription, 9);
    expect(rec.costEstimated).toBe(false); // the service's own usage: exact
    const m = h.rec.metrics[0];
    expect(m?.costEstimated).toBe(false);
    expect(m?.engine).toBe('chat-audio');
    expect(m?.latency.keyUpToCommitMs).not.toBeNull();
    expect(m?.latency.commitToFirstAudioMs).toBeGreaterThan(0);
    expect(m?.latency.totalMs).toBeGreaterThan(0);
    console.log('chat-audio turn latency', JSON.stringify(m?.latency), 'usage', JSON.stringify(rec.usage), 'cost', rec.costUsd);
    expect(h.rec.states()).toContain('thinking');
    expect(h.rec.states()).toContain('speaking');
    expect(h.rec.states().at(-1)).toBe('idle');
  });
});

describe('chat-audio engine: a conversation', () => {
  it('refers to the previous answer by its audio id and to the earlier question by its transcript', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    const first = await h.talk(t.speech.question);
    expect(first.outcome).toBe('completed');
    await until(() => h.session.turnLog()[0]?.userText === 'What files are in my documents folder?', 'the first transcript');
    fake.setUserTranscript('Can you read the first one to me, please?');
    const second = await h.talk(t.speech.followup);
    expect(second.outcome).toBe('completed');

    const [req1, req2] = fake.requestsTo(CHAT).map(chatBody);
    expect(req1?.messages).toHaveLength(2);
    const m = req2?.messages ?? [];
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user']);
    // The first question goes as its words now, not as audio again.
    expect(m[1]).toEqual({ role: 'user', content: 'What files are in my documents folder?' });
    // The first answer by its audio id (valid for hours), with no text of its own.
    const assistant = m[2];
    expect(assistant?.role === 'assistant' ? assistant.audio?.id : null).toMatch(/^audio_/);
    expect(assistant && 'content' in assistant ? assistant.content : undefined).toBeUndefined();
    // The new question as audio.
    const part = (userContent(m[3]) as ChatCompletionContentPart[])[0];
    if (part?.type !== 'input_audio') throw new Error('no audio part');
    expect(wavPcm(part.input_audio.data)).toEqual(t.speech.followup);
    expect(fake.requestsTo(CHAT).map((r) => r.status)).toEqual([200, 200]);
    // The second request re-sends the conversation: it costs more input than the first.
    expect(second.usage.inputAudioTokens).toBeGreaterThan(first.usage.inputAudioTokens);
  });

  it('sends the answer as its transcript once its audio id has expired', async () => {
    // The fake lets an id be used for 2 s; the engine stops using an id 60 s before its expiry.
    const rig = await t.start({ fake: { audioIdTtlMs: 2000 } });
    const { fake, h } = rig;
    await h.talk(t.speech.question);
    await h.talk(t.speech.followup);
    const m = chatBody(fake.requestsTo(CHAT)[1]).messages;
    expect(m[2]).toEqual({ role: 'assistant', content: fake.replyTranscript });
    expect(fake.requestsTo(CHAT).map((r) => r.status)).toEqual([200, 200]);
  });

  it('resends the question as audio when no transcript of it exists (transcription failed)', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.failNext(TRANSCRIBE, { status: 400, code: 'invalid_value', message: 'Transcription refused (injected).' });
    const first = await h.talk(t.speech.question);
    expect(first.outcome).toBe('completed');
    await h.talk(t.speech.followup);
    // Quietly: no notice about the transcript, and the user line stays empty.
    expect(h.rec.notices).toEqual([]);
    expect(h.session.turnLog()[0]?.userText).toBe('');
    const m = chatBody(fake.requestsTo(CHAT)[1]).messages;
    const part = (userContent(m[1]) as ChatCompletionContentPart[])[0];
    if (part?.type !== 'input_audio') throw new Error('the first question was not re-sent as audio');
    expect(wavPcm(part.input_audio.data)).toEqual(t.speech.question);
  });

  it('runs a tool turn: the call reaches the tool host, its output goes back as a tool message, then the answer is spoken', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.scriptChat({ toolCalls: [{ name: 'list_files', arguments: { path: '~/Documents' }, id: 'call_first' }] });
    fake.scriptChat({ toolCalls: [{ name: 'list_files', arguments: { path: '~/Documents/letters' }, id: 'call_second' }] });
    fake.scriptChat({ text: fake.replyTranscript, audioSamples: fake.replySamples });
    const rec = await h.talk(t.speech.question);
    expect(rec.outcome).toBe('completed');
    expect(h.tools.calls.map((c) => JSON.parse(c.argumentsJson) as unknown)).toEqual([{ path: '~/Documents' }, { path: '~/Documents/letters' }]);
    expect(rec.toolCalls.map((c) => c.status)).toEqual(['done', 'done']);

    const reqs = fake.requestsTo(CHAT).map(chatBody);
    expect(reqs).toHaveLength(3);
    const third = reqs[2]?.messages ?? [];
    expect(third.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    // Within the turn the model keeps hearing the question it answers.
    expect((userContent(third[1]) as ChatCompletionContentPart[])[0]?.type).toBe('input_audio');
    const call = third[2];
    expect(call?.role === 'assistant' ? call.tool_calls?.[0] : null).toMatchObject({ id: 'call_first', type: 'function', function: { name: 'list_files' } });
    const output = third[3];
    expect(output).toEqual({ role: 'tool', tool_call_id: 'call_first', content: JSON.stringify({ files: ['notes.txt', 'todo.md'], asked: '{"path":"~/Documents"}' }) });
    expect(third[5]).toMatchObject({ role: 'tool', tool_call_id: 'call_second' });
    // The spoken answer after the tools.
    expect(rec.assistantText).toBe(fake.replyTranscript);
    expect(played(rig.h)).toBe(fake.replySamples.length);
    expect(rec.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(rec.costUsd).toBeGreaterThan(0);
  });
});

describe('chat-audio engine: typed turns', () => {
  it('sends a typed question as text and speaks the answer', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    const sent = h.session.sendText('What is on my desktop?', 'voice');
    if (!sent.sent) throw new Error(sent.reason);
    const rec = await h.waitTurn(sent.turnId);
    expect(rec.outcome).toBe('completed');
    const body = chatBody(fake.requestsTo(CHAT)[0]);
    expect(body.messages[1]).toEqual({ role: 'user', content: 'What is on my desktop?' });
    expect(body.modalities).toEqual(['text', 'audio']);
    expect(fake.requestsTo(TRANSCRIBE)).toHaveLength(0); // typed words need no transcription
    expect(rec.userText).toBe('What is on my desktop?');
    expect(rec.assistantText).toBe(fake.replyTranscript);
    expect(played(rig.h)).toBeGreaterThan(0);
    expect(h.rec.metrics[0]?.latency.keyUpToCommitMs).not.toBeNull();
  });

  it('answers a turn the user chose to read in text only: no audio asked for, none played', async () => {
    const rig = await t.start();
    const { fake, h } = rig;
    fake.scriptChat({ text: 'Two files: notes and a todo list.' });
    const sent = h.session.sendText('List my files.', 'text');
    if (!sent.sent) throw new Error(sent.reason);
    const rec = await h.waitTurn(sent.turnId);
    expect(rec.outcome).toBe('completed');
    const body = chatBody(fake.requestsTo(CHAT)[0]);
    expect(body.modalities).toEqual(['text']);
    expect(body.audio).toBeUndefined();
    expect(rec.assistantText).toBe('Two files: notes and a todo list.');
    expect(played(rig.h)).toBe(0);
    expect(rec.usage.outputAudioTokens).toBe(0);
    expect(rec.usage.outputTextTokens).toBeGreaterThan(0);
    expect(rec.costUsd).toBeGreaterThan(0);
    // The next spoken turn sees that answer as text.
    await h.talk(t.speech.question);
    const m = chatBody(fake.requestsTo(CHAT)[1]).messages;
    expect(m[2]).toEqual({ role: 'assistant', content: 'Two files: notes and a todo list.' });
  });
});
