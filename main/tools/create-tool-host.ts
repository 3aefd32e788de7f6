/**
 * The ToolHost the voice core talks to: definitions for the session, and `execute`, which takes one
 * function call through parse → validate → policy → (approval) → run with a timeout → result, emits
 * the call's live view and an audit record, and never throws.
 */
import type { ToolCallView } from '../../preload/contract.ts';
import type { Clock } from '../base/clock.ts';
import type { Logger } from '../base/logger.ts';
import type { FunctionToolDefinition, ToolAuditRecord, ToolCallRequest, ToolCallResult, ToolDecision, ToolHost } from './tool-host.ts';
import type { ApprovalPort, ClipboardPort, ToolPolicy } from './ports.ts';
import type { ActionPreview, Tool, ToolContext, ToolLimits } from './tool-definition.ts';
import { DEFAULT_LIMITS } from './tool-definition.ts';
import { PathSandbox } from './path-sandbox.ts';
import type { RejectedRoot, SandboxOptions } from './path-sandbox.ts';
import { allTools, clipboardTools, effectivePolicy, screenTools, toFunctionDefinition } from './registry.ts';
import type { ScreenLooker } from './screen/screen-looker.ts';
import { ToolError, describeFsError } from './tool-error.ts';
import { systemClock as realClock } from '../base/clock.ts';
import { limitText } from './text-format.ts';
import { nativeMcpTool, type NativeMcpTool } from './mcp/native.ts';
import { decideNativeApproval, nativeToolKey } from './mcp/native-approval.ts';
import type { McpServerConfig } from './mcp/types.ts';

export const DEFAULT_TOOL_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_CHARS = 12_000;
const VIEW_ARGUMENT_CHARS = 2_000;

export interface ToolHostOptions {
  /** Folders the user shared (none by default). */
  roots: string[];
  /** Per-tool policy from settings; missing tools get the defaults (read allow, write ask). */
  policies?: Record<string, ToolPolicy>;
  clipboard?: ClipboardPort;
  /** The privacy switch for read_clipboard (off by default). */
  clipboardRead?: boolean;
  /** Screen capture (look_at_screen is offered only with it). */
  screen?: ScreenLooker;
  approvals: ApprovalPort;
  /** Upper bound for any tool's run time (each tool has its own, at most this). Default 10 s. */
  timeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Longest output given back to the model (default 12 000 characters). */
  maxOutputChars?: number;
  limits?: Partial<ToolLimits>;
  /** Sandbox details (home folder, open strategy, test hooks). */
  sandbox?: SandboxOptions;
  /** Tools from outside (MCP servers, main/tools/mcp/), offered after our own and run through the same path. */
  external?: ExternalTools;
}

/** A changing set of tools from elsewhere; a name that clashes with one of our own is left out. */
export interface ExternalTools {
  tools(): readonly Tool[];
  /** Servers handed to the Realtime session as native `mcp` tools (main/tools/mcp/native.ts). */
  nativeServers?(): readonly McpServerConfig[];
  /** The set changed (a server connected, went away, or sent tools/list_changed). */
  onChange(listener: () => void): () => void;
}

export interface ToolHostUpdate {
  roots?: string[];
  policies?: Record<string, ToolPolicy>;
  clipboard?: ClipboardPort | null;
  clipboardRead?: boolean;
}

export interface RootsReport {
  /** Real paths of the folders now shared. */
  accepted: string[];
  /** Folders that could not be shared, with the reason (missing, not a folder, the whole disk). */
  rejected: RejectedRoot[];
}

export interface ConfigurableToolHost extends ToolHost {
  /** Change roots, policies or clipboard settings at runtime; calls already running keep the old ones. */
  update(patch: ToolHostUpdate): RootsReport;
  roots(): RootsReport;
  policyOf(toolName: string): ToolPolicy | undefined;
  /** The definitions changed without a call to update() (an MCP server's tools came or went). */
  onDefinitionsChanged(listener: () => void): () => void;
  nativeTools(): NativeMcpTool[];
  approveNative: NonNullable<ToolHost['approveNative']>;
}

class Timeout extends Error {
  override name = 'Timeout';
}

interface Outcome {
  result: Omit<ToolCallResult, 'durationMs'>;
  decision: ToolDecision;
}

function errorText(tool: string, error: unknown): string {
  if (error instanceof ToolError) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error && 'syscall' in error) return `${tool}: ${describeFsError(error, 'the path')}`;
  return `${tool} failed: ${error instanceof Error ? error.message : String(error)}`;
}

