/** Shared pieces of the MCP tests: server configs for the fixture servers, a manager and host pair, waiting. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../../../main/base/clock.ts';
import type { Logger } from '../../../../main/base/logger.ts';
import { createToolHost } from '../../../../main/tools/index.ts';
import type { ApprovalPort, ConfigurableToolHost, ToolHostOptions } from '../../../../main/tools/index.ts';
import { McpManager } from '../../../../main/tools/mcp/index.ts';
import type { McpServerConfig } from '../../../../main/tools/mcp/index.ts';

export const STDIO_SERVER = fileURLToPath(new URL('../../../support/mcp/stdio-server.ts', import.meta.url));

export function stdioServer(overrides: Partial<McpServerConfig> & { env?: Record<string, string> } = {}): McpServerConfig {
  const { env, ...rest } = overrides;
  return {
    id: 'local',
    name: 'Local notes',
    enabled: true,
    transport: { type: 'stdio', command: process.execPath, args: [STDIO_SERVER], env: env ?? {}, cwd: path.dirname(STDIO_SERVER) },
    policy: 'ask',
    toolPolicies: {},
    timeoutMs: 10_000,
    native: false,
    ...rest,
  };
}

export function httpServer(url: string, overrides: Partial<McpServerConfig> & { headers?: Record<string, string> } = {}): McpServerConfig {
  const { headers, ...rest } = overrides;
  return {
    id: 'remote',
    name: 'Remote notes',
    enabled: true,
    transport: { type: 'http', url, headers: headers ?? {} },
    policy: 'ask',
    toolPolicies: {},
    timeoutMs: 10_000,
    native: false,
    ...rest,
  };
}

/** A logger that keeps every line, so a test can check what was (and was not) logged. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  #add(level: string, message: string, fields?: Record<string, unknown>): void {
    this.lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  }
  debug(m: string, f?: Record<string, unknown>): void {
    this.#add('debug', m, f);
  }
  info(m: string, f?: Record<string, unknown>): void {
    this.#add('info', m, f);
  }
  warn(m: string, f?: Record<string, unknown>): void {
    this.#add('warn', m, f);
  }
  error(m: string, f?: Record<string, unknown>): void {
    this.#add('error', m, f);
  }
}

export interface Rig {
  mcp: McpManager;
  host: ConfigurableToolHost;
  logger: MemoryLogger;
}

/** A manager with a fast backoff and a tool host that runs its tools, as start-core wires them. */
export function rig(approvals: ApprovalPort, servers: McpServerConfig[], extra: Partial<ToolHostOptions> = {}): Rig {
  const logger = new MemoryLogger();
  const mcp = new McpManager({ clock: systemClock, logger, backoff: { initialMs: 100, maxMs: 800 } });
  const host = createToolHost({ roots: [], approvals, clock: systemClock, logger, external: mcp, ...extra });
  mcp.update(servers);
  return { mcp, host, logger };
}

/** Waits until `check` returns something other than undefined/false, or fails saying what it waited for. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The server's status by id. */
export function stateOf(mcp: McpManager, id: string): string | undefined {
  return mcp.statuses().find((s) => s.id === id)?.state;
}

/** True when a process with this id still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
