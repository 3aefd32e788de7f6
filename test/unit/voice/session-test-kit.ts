/** What every session test checks and closes after each test (the fake + a VoiceSession harness). */
import { expect } from 'vitest';
import { validateClientEvent } from '../../support/fake-realtime/index.ts';
import type { FakeRealtime } from '../../support/fake-realtime/index.ts';
import type { Harness } from './harness.ts';

/**
 * Every event the core sent validates against the SDK-derived schema (and, with `noServerErrors`,
 * the fake refused none); then the session and the fake are closed.
 */
export async function finishSessionTest(fake: FakeRealtime | null, h: Harness | null, options: { noServerErrors?: boolean } = {}): Promise<void> {
  if (fake) {
    expect(fake.schemaErrors).toEqual([]);
    for (const r of fake.received) expect(validateClientEvent(r.event), r.event.type).toEqual([]);
    if (options.noServerErrors) expect(fake.sent.filter((r) => r.event.type === 'error').map((r) => r.event)).toEqual([]);
  }
  await h?.session.dispose();
  await fake?.close();
}
