/** The tool layer's public face: what main/app, the CLI and the voice core import. */
export type { FunctionToolDefinition, ToolAuditRecord, ToolCallRequest, ToolCallResult, ToolDecision, ToolHost } from './tool-host.ts';
export type { ApprovalAnswer, ApprovalDraft, ApprovalOutcome, ApprovalPort, ClipboardPort, ToolPolicy, ToolRisk } from './ports.ts';
export { createToolHost, DEFAULT_MAX_OUTPUT_CHARS, DEFAULT_TOOL_TIMEOUT_MS } from './create-tool-host.ts';
export type { ConfigurableToolHost, RootsReport, ToolHostOptions, ToolHostUpdate } from './create-tool-host.ts';
export { createDefaultToolHost, flagApprovals } from './default-tool-host.ts';
export type { DefaultToolHostOptions } from './default-tool-host.ts';
export { ApprovalService, DEFAULT_APPROVAL_TIMEOUT_MS } from './approval-service.ts';
export type { ApprovalServiceOptions, ApprovalSettled } from './approval-service.ts';
export { toolNames, defaultPolicy } from './registry.ts';
export type { ToolName } from './registry.ts';
