/**
 * The one IPC contract shared by main, preload and renderer.
 *
 * Every request, event and binary stream between the renderer and main is declared here with a zod
 * schema. The preload bridge (`bridge.ts`), the main-side handlers (`main/app/contract-server.ts`) and
 * the test transport over a local WebSocket are all generated from these tables, so a payload that
 * does not match is rejected at the boundary on both sides.
 */
import './zod-jitless.ts'; // first: before any schema below or in the modules imported next is created
import { z } from 'zod';
import { SettingsViewSchema } from '../main/settings/settings-view-schema.ts';
import { McpServerEditSchema } from '../main/settings/mcp-server-edit-schema.ts';

// ---------- shared shapes ----------

export const SessionStateSchema = z.enum([
  'idle',
  'connecting',
  'listening',
  'thinking',
  'speaking',
  'reconnecting',
  'error',
]);
export type SessionState = z.infer<typeof SessionStateSchema>;

export const TurnModeSchema = z.enum(['hold', 'toggle', 'hands-free']);
export type TurnMode = z.infer<typeof TurnModeSchema>;

export const ApiKeyStatusSchema = z.enum(['set', 'not-set', 'from-environment']);

export const StatusSchema = z.object({
  state: SessionStateSchema,
  turnMode: TurnModeSchema,
  micMuted: z.boolean(),
  /** A hint or error for the user ("hold the key while you speak"), or null. */
  message: z.string().nullable(),
  apiKey: ApiKeyStatusSchema,
  /** Whether key-up events exist on this machine (hold mode needs them). */
  holdAvailable: z.boolean(),
});
export type Status = z.infer<typeof StatusSchema>;

