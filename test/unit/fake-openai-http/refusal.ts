/** The APIError a request to the fake was refused with (fails the test when it was not refused). */
import { APIError } from 'openai';

export async function refusal(p: Promise<unknown>): Promise<APIError> {
  const e: unknown = await p.then(() => null, (err: unknown) => err);
  if (!(e instanceof APIError)) throw new Error(`expected an APIError, got ${String(e)}`);
  return e;
}
