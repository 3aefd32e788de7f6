/**
 * The tool host for the headless CLI: no window to ask in, so writes are allowed only when the user
 * passed --allow-writes, and denied with that hint otherwise.
 */
import type { Logger } from '../base/logger.ts';
import type { ApprovalPort, ClipboardPort } from './ports.ts';
import { createToolHost } from './create-tool-host.ts';
import type { ConfigurableToolHost } from './create-tool-host.ts';

export interface DefaultToolHostOptions {
  roots: string[];
  allowWrites: boolean;
  clipboard?: ClipboardPort;
  logger?: Logger;
  timeoutMs?: number;
}

export function flagApprovals(allowWrites: boolean): ApprovalPort {
  return {
    request: async () => (allowWrites ? { decision: 'allow-once' } : { decision: 'deny', reason: 'writes need approval; run with --allow-writes' }),
  };
}

export function createDefaultToolHost(options: DefaultToolHostOptions): ConfigurableToolHost {
  return createToolHost({
    roots: options.roots,
    approvals: flagApprovals(options.allowWrites),
    ...(options.clipboard ? { clipboard: options.clipboard } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