export const TranscriptSchema = z.object({
  conversationId: z.string(),
  itemId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  final: z.boolean(),
  /** True when a barge-in cut the assistant and the text was corrected to what was heard. */
  truncated: z.boolean(),
  /** A user message that showed a picture: what was shown (a screen's or window's name, a file name); `text` is the words with it. */
  picture: z.string().max(1000).optional(),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

export const ToolCallViewSchema = z.object({
  callId: z.string(),
  name: z.string(),
  arguments: z.string(),
  status: z.enum(['awaiting-approval', 'running', 'done', 'denied', 'error']),
  output: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type ToolCallView = z.infer<typeof ToolCallViewSchema>;

export const ApprovalRequestSchema = z.object({
  id: z.string(),
  tool: z.string(),
  /** One line a person can read: "Write 1.2 KB to ~/Documents/notes.txt". */
  summary: z.string(),
  path: z.string().optional(),
  preview: z.string().optional(),
  expiresAt: z.number(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalDecisionSchema = z.enum(['allow-once', 'always', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export const UsageSchema = z.object({
  inputTextTokens: z.number().int().nonnegative(),
  inputAudioTokens: z.number().int().nonnegative(),
  cachedTextTokens: z.number().int().nonnegative(),
  cachedAudioTokens: z.number().int().nonnegative(),
  outputTextTokens: z.number().int().nonnegative(),
  outputAudioTokens: z.number().int().nonnegative(),
  /** Image input tokens (Realtime usage input_token_details.image_tokens); absent in records written before images were priced. */
  inputImageTokens: z.number().int().nonnegative().optional(),
  /** The cached part of inputImageTokens. */
  cachedImageTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const LatencySchema = z.object({
  keyUpToCommitMs: z.number().nullable(),
  commitToFirstAudioMs: z.number().nullable(),
  firstAudioToFirstSampleMs: z.number().nullable(),
  totalMs: z.number().nullable(),
});
export type Latency = z.infer<typeof LatencySchema>;

export const TurnMetricsSchema = z.object({
  conversationId: z.string(),
  turnId: z.string(),
  model: z.string(),
  /** Which engine answered (DESIGN §2): shown beside the figures. */
  engine: z.enum(['realtime', 'cascaded', 'chat-audio']).optional(),
  latency: LatencySchema,
  usage: UsageSchema,
  costUsd: z.number().nonnegative(),
  sessionCostUsd: z.number().nonnegative(),
  /** True when the model has no price in the table: costUsd is then 0 but unknown, not free. */
  costUnknown: z.boolean().optional(),
  /**
   * True when part of costUsd is an estimate: a request cut off by a barge-in, a stop or a failure
   * reported no usage and was priced from what it sent and received (Cost.estimated in
   * main/voice/cost/usage.ts). Shown as "≈ … (estimated)"; the budget counts it like any cost.
   */
  costEstimated: z.boolean(),
});
export type TurnMetrics = z.infer<typeof TurnMetricsSchema>;

/**
 * What a notice is about. The window shows one notice per subject and replaces it in place
 * ("reconnecting" → "reconnected"); main sets it where the notice is made.
 */
export const NoticeSubjectSchema = z.enum([
  'connection',
  'api-key',
  'key-storage',
  'budget',
  'hotkey',
  'microphone',
  'history',
  'settings',
  'update',
  'tool',
  'approval',
  'turn',
  'service',
  'cost',
  /** Screen capture: "Earshot looked at …", a refused screen-recording permission. */
  'screen',
]);
export type NoticeSubject = z.infer<typeof NoticeSubjectSchema>;

export const NoticeSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  /** What the user can do about it, if anything. */
  action: z.string().optional(),
  subject: NoticeSubjectSchema.optional(),
  /**
   * The action as a button: `open-settings`, or `try-again` (a turn failed: start listening again;
   * the core does not replay a failed voice turn, it has no audio of it to send twice).
   */
  button: z.enum(['open-settings', 'try-again', 'open-screen-settings']).optional(),
});
export type Notice = z.infer<typeof NoticeSchema>;

/** Main tells the renderer what to do with the microphone. */
export const CaptureCommandSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('start'), turnId: z.string() }),
  z.object({ command: z.literal('stop'), turnId: z.string() }),
  z.object({ command: z.literal('release') }),
]);
export type CaptureCommand = z.infer<typeof CaptureCommandSchema>;

/** Main tells the renderer's player to stop (barge-in) or forget an item. */
export const PlaybackCommandSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('stop'), requestId: z.string() }),
  z.object({ command: z.literal('end-of-item'), itemId: z.string() }),
]);
export type PlaybackCommand = z.infer<typeof PlaybackCommandSchema>;

export const PlaybackReportSchema = z.object({
  itemId: z.string(),
  /** Samples (24 kHz) of this item the player actually rendered. */
  renderedSamples: z.number().int().nonnegative(),
  /** Set when the report answers a stop command. */
  requestId: z.string().optional(),
  /** performance-clock-free milliseconds since the first sample of the item was rendered, if known. */
  firstSampleAt: z.number().optional(),
});
export type PlaybackReport = z.infer<typeof PlaybackReportSchema>;

export const CaptureFlushedSchema = z.object({
  turnId: z.string(),
  /** Samples the renderer sent for this turn, counting the final partial frame. */
  totalSamples: z.number().int().nonnegative(),
});

/** The settings view: its schema is the settings' own (main/settings/settings-view-schema.ts). */
export { SettingsViewSchema };
export type { SettingsView, SettingsChoices } from '../main/settings/settings-view-schema.ts';

/** One entry of a stored conversation, as the history view shows it. */
export const HistoryEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transcript'), role: z.enum(['user', 'assistant']), text: z.string(), truncated: z.boolean(), picture: z.string().optional(), at: z.number() }),
  z.object({ kind: z.literal('tool'), name: z.string(), argumentsJson: z.string(), status: z.enum(['done', 'denied', 'error']), durationMs: z.number(), at: z.number() }),
  z.object({ kind: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), message: z.string(), at: z.number() }),
  /** A picture shown to the model, with the image tokens the service reported for it and their cost (null: unknown). */
  z.object({
    kind: z.literal('image'),
    label: z.string(),
    width: z.number(),
    height: z.number(),
    detail: z.enum(['auto', 'low', 'high']),
    imageTokens: z.number().nullable(),
    costUsd: z.number().nullable(),
    at: z.number(),
  }),
]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const ViewNameSchema = z.enum(['transcript', 'settings', 'onboarding', 'history']);
export type ViewName = z.infer<typeof ViewNameSchema>;

