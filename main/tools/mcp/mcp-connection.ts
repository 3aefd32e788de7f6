/**
 * One MCP server, kept connected: starts it (stdio: spawns the program; http: opens a streamable-HTTP
 * session), lists its tools, follows `notifications/tools/list_changed`, runs calls, and when it fails
 * to start or dies, says why and tries again with backoff (1 s, 2 s, 4 s … capped at 30 s; back to 1 s
 * once it had stayed up for `stableMs`). Nothing here throws at its owner except `call`, whose errors
 * are ToolErrors written for the model.
 *
 * SDK facts relied on (@modelcontextprotocol/sdk 1.x): Protocol._onclose calls `onclose` and then fails
 * every pending request with McpError(ConnectionClosed) (shared/protocol.js); StdioClientTransport
 * fires `onclose` when the child process closes, and its close() ends stdin, then SIGTERM after 2 s,
 * then SIGKILL (client/stdio.js); the streamable-HTTP transport never closes by itself, so a failed
 * request there (refused, reset, HTTP 404 for a forgotten session) is what tells us the server is gone.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../base/clock.ts';
import type { Logger } from '../../base/logger.ts';
import { ToolError } from '../tool-error.ts';
import type { McpCallOutcome } from './call-result.ts';
import { describeMcpError, scrubber } from './describe-error.ts';
import type { McpServerConfig, McpServerState, McpServerStatus, McpToolInfo } from './types.ts';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };
/** A server that stayed up this long starts its backoff again from the first step when it dies. */
export const DEFAULT_STABLE_MS = 30_000;
/**
 * Starting may take longer than a call: `npx -y some-server` downloads the package the first time.
 * The start (spawn, initialize, tools/list) gets the longer of this and the server's time limit.
 */
export const DEFAULT_START_TIMEOUT_MS = 60_000;
/** tools/list pages we follow, and tools we keep, per server. */
const MAX_PAGES = 20;
const MAX_TOOLS = 200;
/** The last lines a stdio server wrote to stderr, kept to explain why it stopped. */
const STDERR_TAIL_CHARS = 600;

export interface McpConnectionOptions {
  clock: Clock;
  logger: Logger;
  backoff?: Backoff;
  stableMs?: number;
  /** Least time a start may take (default 60 s; the server's timeoutMs when that is longer). */
  startTimeoutMs?: number;
  clientInfo?: { name: string; version: string };
  /** Status or tool list changed. */
  onChange(): void;
}

class StderrTail {
  #text = '';
  add(chunk: unknown): void {
    this.#text = (this.#text + String(chunk)).slice(-STDERR_TAIL_CHARS * 2);
  }
  /** The last non-empty lines, or '' when it said nothing. */
  lastLines(): string {
    const lines = this.#text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    let out = '';
    for (let i = lines.length - 1; i >= 0 && out.length < STDERR_TAIL_CHARS; i -= 1) out = out ? `${lines[i]} | ${out}` : (lines[i] ?? '');
    return out.length > STDERR_TAIL_CHARS ? `…${out.slice(-STDERR_TAIL_CHARS)}` : out;
  }
}

export class McpConnection {
  #config: McpServerConfig;
  readonly #o: McpConnectionOptions;
  readonly #backoff: Backoff;
  /** Bumped by every (re)connection and by close: callbacks of an older one are ignored. */
  #gen = 0;
  #client: Client | null = null;
  #stderr: StderrTail | null = null;
  #state: McpServerState = 'stopped';
  #lastError: string | null = null;
  #tools: McpToolInfo[] = [];
  #attempt = 0;
  #retry: { cancel(): void } | null = null;
  #retryAt = 0;
  #readyAt = 0;
  #connects = 0;
  #inFlight = 0;
  #closed = false;

  constructor(config: McpServerConfig, options: McpConnectionOptions) {
    this.#config = config;
    this.#o = options;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get config(): McpServerConfig {
    return this.#config;
  }

  /** Name and policies may change while connected; anything else needs a new connection. */
  setConfig(config: McpServerConfig): void {
    this.#config = config;
  }

  /** The last tools it listed (kept while it restarts, so a call can say why it cannot run). */
  tools(): readonly McpToolInfo[] {
    return this.#tools;
  }