export function createToolHost(options: ToolHostOptions): ConfigurableToolHost {
  const clock = options.clock ?? realClock;
  const logger = options.logger;
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const limits: ToolLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const hostTimeout = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  let sandbox = new PathSandbox(options.roots, options.sandbox);
  let policies: Record<string, ToolPolicy> = { ...options.policies };
  let clipboard: ClipboardPort | null = options.clipboard ?? null;
  let clipboardRead = options.clipboardRead ?? false;
  const screen: ScreenLooker | null = options.screen ?? null;
  const alwaysAllowed = new Set<string>();
  const viewListeners = new Set<(view: ToolCallView) => void>();
  const auditListeners = new Set<(record: ToolAuditRecord) => void>();

  const report = (): RootsReport => ({ accepted: sandbox.roots.map((r) => r.real), rejected: [...sandbox.rejected] });

  function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        logger?.warn('tool listener failed', { error: String(error) });
      }
    }
  }

  function available(): Tool[] {
    const own = allTools.filter((t) => (clipboard !== null || !clipboardTools.includes(t)) && (screen !== null || !screenTools.includes(t)));
    const external = options.external?.tools().filter((t) => !allTools.some((o) => o.name === t.name)) ?? [];
    return [...own, ...external];
  }

  /** Runs `work` with a timeout; on timeout the controller is aborted and Timeout is thrown. */
  async function withTimeout<T>(work: () => Promise<T>, ms: number, controller: AbortController): Promise<T> {
    let timer: { cancel(): void } | undefined;
    let timedOut: Timeout | null = null;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = clock.setTimeout(() => {
        timedOut = new Timeout(`took longer than ${ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`}`);
        reject(timedOut);
        controller.abort();
      }, ms);
    });
    const aborted = new Promise<never>((_resolve, reject) => {
      const cancelled = (): void => reject(timedOut ?? new ToolError('The call was cancelled.'));
      if (controller.signal.aborted) cancelled();
      controller.signal.addEventListener('abort', cancelled, { once: true });
    });
    const running = work();
    running.catch(() => undefined);
    timeout.catch(() => undefined);
    aborted.catch(() => undefined);
    try {
      return await Promise.race([running, timeout, aborted]);
    } finally {
      timer?.cancel();
    }
  }

  async function decide(call: ToolCallRequest, signal: AbortSignal | undefined, view: (v: Partial<ToolCallView>) => void): Promise<Outcome> {
    const denied = (output: string, decision: ToolDecision = 'denied'): Outcome => ({ result: { status: 'denied', output }, decision });
    const failed = (output: string, decision: ToolDecision): Outcome => ({ result: { status: 'error', output }, decision });

    const tool = available().find((t) => t.name === call.name);
    if (!tool) {
      return failed(`There is no tool named "${call.name}". Available tools: ${available().map((t) => t.name).join(', ')}.`, 'not-needed');
    }
    let args: unknown;
    try {
      args = call.argumentsJson.trim() === '' ? {} : JSON.parse(call.argumentsJson);
    } catch (error) {
      return failed(`The arguments for ${tool.name} were not valid JSON (${error instanceof Error ? error.message : 'parse error'}). Send a JSON object.`, 'not-needed');
    }

    let decision: ToolDecision = 'not-needed';
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    try {
      const ctx: ToolContext = { sandbox, clipboard, screen, signal: controller.signal, maxOutputChars, now: () => clock.now(), limits };
      const prepared = tool.prepare(args, ctx);
      if (!prepared.ok) return failed(`Invalid arguments for ${tool.name}: ${prepared.message}.`, 'not-needed');

      const policy = effectivePolicy(tool, policies, clipboardRead);
      if (policy === 'deny') {
        if (tool.name === 'read_clipboard' && !clipboardRead) {
          return denied('Reading the clipboard is turned off. The user can turn it on in Settings → Privacy.');
        }
        return denied(`The user has turned off ${tool.name}; it cannot be used. They can change this in Settings → Tools.`);
      }
      // An MCP server's tool has the time limit its settings give (it may be longer than ours).
      const timeoutMs = tool.source ? (tool.timeoutMs ?? hostTimeout) : Math.min(tool.timeoutMs ?? hostTimeout, hostTimeout);
      decision = 'allowed';
      let approved: ActionPreview | null = null;
      if (policy === 'ask') {
        approved = await withTimeout(() => prepared.call.describe(), timeoutMs, controller);
        if (alwaysAllowed.has(tool.name)) {
          decision = 'allowed-always';
        } else {
          view({ status: 'awaiting-approval' });
          const answer = await approvalsPort.request(
            {
              tool: tool.name,
              summary: approved.summary,
              ...(approved.path !== undefined ? { path: approved.path } : {}),
              ...(approved.preview !== undefined ? { preview: approved.preview } : {}),
            },
            controller.signal,
          );
          if (controller.signal.aborted) return failed('The call was cancelled before the user answered; nothing was done.', 'denied');
          if (answer.decision === 'timeout') {
            return denied(`The user did not answer within the time limit, so this was not done: ${approved.summary}.`, 'timeout');
          }
          if (answer.decision === 'deny') {
            return denied(
              answer.reason !== undefined
                ? `Not done (${approved.summary}): ${answer.reason}.`
                : `The user declined: ${approved.summary}. Nothing was done.`,
            );
          }
          if (answer.decision === 'always') alwaysAllowed.add(tool.name);
          decision = answer.decision === 'always' ? 'allowed-always' : 'allowed-once';
        }
      }
      view({ status: 'running' });
      const ran = await withTimeout(() => prepared.call.run(approved), timeoutMs, controller);
      const { output, image } = typeof ran === 'string' ? { output: ran, image: undefined } : ran;
      return { result: { status: 'done', output: limitText(output, maxOutputChars), ...(image ? { image } : {}) }, decision };
    } catch (error) {
      if (error instanceof Timeout) {
        return failed(`${call.name} ${error.message} and was stopped. Try a smaller request.`, decision);
      }
      return failed(errorText(call.name, error), decision);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  const approvalsPort = options.approvals;

  const host: ConfigurableToolHost = {
    definitions(): FunctionToolDefinition[] {
      return available().map(toFunctionDefinition);
    },

    async execute(call: ToolCallRequest, signal?: AbortSignal): Promise<ToolCallResult> {
      const started = clock.now();
      const shownArgs = call.argumentsJson.length > VIEW_ARGUMENT_CHARS ? `${call.argumentsJson.slice(0, VIEW_ARGUMENT_CHARS)}…` : call.argumentsJson;
      const view = (partial: Partial<ToolCallView>): void =>
        emit(viewListeners, { callId: call.callId, name: call.name, arguments: shownArgs, status: 'running', ...partial });
      let outcome: Outcome;
      try {
        outcome = await decide(call, signal, view);
      } catch (error) {
        outcome = { result: { status: 'error', output: errorText(call.name, error) }, decision: 'not-needed' };
      }
      const durationMs = Math.max(0, clock.now() - started);
      const result: ToolCallResult = { ...outcome.result, durationMs };
      view({ status: result.status, output: result.output, durationMs });
      emit(auditListeners, {
        conversationId: call.conversationId,
        callId: call.callId,
        name: call.name,
        argumentsJson: call.argumentsJson,
        decision: outcome.decision,
        status: result.status,
        durationMs,
        resultBytes: Buffer.byteLength(result.output),
        at: clock.epochMs(),
      });
      logger?.info('tool call', { name: call.name, decision: outcome.decision, status: result.status, durationMs: Math.round(durationMs) });
      return result;
    },

    onCallUpdate(listener) {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },

    onAudit(listener) {
      auditListeners.add(listener);
      return () => auditListeners.delete(listener);
    },

    update(patch) {
      if (patch.roots !== undefined) {
        sandbox = new PathSandbox(patch.roots, options.sandbox);
        for (const r of sandbox.rejected) logger?.warn('folder not shared', { path: r.path, reason: r.reason });
      }
      if (patch.policies !== undefined) {
        policies = { ...patch.policies };
        alwaysAllowed.clear();
      }
      if (patch.clipboard !== undefined) clipboard = patch.clipboard;
      if (patch.clipboardRead !== undefined) clipboardRead = patch.clipboardRead;
      return report();
    },

    roots: report,

    policyOf(toolName) {
      const tool = [...allTools, ...available()].find((t) => t.name === toolName);
      return tool ? effectivePolicy(tool, policies, clipboardRead) : undefined;
    },

    onDefinitionsChanged(listener) {
      return options.external?.onChange(listener) ?? (() => undefined);
    },

    nativeTools() {
      return (options.external?.nativeServers?.() ?? []).map(nativeMcpTool).filter((t): t is NativeMcpTool => t !== null);
    },

    async approveNative(request, signal) {
      // Shown and audited like a call of ours, under the approval request's id.
      const started = clock.now();
      const view = (partial: Partial<ToolCallView>): void =>
        emit(viewListeners, { callId: request.id, name: nativeToolKey(request.serverLabel, request.name), arguments: request.argumentsJson.slice(0, VIEW_ARGUMENT_CHARS), status: 'running', ...partial });
      let answer: Awaited<ReturnType<typeof decideNativeApproval>>;
      try {
        answer = await decideNativeApproval(request, { servers: options.external?.nativeServers?.() ?? [], approvals: approvalsPort, alwaysAllowed, asking: () => view({ status: 'awaiting-approval' }) }, signal);
      } catch (error) {
        logger?.warn('native MCP approval failed', { error: String(error) });
        return { approve: false, reason: 'Earshot could not ask the user' };
      }
      const durationMs = Math.max(0, clock.now() - started);
      const output = answer.approve ? `Approved: the MCP server runs ${request.name}.` : `Not approved: ${answer.reason ?? 'declined'}.`;
      view({ status: answer.approve ? 'done' : 'denied', output, durationMs });
      emit(auditListeners, {
        conversationId: request.conversationId,
        callId: request.id,
        name: answer.toolKey,
        argumentsJson: request.argumentsJson,
        decision: answer.decision,
        status: answer.approve ? 'done' : 'denied',
        durationMs,
        resultBytes: Buffer.byteLength(output),
        at: clock.epochMs(),
      });
      logger?.info('native MCP approval', { server: request.serverLabel, tool: request.name, decision: answer.decision });
      return answer.approve ? { approve: true } : { approve: false, ...(answer.reason !== undefined ? { reason: answer.reason } : {}) };
    },
  };
  for (const r of sandbox.rejected) logger?.warn('folder not shared', { path: r.path, reason: r.reason });
  return host;
}