export const EmptySchema = z.object({}).strict();

/** A screen or window the person may pick to show the assistant (main/tools/screen/ports.ts). */
export const ScreenSourceSchema = z.object({
  id: z.string().min(1).max(200),
  kind: z.enum(['screen', 'window']),
  name: z.string().max(1000),
  /** A small PNG as a data URL, or null. */
  thumbnailDataUrl: z.string().startsWith('data:image/png;base64,').max(2_000_000).nullable(),
});
export type ScreenSource = z.infer<typeof ScreenSourceSchema>;
export const ScreenPermissionSchema = z.enum(['granted', 'denied', 'not-determined', 'restricted', 'unknown']);

/**
 * Where the app's own update stands (main/app/updates/update-policy.ts). Never a dialog: the window
 * shows a small banner and the tray a "Restart to update" item only once an update is `ready`;
 * `installAfterTurn` says the user asked to restart during a turn, which happens when the turn ends.
 * A failed check is `error` and one log line, nothing the user is shown.
 */
export const UpdateStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('available'), version: z.string() }),
  z.object({ state: z.literal('downloading'), version: z.string(), percent: z.number().min(0).max(100) }),
  z.object({ state: z.literal('ready'), version: z.string(), installAfterTurn: z.boolean() }),
  z.object({ state: z.literal('error') }),
]);
export type UpdateState = z.infer<typeof UpdateStateSchema>;
export const InstallUpdateOutcomeSchema = z.enum(['installing', 'after-turn', 'nothing-to-install']);
export type InstallUpdateOutcome = z.infer<typeof InstallUpdateOutcomeSchema>;

/**
 * One configured MCP server as it is now (main/tools/mcp/, Core.mcpServers()), for Settings: its
 * state, why it is not working, and the tools it offers with the policy in effect for each. Never a
 * header or environment value: those stay in main (main/settings/mcp-secrets.ts).
 */
export const McpToolLiveSchema = z.object({
  /** The tool's name on its server (the key of the server's `toolPolicies`). */
  name: z.string(),
  description: z.string(),
  /** The server says the tool only reads (`readOnlyHint`): under "ask" it runs without asking. */
  readOnly: z.boolean(),
  /** What happens when the model calls it, all rules applied (main/tools/mcp/mcp-policy.ts). */
  policy: z.enum(['allow', 'ask', 'deny']),
});
export type McpToolLive = z.infer<typeof McpToolLiveSchema>;
export const McpServerLiveSchema = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  /** connecting; ready (tools listed); retrying (failed or died, next attempt in retryInMs); stopped (off, native, or closing). */
  state: z.enum(['connecting', 'ready', 'retrying', 'stopped']),
  /** Why it is not ready, or why it last failed, in words a person can act on (no secrets); null when fine. */
  lastError: z.string().nullable(),
  tools: z.array(McpToolLiveSchema),
  restarts: z.number().int().nonnegative(),
  /** While retrying: milliseconds until the next attempt, as of when this was sent. */
  retryInMs: z.number().nonnegative().nullable(),
});
export type McpServerLive = z.infer<typeof McpServerLiveSchema>;
export type { McpPairEdit, McpServerEdit } from '../main/settings/mcp-server-edit-schema.ts';

// ---------- the tables ----------