  status(): McpServerStatus {
    return {
      id: this.#config.id,
      name: this.#config.name,
      transport: this.#config.transport.type,
      state: this.#state,
      lastError: this.#lastError,
      toolCount: this.#tools.length,
      restarts: Math.max(0, this.#connects - 1),
      retryInMs: this.#state === 'retrying' ? Math.max(0, Math.round(this.#retryAt - this.#o.clock.now())) : null,
    };
  }

  start(): void {
    if (this.#closed || this.#state === 'connecting' || this.#state === 'ready') return;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    const gen = ++this.#gen;
    this.#retry = null;
    this.#inFlight = 0;
    this.#set('connecting');
    const config = this.#config;
    const stderr = new StderrTail();
    this.#stderr = stderr;
    const client = new Client(this.#o.clientInfo ?? { name: 'earshot', version: '1' }, { capabilities: {} });
    this.#client = client;
    client.onclose = () => {
      // While connecting, connect() itself fails and says why; once ready, this is the server dying.
      if (gen === this.#gen && this.#state === 'ready') void this.#fail(gen, null);
    };
    client.onerror = (error) => {
      if (gen !== this.#gen) return;
      this.#o.logger.debug('mcp: transport error', { server: config.id, error: describeMcpError(error, config.transport, config.timeoutMs) });
      // The HTTP transport reports a cut stream only here, and a call waiting on it would wait for its
      // time limit (client/streamableHttp.js resumes only streams that carried event ids). A cut while
      // calls run, or a notification stream it gave up on, means the server is gone: start again.
      if (config.transport.type === 'http' && this.#state === 'ready' && ((this.#inFlight > 0 && /^SSE stream disconnected/.test(error.message)) || /^Maximum reconnection attempts/.test(error.message))) {
        void this.#fail(gen, error);
      }
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (gen === this.#gen && this.#state === 'ready') void this.#refresh(gen);
    });
    // The SDK bounds each request; this bounds the whole start (spawn, initialize, tools/list) too.
    const startMs = Math.max(config.timeoutMs, this.#o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    const deadline = this.#o.clock.setTimeout(() => {
      if (gen === this.#gen && this.#state === 'connecting') void this.#fail(gen, new Error(`it did not get ready within ${Math.round(startMs / 1000)} s`));
    }, startMs);
    try {
      await client.connect(this.#transport(config, stderr), { timeout: startMs });
      if (gen !== this.#gen) return;
      const tools = await this.#listTools(client, startMs);
      if (gen !== this.#gen) return;
      this.#tools = tools;
      this.#lastError = null;
      this.#readyAt = this.#o.clock.now();
      this.#connects += 1;
      this.#o.logger.info('mcp: server ready', { server: config.id, tools: tools.length, restarts: Math.max(0, this.#connects - 1) });
      this.#set('ready');
    } catch (error) {
      // A superseded attempt (closed meanwhile) was already shut by close() or #fail.
      if (gen === this.#gen) await this.#fail(gen, error);
    } finally {
      deadline.cancel();
    }
  }

  #transport(config: McpServerConfig, stderr: StderrTail): Transport {
    const t = config.transport;
    if (t.type === 'stdio') {
      const transport = new StdioClientTransport({
        command: t.command,
        args: [...t.args],
        env: { ...t.env },
        ...(t.cwd !== null ? { cwd: t.cwd } : {}),
        // Piped, not inherited: Electron's main has no useful stderr, and the tail explains a crash.
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk: unknown) => stderr.add(chunk));
      return transport;
    }
    return new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers: { ...t.headers } } });
  }

  async #listTools(client: Client, timeoutMs: number): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES && tools.length < MAX_TOOLS; page += 1) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
      for (const tool of result.tools) {
        tools.push({
          name: tool.name,
          ...(tool.title !== undefined ? { title: tool.title } : {}),
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          inputSchema: tool.inputSchema,
          ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
        });
      }
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    return tools.slice(0, MAX_TOOLS);
  }

  async #refresh(gen: number): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const tools = await this.#listTools(client, this.#config.timeoutMs);
      if (gen !== this.#gen) return;
      this.#tools = tools;
      this.#o.logger.info('mcp: tool list changed', { server: this.#config.id, tools: tools.length });
      this.#o.onChange();
    } catch (error) {
      if (gen === this.#gen) this.#o.logger.warn('mcp: could not refresh the tool list', { server: this.#config.id, error: describeMcpError(error, this.#config.transport, this.#config.timeoutMs) });
    }
  }

  /** It failed to start or died: say why, drop the client, schedule the next attempt. */
  async #fail(gen: number, error: unknown): Promise<void> {
    if (gen !== this.#gen || this.#closed) return;
    const wasReady = this.#state === 'ready';
    this.#gen += 1;
    const client = this.#client;
    this.#client = null;
    // The child's last stderr lines may still be in the pipe when 'close' arrives.
    await nextTurn();
    const config = this.#config;
    const tail = this.#stderr?.lastLines() ?? '';
    const base = error === null ? (config.transport.type === 'stdio' ? 'the program exited' : 'the connection closed') : describeMcpError(error, config.transport, config.timeoutMs);
    this.#lastError = tail ? `${base}; it last wrote: ${scrubber(config.transport)(tail)}` : base;
    void client?.close().catch(() => undefined);
    if (this.#closed) return;
    if (wasReady && this.#o.clock.now() - this.#readyAt >= (this.#o.stableMs ?? DEFAULT_STABLE_MS)) this.#attempt = 0;
    const delay = Math.min(this.#backoff.initialMs * 2 ** this.#attempt, this.#backoff.maxMs);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    this.#retryAt = this.#o.clock.now() + delay;
    this.#o.logger.warn(wasReady ? 'mcp: server stopped' : 'mcp: server did not start', { server: config.id, error: this.#lastError, retryInMs: delay });
    const retryGen = this.#gen;
    this.#retry = this.#o.clock.setTimeout(() => {
      if (retryGen === this.#gen && !this.#closed) void this.#connect();
    }, delay);
    this.#set('retrying');
  }

  /**
   * Calls one tool. Resolves with the server's result (isError included); rejects with a ToolError
   * the model can read when the server is not there or the call failed on the way, or with the
   * signal's reason when the host aborted it (its timeout or a cancel).
   */
  async call(toolName: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome> {
    const config = this.#config;
    const client = this.#client;
    if (this.#state !== 'ready' || client === null) throw new ToolError(this.#notAvailable(toolName));
    const gen = this.#gen;
    this.#inFlight += 1;
    try {
      return await client.callTool({ name: toolName, arguments: args }, undefined, { signal, timeout: config.timeoutMs });
    } catch (error) {
      if (signal.aborted) throw error;
      if (this.#closed) {
        throw new ToolError(`The MCP server "${config.name}" was turned off while running ${toolName}, so it is not known whether the call did anything.`);
      }
      if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
        await nextTurn();
        const why = this.#lastError ?? describeMcpError(error, config.transport, config.timeoutMs);
        throw new ToolError(
          `The MCP server "${config.name}" stopped while running ${toolName} (${why}), so it is not known whether the call did anything. ` +
            'Earshot is restarting it; the user can try again in a moment.',
        );
      }
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new ToolError(`${toolName} on the MCP server "${config.name}" did not answer within ${Math.round(config.timeoutMs / 100) / 10} s and was stopped.`);
      }
      if (error instanceof McpError) {
        throw new ToolError(`The MCP server "${config.name}" refused the call to ${toolName}: ${describeMcpError(error, config.transport, config.timeoutMs)}`);
      }
      // Not an answer from the server: the way to it is broken (an HTTP server gone or restarted).
      const why = describeMcpError(error, config.transport, config.timeoutMs);
      await this.#fail(gen, error);
      throw new ToolError(`Could not reach the MCP server "${config.name}" to run ${toolName}: ${why}. Earshot is reconnecting; the user can try again in a moment.`);
    } finally {
      if (gen === this.#gen) this.#inFlight -= 1;
    }
  }

  #notAvailable(toolName: string): string {
    const status = this.status();
    const why = status.lastError ? ` (${status.lastError})` : '';
    if (status.state === 'retrying') {
      return `The MCP server "${status.name}" is not running${why}, so ${toolName} cannot run now. Earshot tries again in ${Math.ceil((status.retryInMs ?? 0) / 1000)} s.`;
    }
    if (status.state === 'ready') return `The MCP server "${status.name}" has just stopped, so ${toolName} cannot run now; Earshot is restarting it.`;
    if (status.state === 'connecting') return `The MCP server "${status.name}" is still starting, so ${toolName} cannot run yet. Try again in a moment.`;
    return `The MCP server "${status.name}" is turned off, so ${toolName} cannot run.`;
  }

  /** Stops for good: cancels a pending retry and closes the session (stdio: the child is ended, killed if need be). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#gen += 1;
    this.#retry?.cancel();
    this.#retry = null;
    const client = this.#client;
    this.#client = null;
    this.#set('stopped');
    if (!client) return;
    const transport = client.transport;
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      // Politely end the HTTP session (MCP spec: DELETE with the session id); never wait long for it.
      await Promise.race([transport.terminateSession().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    }
    await client.close().catch(() => undefined);
  }

  #set(state: McpServerState): void {
    this.#state = state;
    this.#o.onChange();
  }
}
