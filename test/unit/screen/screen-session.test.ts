/**
 * A look_at_screen call through a real VoiceSession and the fake Realtime server: the tool's text
 * goes back as function_call_output, the picture follows as a user message with input_image (no
 * response asked for it), and ONE follow-up response reads both; every client event validates
 * against the SDK schema, and the picture's image tokens (the fake bills them as the service does)
 * come back priced. Also a picked screen sent with a typed question (the window's picker path).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime, RealtimeEventJson } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath, readWavPcm16 } from '../../support/fixtures.ts';
import { makeHarness } from '../voice/harness.ts';
import type { Harness } from '../voice/harness.ts';
import { finishSessionTest } from '../voice/session-test-kit.ts';
import { ApprovalService, createToolHost } from '../../../main/tools/index.ts';
import { ScreenLooker } from '../../../main/tools/screen/screen-looker.ts';
import { MemoryIndicator, MemoryScreen } from '../../support/memory-screen.ts';

let question: Int16Array;
let fake: FakeRealtime | null = null;
let h: Harness | null = null;

beforeAll(async () => {
  await ensureFixtures();
  question = readWavPcm16(fixturePath('question.wav')).samples;
});
afterEach(async () => {
  await finishSessionTest(fake, h, { noServerErrors: true });
  h = null;
  fake = null;
});

const received = (f: FakeRealtime, type: string): { event: RealtimeEventJson; at: number }[] => f.received.filter((r) => r.event.type === type);

function screenTools() {
  const indicator = new MemoryIndicator();
  const port = new MemoryScreen([{ id: 'screen:1:0', kind: 'screen', name: 'Entire Screen', size: { width: 1920, height: 1080 } }], indicator);
  const looker = new ScreenLooker({ port, indicator, detail: () => 'auto', notice: () => undefined });
  const approvals = new ApprovalService();
  const asked: string[] = [];
  approvals.onRequest((r) => {
    asked.push(r.summary);
    queueMicrotask(() => approvals.answer(r.id, 'allow-once'));
  });
  const host = createToolHost({ roots: [], approvals, screen: looker });
  return { host, port, asked, looker };
}

// 1920 × 1080 at auto: fits 2048; short side 1080 → 768: 1365 × 768 → 3 × 2 tiles → 85 + 6 × 170.
const TOKENS = 1105;

describe('the session shows the model a tool’s picture', () => {
  it('function_call_output, then the picture as a user input_image, then one response.create; the capture is priced from usage', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const screen = screenTools();
    h.tools.behaviour = (call) => screen.host.execute(call);
    fake.scriptToolCall({ name: 'look_at_screen', arguments: { which: 'screen' }, callId: 'call_look' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    expect(screen.asked).toEqual(['Look at your screen']);
    expect(rec.toolCalls).toEqual([expect.objectContaining({ name: 'look_at_screen', status: 'done', output: 'Captured Entire Screen, 1365×768.' })]);
    const creates = received(fake, 'conversation.item.create').map((r) => r.event['item'] as Record<string, unknown>);
    expect(creates.map((i) => i['type'])).toEqual(['function_call_output', 'message']);
    expect(creates[0]).toMatchObject({ call_id: 'call_look', output: 'Captured Entire Screen, 1365×768.' });
    expect(creates[1]).toMatchObject({ role: 'user', content: [{ type: 'input_image', detail: 'auto', image_url: expect.stringMatching(/^data:image\/png;base64,/) }] });
    expect((creates[1]?.['content'] as unknown[]).length).toBe(1);
    // Two responses in all: the one that called the tool, and one follow-up after output and picture.
    const responses = received(fake, 'response.create');
    expect(responses).toHaveLength(2);
    const imageAt = received(fake, 'conversation.item.create')[1]?.at ?? Infinity;
    expect(responses[1]?.at).toBeGreaterThanOrEqual(imageAt);
    expect(rec.usage.inputImageTokens).toBe(TOKENS);
    expect(h.rec.imageCosts).toEqual([
      expect.objectContaining({ label: 'Entire Screen', width: 1365, height: 768, detail: 'auto', estimatedTokens: TOKENS, imageTokens: TOKENS, costUsd: expect.closeTo((TOKENS * 5) / 1e6, 12), turnId: rec.turnId }),
    ]);
  });

  it('a declined look sends the refusal as output and no picture', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const approvals = new ApprovalService();
    approvals.onRequest((r) => queueMicrotask(() => approvals.answer(r.id, 'deny')));
    const indicator = new MemoryIndicator();
    const port = new MemoryScreen([{ id: 'screen:1:0', kind: 'screen', name: 'Entire Screen', size: { width: 1920, height: 1080 } }], indicator);
    const host = createToolHost({ roots: [], approvals, screen: new ScreenLooker({ port, indicator, detail: () => 'auto', notice: () => undefined }) });
    h.tools.behaviour = (call) => host.execute(call);
    fake.scriptToolCall({ name: 'look_at_screen', arguments: { which: 'screen' }, callId: 'call_no' });
    const rec = await h.talk(question);
    expect(rec.outcome).toBe('completed');
    const creates = received(fake, 'conversation.item.create').map((r) => r.event['item'] as Record<string, unknown>);
    expect(creates).toEqual([expect.objectContaining({ type: 'function_call_output', output: 'The user declined: Look at your screen. Nothing was done.' })]);
    expect(port.captures).toEqual([]);
    expect(h.rec.imageCosts).toEqual([]);
  });

  it('a picked screen with a typed question: one user message with both, answered as text', async () => {
    fake = await startFakeRealtime();
    h = makeHarness(fake);
    const screen = screenTools();
    const looked = await screen.looker.look({ sourceId: 'screen:1:0' });
    const sent = h.session.sendImage({ image: looked.image, label: looked.sourceName, width: looked.width, height: looked.height, estimatedTokens: looked.estimatedTokens }, 'What is on it?', 'text');
    expect(sent.sent).toBe(true);
    const rec = await h.waitTurn(sent.sent ? sent.turnId : '');
    expect(rec).toMatchObject({ outcome: 'completed', input: { kind: 'image', replyAs: 'text' }, userText: 'What is on it?', userPicture: 'Entire Screen' });
    const item = received(fake, 'conversation.item.create')[0]?.event['item'];
    expect(item).toMatchObject({ role: 'user', content: [{ type: 'input_image', image_url: looked.image.dataUrl, detail: 'auto' }, { type: 'input_text', text: 'What is on it?' }] });
    expect(received(fake, 'response.create').map((r) => r.event['response'])).toEqual([{ output_modalities: ['text'] }]);
    expect(h.rec.imageCosts.map((c) => c.imageTokens)).toEqual([TOKENS]);
  });
});