export const requests = {
  getStatus: { input: EmptySchema, output: StatusSchema },
  /** The hotkey as pressed from the UI (the Talk button); the global shortcut calls the same function. */
  hotkey: { input: z.object({ phase: z.enum(['down', 'up']) }).strict(), output: StatusSchema },
  /**
   * A typed turn (the conversation's text box): barges in like the hotkey while the assistant speaks;
   * `replyAs: 'text'` asks for a text-only answer for this turn. `sent: false` says why (no key, budget…).
   */
  sendText: {
    input: z
      .object({
        text: z.string().min(1).max(4000).refine((t) => t.trim().length > 0, 'The message is empty.'),
        replyAs: z.enum(['voice', 'text']),
      })
      .strict(),
    output: z.object({ sent: z.boolean(), reason: z.string().optional(), status: StatusSchema }),
  },
  stopSpeaking: { input: EmptySchema, output: StatusSchema },
  /**
   * The screen picker: screens and windows with thumbnails (taking them is itself a capture, so only
   * on the person's request), or the permission problem that stops it (`problem`, sources empty).
   */
  listScreenSources: {
    input: EmptySchema,
    output: z.object({ permission: ScreenPermissionSchema, problem: z.string().nullable(), sources: z.array(ScreenSourceSchema) }),
  },
  /**
   * "Ask about my screen": captures the picked source (with the indicator) and sends it, with the
   * optional typed question, as one turn; like sendText it barges in and says why when it cannot.
   */
  askAboutScreen: {
    input: z
      .object({
        sourceId: z.string().min(1).max(200),
        text: z.string().max(4000).optional(),
        replyAs: z.enum(['voice', 'text']),
      })
      .strict(),
    output: z.object({ sent: z.boolean(), reason: z.string().optional(), status: StatusSchema }),
  },
  /** Opens System Settings → Privacy & Security → Screen Recording (macOS). */
  openScreenSettings: { input: EmptySchema, output: z.object({ ok: z.literal(true) }) },
  /** Escape with nothing to stop or deny: hide the window (it stays alive in the tray). */
  hideWindow: { input: EmptySchema, output: z.object({ ok: z.literal(true) }) },
  newConversation: { input: EmptySchema, output: StatusSchema },
  /** Continue a conversation from history: its words are replayed as context and new turns append to it. */
  resumeConversation: {
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ ok: z.boolean(), reason: z.string().optional(), status: StatusSchema }),
  },
  setTurnMode: { input: z.object({ mode: TurnModeSchema }).strict(), output: StatusSchema },
  setMicMuted: { input: z.object({ muted: z.boolean() }).strict(), output: StatusSchema },
  answerApproval: {
    input: z.object({ id: z.string().min(1).max(200), decision: ApprovalDecisionSchema }).strict(),
    output: z.object({ accepted: z.boolean() }),
  },
  reportPlayback: { input: PlaybackReportSchema.strict(), output: z.object({ ok: z.literal(true) }) },
  captureFlushed: { input: CaptureFlushedSchema.strict(), output: z.object({ ok: z.literal(true) }) },
  getSettings: { input: EmptySchema, output: SettingsViewSchema },
  updateSettings: {
    input: z.object({ patch: z.record(z.string(), z.unknown()) }).strict(),
    output: z.object({ settings: SettingsViewSchema, appliedLive: z.array(z.string()), nextSession: z.array(z.string()) }),
  },
  setApiKey: {
    input: z.object({ key: z.string().max(400) }).strict(),
    output: z.object({ apiKey: ApiKeyStatusSchema, warning: z.string().optional() }),
  },
  testApiKey: { input: EmptySchema, output: z.object({ ok: z.boolean(), message: z.string() }) },
  listConversations: {
    input: z.object({ query: z.string().max(500).optional() }).strict(),
    output: z.array(
      // costEstimated: part of costUsd is an estimate (TurnMetrics.costEstimated of a turn).
      z.object({ id: z.string(), title: z.string(), startedAt: z.number(), turns: z.number(), costUsd: z.number(), costEstimated: z.boolean() }),
    ),
  },
  exportConversation: {
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ markdown: z.string() }),
  },
  /** One conversation as entries, for the window to show as a conversation; null when it no longer exists. */
  getConversation: {
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z
      .object({ id: z.string(), title: z.string(), startedAt: z.number(), costUsd: z.number(), costEstimated: z.boolean(), entries: z.array(HistoryEntrySchema) })
      .nullable(),
  },
  /** Asks where to save the Markdown export (a system dialog in main); null when cancelled. */
  saveConversationExport: { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: z.object({ path: z.string().nullable() }) },
  deleteConversation: { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: z.object({ ok: z.boolean() }) },
  /** Opens the system folder picker (main owns dialogs); null when the user cancelled. */
  pickFolder: { input: EmptySchema, output: z.object({ path: z.string().nullable() }) },
  /**
   * Onboarding's hotkey check: while active (at most 60 s), a press of the global hotkey is reported
   * as a `hotkeyCheck` event instead of starting a turn, so checking the key costs nothing.
   */
  setHotkeyCheck: { input: z.object({ active: z.boolean() }).strict(), output: z.object({ active: z.boolean(), endsAt: z.number().nullable() }) },
  /** "Restart to update" (banner or tray): installs now, or right after the running turn ends. */
  installUpdate: { input: EmptySchema, output: z.object({ outcome: InstallUpdateOutcomeSchema }) },
  /** Each configured MCP server's live state and tools, in settings order (the `mcpServers` event follows changes). */
  getMcpServers: { input: EmptySchema, output: z.array(McpServerLiveSchema) },
  /**
   * Settings' "Edit" of one MCP server (main/settings/mcp-server-edit.ts): id, on/off and policies stay;
   * a variable or header row sends a new value or `keepFrom` (the stored value the window never sees).
   */
  editMcpServer: { input: McpServerEditSchema, output: z.object({ settings: SettingsViewSchema }) },
  getCostSummary: {
    input: EmptySchema,
    output: z.object({ todayUsd: z.number(), monthUsd: z.number(), dailyBudgetUsd: z.number().nullable() }),
  },
} as const;

