/**
 * The face the tool layer shows the voice core. The voice engine asks for the definitions to put in
 * `session.update.tools` and hands every function call to `execute`; the result's `output` goes back
 * as a `function_call_output` item whatever happened (errors and denials included).
 */
import type { ToolCallView } from '../../preload/contract.ts';
import type { NativeMcpTool } from './mcp/native.ts';
import type { NativeApprovalRequest } from './mcp/native-approval.ts';

export type { NativeMcpTool } from './mcp/native.ts';
export type { NativeApprovalRequest } from './mcp/native-approval.ts';

/** A function tool as the Realtime API takes it in `session.tools`. */
export interface FunctionToolDefinition {
  type: 'function';
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ToolCallRequest {
  callId: string;
  name: string;
  /** The raw JSON arguments string the model produced; validated by the tool's zod schema. */
  argumentsJson: string;
  conversationId: string;
}

export type ToolDecision = 'allowed' | 'allowed-once' | 'allowed-always' | 'denied' | 'timeout' | 'not-needed';

/**
 * A picture a tool produced (look_at_screen). Same shape as the engine's UserImage
 * (main/voice/engine/engine.ts), declared here so the tool layer imports nothing from voice.
 */
export interface ToolImage {
  /** data:image/png;base64,… or data:image/jpeg;base64,… */
  dataUrl: string;
  detail: 'auto' | 'low' | 'high';
  /** What it shows, for the transcript and the history (never sent to the model). */
  about?: { label: string; width: number; height: number; estimatedTokens: number };
}

export interface ToolCallResult {
  /** Text for the model: the result, or a clear error / denial it can tell the user about. */
  output: string;
  status: 'done' | 'denied' | 'error';
  durationMs: number;
  /** A picture to show the model after `output` (the session adds it as a user image message). */
  image?: ToolImage;
}

/** One line of the audit trail; the history stores it with the conversation. */
export interface ToolAuditRecord {
  conversationId: string;
  callId: string;
  name: string;
  argumentsJson: string;
  decision: ToolDecision;
  status: ToolCallResult['status'];
  durationMs: number;
  resultBytes: number;
  at: number;
}

export interface ToolHost {
  definitions(): FunctionToolDefinition[];
  /** Never throws: every failure becomes a result with status 'error'. */
  execute(call: ToolCallRequest, signal?: AbortSignal): Promise<ToolCallResult>;
  /** Live view of calls for the UI (awaiting-approval, running, done…). */
  onCallUpdate(listener: (view: ToolCallView) => void): () => void;
  onAudit(listener: (record: ToolAuditRecord) => void): () => void;
  /**
   * Remote MCP servers the Realtime session calls itself, as `mcp` session tools (DESIGN §3 "Remote
   * MCP"; main/tools/mcp/native.ts). Engines without native MCP ignore them.
   */
  nativeTools?(): NativeMcpTool[];
  /**
   * The service asks before it runs a native MCP tool (`mcp_approval_request`): the same policy and
   * approval card as our own tools. Never throws; `reason` says why not, for the model.
   */
  approveNative?(request: NativeApprovalRequest & { conversationId: string }, signal?: AbortSignal): Promise<{ approve: boolean; reason?: string }>;
}
