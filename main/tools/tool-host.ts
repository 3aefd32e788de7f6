/**
 * The face the tool layer shows the voice core. The voice engine asks for the definitions to put in
 * `session.update.tools` and hands every function call to `execute`; the result's `output` goes back
 * as a `function_call_output` item whatever happened (errors and denials included).
 */
import type { ToolCallView } from '../../preload/contract.ts';

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

export interface ToolCallResult {
  /** Text for the model: the result, or a clear error / denial it can tell the user about. */
  output: string;
  status: 'done' | 'denied' | 'error';
  durationMs: number;
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
}