export const events = {
  status: StatusSchema,
  transcript: TranscriptSchema,
  toolCall: ToolCallViewSchema,
  approval: ApprovalRequestSchema,
  approvalSettled: z.object({ id: z.string(), decision: z.enum(['allow-once', 'always', 'deny', 'timeout']) }),
  turnMetrics: TurnMetricsSchema,
  notice: NoticeSchema,
  capture: CaptureCommandSchema,
  playback: PlaybackCommandSchema,
  settings: SettingsViewSchema,
  /** Main asks the window to show one of its views (from the tray menu or on first launch). */
  view: ViewNameSchema,
  /**
   * Whether the window is on screen. The page cannot tell by itself: with backgroundThrottling off
   * (needed for audio in a hidden window) the Page Visibility API always says visible.
   */
  windowVisibility: z.object({ visible: z.boolean() }),
  /** The app's own update: checking, downloading, ready to restart (see UpdateStateSchema). */
  update: UpdateStateSchema,
  /** During the hotkey check: the global hotkey went down or up, or the check ended (closed or 60 s). */
  hotkeyCheck: z.object({ phase: z.enum(['down', 'up', 'ended']) }),
  /** The tray's "Ask about my screen": the window opens its screen picker. */
  screenPicker: z.object({}),
  /** The MCP servers' live state changed (started, failed, retrying, tools listed): the whole list, as getMcpServers answers. */
  mcpServers: z.array(McpServerLiveSchema),
} as const;

/** Binary streams. Audio is PCM16 little-endian mono 24 kHz, carried as ArrayBuffer, never JSON or base64. */
export const streams = {
  /** renderer → main: one 20 ms frame (480 samples, 960 bytes), or a shorter final frame on stop. */
  capture: { direction: 'toMain' },
  /** main → renderer: a chunk of assistant audio for one output item. */
  playback: { direction: 'toRenderer' },
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
export type StreamName = keyof typeof streams;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

/** One chunk on a binary stream. `tag` carries the turn id (capture) or output item id (playback). */
export interface StreamChunk {
  stream: StreamName;
  tag: string;
  data: ArrayBuffer;
}

export const requestChannel = (name: RequestName): string => `earshot:req:${name}`;
export const eventChannel = (name: EventName): string => `earshot:evt:${name}`;
export const AUDIO_PORT_CHANNEL = 'earshot:audio-port';
/**
 * The preload sends this (no payload) once per page load, after it subscribed to every event channel.
 * Main answers with the audio port and the events it held while no page was listening: an event sent
 * with webContents.send before the page listens is lost (docs/api/web-contents.md, `send`).
 */
export const HELLO_CHANNEL = 'earshot:hello';

/** Sample format facts the whole app relies on. */
export const AUDIO = {
  sampleRate: 24000,
  frameMs: 20,
  frameSamples: 480,
  bytesPerSample: 2,
} as const;

/** The error a rejected request carries back to the renderer: a message a person can read. */
export class ContractError extends Error {
  override name = 'ContractError';
}
