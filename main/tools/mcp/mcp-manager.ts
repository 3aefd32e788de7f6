/**
 * All configured MCP servers: connects each enabled one that is not native (a native server is
 * handed to the Realtime session instead, nativeServers()), offers their tools to the tool host as
 * our own Tools (ExternalTools of create-tool-host.ts), reports each server's status, and follows
 * settings changes at runtime: a new server connects, a removed or disabled one is closed, a changed
 * command, URL, headers or time limit reconnects, a changed name or policy applies at once.
 */
import type { Clock } from '../../base/clock.ts';
import type { Logger } from '../../base/logger.ts';
import type { ExternalTools } from '../create-tool-host.ts';
import type { Tool } from '../tool-definition.ts';
import { McpConnection, type Backoff } from './mcp-connection.ts';
import { mcpToolPolicy } from './mcp-policy.ts';
import { mcpTool } from './mcp-tool.ts';
import { exposedToolName, isValidToolName } from './tool-names.ts';
import type { McpServerConfig, McpServerStatus } from './types.ts';

export interface McpManagerOptions {
  clock: Clock;
  logger: Logger;
  backoff?: Backoff;
  stableMs?: number;
  startTimeoutMs?: number;
  clientInfo?: { name: string; version: string };
}

/** What needs a new connection when it changes (name and policies do not). */
function connectionKey(config: McpServerConfig): string {
  return JSON.stringify({ transport: config.transport, timeoutMs: config.timeoutMs });
}

const connectsHere = (config: McpServerConfig): boolean => config.enabled && !config.native;

export class McpManager implements ExternalTools {
  readonly #o: McpManagerOptions;
  #configs: McpServerConfig[] = [];
  readonly #connections = new Map<string, McpConnection>();
  #tools: Tool[] = [];
  #definitionsKey = '[]';
  readonly #toolListeners = new Set<() => void>();
  readonly #statusListeners = new Set<(status: McpServerStatus) => void>();
  #closed = false;

  constructor(options: McpManagerOptions) {
    this.#o = options;
  }

  /** Apply the servers from settings (the whole list each time). */
  update(configs: readonly McpServerConfig[]): void {
    if (this.#closed) return;
    this.#configs = configs.map((c) => ({ ...c }));
    const wanted = new Map(this.#configs.filter(connectsHere).map((c) => [c.id, c]));
    for (const [id, connection] of [...this.#connections]) {
      const next = wanted.get(id);
      if (next && connectionKey(next) === connectionKey(connection.config)) {
        connection.setConfig(next);
        continue;
      }
      this.#connections.delete(id);
      this.#o.logger.info(next ? 'mcp: server settings changed, reconnecting' : 'mcp: server removed or turned off', { server: id });
      void connection.close().then(() => this.#emitStatus(this.#stoppedStatus(connection.config)));
    }
    for (const config of wanted.values()) {
      if (this.#connections.has(config.id)) continue;
      const connection = new McpConnection(config, {
        clock: this.#o.clock,
        logger: this.#o.logger,
        ...(this.#o.backoff ? { backoff: this.#o.backoff } : {}),
        ...(this.#o.stableMs !== undefined ? { stableMs: this.#o.stableMs } : {}),
        ...(this.#o.startTimeoutMs !== undefined ? { startTimeoutMs: this.#o.startTimeoutMs } : {}),
        ...(this.#o.clientInfo ? { clientInfo: this.#o.clientInfo } : {}),
        onChange: () => this.#changed(connection),
      });
      this.#connections.set(config.id, connection);
      connection.start();
    }
    this.#rebuild();
  }

  /** Tools of every connected (or restarting) server, as the tool host runs them. */
  tools(): readonly Tool[] {
    return this.#tools;
  }

  onChange(listener: () => void): () => void {
    this.#toolListeners.add(listener);
    return () => this.#toolListeners.delete(listener);
  }

  /** Every configured server, in settings order (disabled and native ones as stopped). */
  statuses(): McpServerStatus[] {
    return this.#configs.map((config) => this.#connections.get(config.id)?.status() ?? this.#stoppedStatus(config));
  }

  onStatus(listener: (status: McpServerStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Enabled servers marked native: the Realtime engine offers them as `mcp` session tools. */
  nativeServers(): McpServerConfig[] {
    return this.#configs.filter((c) => c.enabled && c.native);
  }

  /** Close every server (stdio children are ended, and killed if they do not go). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((c) => c.close()));
    this.#rebuild();
  }

  #stoppedStatus(config: McpServerConfig): McpServerStatus {
    return { id: config.id, name: config.name, transport: config.transport.type, state: 'stopped', lastError: null, toolCount: 0, restarts: 0, retryInMs: null };
  }

  #changed(connection: McpConnection): void {
    if (this.#connections.get(connection.config.id) !== connection) return;
    this.#emitStatus(connection.status());
    this.#rebuild();
  }

  #emitStatus(status: McpServerStatus): void {
    for (const listener of this.#statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.#o.logger.warn('mcp status listener failed', { error: String(error) });
      }
    }
  }

  /**
   * Names every tool again (settings order, then each server's order; names that need no change
   * first, so a sanitised name never takes one a server chose) and tells listeners when what the
   * model would see changed.
   */
  #rebuild(): void {
    const taken = new Set<string>();
    const tools: Tool[] = [];
    for (const config of this.#configs) {
      const connection = this.#connections.get(config.id);
      if (!connection) continue;
      const infos = connection.tools();
      const names = new Map<string, string>();
      for (const pass of [true, false]) {
        for (const info of infos) {
          if (names.has(info.name) || isValidToolName(`${config.id}__${info.name}`) !== pass) continue;
          const name = exposedToolName(config.id, info.name, taken);
          taken.add(name);
          names.set(info.name, name);
        }
      }
      for (const info of infos) {
        const name = names.get(info.name);
        if (name === undefined) continue;
        tools.push(mcpTool({ name, server: config, info, policy: mcpToolPolicy(config, info), caller: connection }));
      }
    }
    this.#tools = tools;
    const key = JSON.stringify(tools.map((t) => [t.name, t.description, t.parameters, t.source?.policy]));
    if (key === this.#definitionsKey) return;
    this.#definitionsKey = key;
    for (const listener of this.#toolListeners) {
      try {
        listener();
      } catch (error) {
        this.#o.logger.warn('mcp tools listener failed', { error: String(error) });
      }
    }
  }
}
