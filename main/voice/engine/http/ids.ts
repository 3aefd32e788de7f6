/** Item and response ids an HTTP engine makes up (there is no server to name them): `prefix` + 24 hex digits. */
import { randomUUID } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
