/** The CLI's --model and --reasoning-effort against the fake Realtime server (issue 10). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { startFakeRealtime, validateClientEvent } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../../support/fake-realtime/index.ts';
import { ensureFixtures, fixturePath } from '../../support/fixtures.ts';

const CLI = resolve('main/cli.ts');
let fake: FakeRealtime;

beforeAll(async () => {
  await ensureFixtures();
  fake = await startFakeRealtime();
});
afterAll(async () => {
  expect(fake.schemaErrors).toEqual([]);
  for (const r of fake.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
  await fake.close();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, OPENAI_API_KEY: 'sk-test-cli-0123456789abcdef', OPENAI_BASE_URL: fake.baseURL, NODE_EXTRA_CA_CERTS: fake.caPath })) {
    if (v !== undefined) env[k] = v;
  }
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The session.update of the connection the CLI run opened last. */
function lastSession(): Record<string, unknown> {
  const last = fake.received.filter((r) => r.event.type === 'session.update').at(-1);
  const session = last?.event['session'];
  if (typeof session !== 'object' || session === null) throw new Error('no session.update received');
  return session as Record<string, unknown>;
}

describe('earshot CLI: --model and --reasoning-effort', () => {
  it('--model gpt-realtime-2.1 --reasoning-effort high: reasoning on the wire, the effort and a 2.1 cost in the JSON', async () => {
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--json', '--fast', '--model', 'gpt-realtime-2.1', '--reasoning-effort', 'high']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim()) as { ok: boolean; model: string; reasoning_effort: string | null; cost_usd: number | null; prices_read_on: string };
    expect(s).toMatchObject({ ok: true, model: 'gpt-realtime-2.1', reasoning_effort: 'high', prices_read_on: '2026-11-25' });
    expect(s.cost_usd).toBeGreaterThan(0);
    expect(lastSession()).toMatchObject({ model: 'gpt-realtime-2.1', reasoning: { effort: 'high' } });
  });

  it('a model that does not reason gets no reasoning, and the CLI says the flag was not sent', async () => {
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--json', '--fast', '--model', 'gpt-realtime-2.1-mini', '--reasoning-effort', 'medium']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('gpt-realtime-2.1-mini does not take a reasoning effort');
    const s = JSON.parse(r.stdout.trim()) as { model: string; reasoning_effort: string | null };
    expect(s).toMatchObject({ model: 'gpt-realtime-2.1-mini', reasoning_effort: null });
    expect(lastSession()['model']).toBe('gpt-realtime-2.1-mini');
    expect(lastSession()).not.toHaveProperty('reasoning');
  });

  it('an unknown effort is refused before connecting (exit 2)', async () => {
    const before = fake.connections;
    const r = await cli(['talk', '--input', fixturePath('question.wav'), '--reasoning-effort', 'maximum']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reasoning-effort takes minimal, low, medium, high, xhigh, not maximum.');
    expect(fake.connections).toBe(before);
  });
});
