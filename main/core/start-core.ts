/**
 * The whole app without Electron: settings, secrets, history, cost ledger, tools, approvals and the
 * voice session, wired to the IPC contract over any MainTransport. main/index.ts runs it with the
 * Electron transport and ports; the e2e tier runs the very same function over a local WebSocket.
 */
import { join } from 'node:path';
import { requestNames, type Notice, type RequestName, type Status, type ViewName } from '../../preload/contract.ts';
import type { MainTransport, SenderInfo } from '../../preload/transport.ts';
import { serveContract, type ContractServer, type Handlers } from '../ipc/contract-server.ts';
import { ConversationHistory, scheduleRetention } from '../history/conversation-history.ts';
import { CostLedger } from '../history/cost-ledger.ts';
import { createRedactingLogger } from '../base/redact.ts';
import { SecretsService } from '../settings/secrets-service.ts';
import { SettingsService } from '../settings/settings-service.ts';
import type { Settings } from '../settings/settings-schema.ts';
import { ApprovalService } from '../tools/approval-service.ts';
import { createToolHost } from '../tools/create-tool-host.ts';
import { ScreenLooker } from '../tools/screen/screen-looker.ts';
import { McpManager, type McpServerStatus } from '../tools/mcp/index.ts';
import { mcpStatusNotices } from './mcp-notices.ts';
import { coalescedMcpEmitter, mcpServerViews } from './mcp-server-views.ts';
import { createVoiceSession, type VoiceSession } from '../voice/index.ts';
import type { SessionEvents } from '../voice/ports.ts';
import type { Logger } from '../base/logger.ts';
import { rendererAudioPorts } from './audio-ports.ts';
import { resumeHistory } from './resume-context.ts';
import { buildHandlers, currentSettingsView } from './handlers.ts';
import { HotkeyCheck } from './hotkey-check.ts';
import type { CorePorts } from './ports.ts';
import { connectionEndpoint, toolOptionsFromSettings, voiceConfigFromSettings } from './voice-config.ts';

export interface Core {
  /** What the global shortcut calls (and the e2e tier, in its place). */
  hotkeyDown(): void;
  hotkeyUp(): void;
  /** Show the window on one of its views (tray menu, first launch, second instance). */
  show(view: ViewName): void;
  /** Tell the user something the desktop layer found (a permission refused, say). */
  notice(notice: Notice): void;
  /** The window was shown or hidden (the renderer stops meter updates while hidden). */
  windowVisibility(visible: boolean): void;
  /** The desktop's hotkey source changed after start-up (the shortcut portal bound, refused or closed). */
  desktopChanged(): void;
  /** The tray's "Ask about my screen": the window opens its screen picker. */
  askAboutScreen(): void;
  session: VoiceSession;
  settings: SettingsService;
  status(): Status;
  /** Each configured MCP server: name, state, last error (for a settings or status view). */
  mcpServers(): McpServerStatus[];
  logger: Logger;
  dispose(): Promise<void>;
}

export interface StartCoreOptions {
  isTrustedSender: (sender: SenderInfo) => boolean;
  /** Desktop work the voice session waits for (the key-up hook decides whether hold mode exists). */
  desktopReady?: Promise<unknown>;
  /** Tool and approval timeouts, shortened by tests. */
  approvalTimeoutMs?: number;
  /** How long onboarding's hotkey check lasts at most (60 s; shortened by tests). */
  hotkeyCheckMs?: number;
}

export async function startCore(transport: MainTransport, ports: CorePorts, options: StartCoreOptions): Promise<Core> {
  // Every request handler is registered now, before anything is awaited, so a page that asks the
  // moment it loads never meets "No handler registered" (docs/api/ipc-main.md, ipcMain.handle);
  // each waits until the services below exist, however long the key decryption takes.
  const handlersReady = deferred<Handlers>();
  let loggerRef: Logger | null = null;
  const server: ContractServer = serveContract(transport, deferredHandlers(handlersReady.promise), {
    isTrustedSender: options.isTrustedSender,
    onHandlerError: (name, error) => (loggerRef ?? ports.logSink).warn(`request ${name} failed`, { error: String(error) }),
  });
  try {
    const core = await assembleCore(server, ports, options, (logger) => (loggerRef = logger), handlersReady.resolve);
    return core;
  } catch (error) {
    handlersReady.reject(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

async function assembleCore(
  server: ContractServer,
  ports: CorePorts,
  options: StartCoreOptions,
  setLogger: (logger: Logger) => void,
  serveHandlers: (handlers: Handlers) => void,
): Promise<Core> {
  const notice = (n: Notice): void => {
    server.emit('notice', n);
    ports.desktop.noticed(n);
  };

  const settings = new SettingsService({ store: ports.settingsStore, notice, clock: ports.clock });
  settings.load();
  const secrets = new SecretsService({
    storage: ports.secretStorage,
    blob: ports.keyBlob,
    environmentKey: ports.environment.apiKey,
    source: () => settings.get().apiKeySource,
    notice,
  });
  await secrets.load();
  const logger = createRedactingLogger(ports.logSink, () => secrets.secrets());
  setLogger(logger);

  const history = new ConversationHistory({ dir: join(ports.userDataDir, 'history'), clock: ports.clock, notice });
  const retention = scheduleRetention({
    history,
    clock: ports.clock,
    retentionDays: () => settings.get().historyRetentionDays,
    onError: (error) => logger.warn('history retention failed', { error: String(error) }),
  });
  const ledger = await CostLedger.open({
    file: join(ports.userDataDir, 'cost-ledger.jsonl'),
    clock: ports.clock,
    dailyBudgetUsd: () => settings.get().dailyBudgetUsd,
    notice,
  });

  const approvals = new ApprovalService({ clock: ports.clock, ...(options.approvalTimeoutMs ? { timeoutMs: options.approvalTimeoutMs } : {}) });
  // MCP servers' tools go through the same host (policy, approval card, time limit, output limit, audit).
  const mcp = new McpManager({ clock: ports.clock, logger });
  const screen = ports.screen
    ? new ScreenLooker({ port: ports.screen.capture, indicator: ports.screen.indicator, detail: () => settings.get().screen.detail, notice: (n) => events.notice(n), logger })
    : null;
  const tools = createToolHost({
    ...toolOptionsFromSettings(settings.get()),
    ...(screen ? { screen } : {}),
    clipboard: ports.clipboard,
    approvals,
    clock: ports.clock,
    logger,
    external: mcp,
  });

  const show = (view: ViewName): void => {
    server.emit('view', view);
    ports.desktop.showWindow();
  };

  const holdAvailable = (): boolean => ports.desktop.holdUnavailableReason() === null;
  const startedConversations = new Set<string>();
  const ensureConversation = (conversationId: string): void => {
    if (startedConversations.has(conversationId)) return;
    startedConversations.add(conversationId);
    const s = settings.get();
    void history.start({ conversationId, model: s.model, voice: s.voice, engine: s.engine });
  };

  const audio = rendererAudioPorts(() => server, ports.clock);

  const events: SessionEvents = {
    status(status) {
      server.emit('status', status);
      const s = settings.get();
      ports.desktop.statusChanged(status, s.hotkey, s.startAtLogin);
    },
    transcript(transcript) {
      server.emit('transcript', transcript);
      ensureConversation(transcript.conversationId);
      void history.recordTranscript(transcript);
    },
    toolCall(view) {
      server.emit('toolCall', view);
    },
    approval(request) {
      server.emit('approval', request);
    },
    imageCost(cost) {
      ensureConversation(cost.conversationId);
      void history.recordImage(cost);
    },
    turnMetrics(metrics) {
      server.emit('turnMetrics', metrics);
      ensureConversation(metrics.conversationId);
      void ledger.record(metrics);
      void history.recordTurn(metrics);
    },
    notice(n) {
      notice(n);
      if (n.level !== 'info') logger.warn(`notice: ${n.message}`);
      ensureConversation(session.conversationId());
      void history.recordNotice(session.conversationId(), n);
    },
  };

  // Whether hold mode exists is known only once the key-up hook tried to start.
  await options.desktopReady;
  const session: VoiceSession = createVoiceSession(voiceConfigFromSettings(settings.get(), holdAvailable()), {
    events,
    capture: audio.capture,
    playback: audio.playback,
    tools,
    clock: ports.clock,
    logger,
    credentials: async () => {
      const key = secrets.getKey();
      if (!key) throw new Error('No OpenAI API key is set. Add one in Settings → OpenAI API key.');
      const s = settings.get();
      const { baseURL, azure } = connectionEndpoint(s.endpoint, ports.environment.baseURL);
      const ca = s.endpoint.extraCaCertPath ? await ports.readTextFile(s.endpoint.extraCaCertPath) : undefined;
      return { apiKey: key, baseURL, ...(ca ? { ca } : {}), ...(azure ? { azure } : {}) };
    },
  });
  const refreshStatusExtras = (): void => session.setStatusExtras({ apiKey: secrets.status(), holdAvailable: holdAvailable() });
  refreshStatusExtras();

  tools.onAudit((record) => void history.recordTool(record));
  mcp.onStatus(mcpStatusNotices(notice));
  // Settings shows each server's state and tools live: one `mcpServers` event per burst of changes.
  const mcpServerList = () => mcpServerViews(mcp.statuses(), mcp.tools());
  const mcpChanged = coalescedMcpEmitter(mcpServerList, (list) => server.emit('mcpServers', list));
  mcp.onStatus(mcpChanged);
  mcp.onChange(mcpChanged);
  // A server's tools that come, go or change reach a live session at once (session.update).
  tools.onDefinitionsChanged(() => session.refreshTools());
  mcp.update(settings.get().mcpServers);
  approvals.onRequest((request) => {
    server.emit('approval', request);
    if (!ports.desktop.isWindowVisible()) ports.desktop.notifyApproval(request, (decision) => approvals.answer(request.id, decision));
  });
  approvals.onSettled((settled) => {
    server.emit('approvalSettled', { id: settled.id, decision: settled.decision });
    ports.desktop.approvalSettled(settled.id);
  });

  /** The accelerator that is registered with the desktop right now (null: none works). */
  let activeHotkey: string | null = null;
  const applySettings = (next: Settings, changed: string[]): void => {
    const top = new Set(changed.map((path) => path.split('.')[0] ?? path));
    session.updateConfig(voiceConfigFromSettings(next, holdAvailable()));
    if (['allowedFolders', 'toolPolicies', 'clipboard'].some((k) => top.has(k))) {
      const report = tools.update(toolOptionsFromSettings(next));
      for (const rejected of report.rejected) notice({ level: 'warning', message: `Folder not allowed: ${rejected.path} (${rejected.reason})`, subject: 'settings' });
    }
    if (top.has('mcpServers')) {
      const nativeBefore = JSON.stringify(tools.nativeTools());
      mcp.update(next.mcpServers);
      // Native servers are session tools too; connected ones refresh through onDefinitionsChanged.
      if (JSON.stringify(tools.nativeTools()) !== nativeBefore) session.refreshTools();
      mcpChanged();
    }
    if (top.has('hotkey') && next.hotkey !== activeHotkey) {
      const result = ports.desktop.registerHotkey(next.hotkey);
      if (result.ok) activeHotkey = next.hotkey;
      else {
        notice({ level: 'error', message: result.message ?? `${next.hotkey} could not be registered.`, action: 'Choose another hotkey in Settings.', subject: 'hotkey', button: 'open-settings' });
        // The desktop kept the previous hotkey working: the setting says so too, so what Settings
        // shows is the key that really works (after this change has reached every listener).
        const kept = activeHotkey;
        if (kept) {
          queueMicrotask(() => {
            settings.update({ hotkey: kept });
            server.emit('settings', currentSettingsView({ settings, secrets, ports }));
          });
        }
      }
    }
    if (top.has('startAtLogin')) void ports.desktop.setStartAtLogin(next.startAtLogin).catch((e: unknown) => notice({ level: 'warning', message: `Start at login could not be changed: ${String(e)}`, subject: 'settings' }));
    if (top.has('apiKeySource')) refreshStatusExtras();
  };
  settings.onChange(applySettings);

  const hotkeyDown = (): void => {
    const state = session.status().state;
    // A new turn from idle needs a key and money left; barge-in and sending always work.
    if (state === 'idle' || state === 'error') {
      if (secrets.status() === 'not-set') {
        notice({ level: 'error', message: 'Earshot needs an OpenAI API key before it can listen.', action: 'Add one in Settings → OpenAI API key.', subject: 'api-key' });
        show('onboarding');
        return;
      }
      const budget = ledger.canStartTurn();
      if (!budget.ok) {
        notice({ level: 'error', message: budget.message, action: 'Raise the daily budget in Settings to continue today.', subject: 'budget', button: 'open-settings' });
        return;
      }
    }
    session.hotkeyDown();
  };

  // Continue an earlier conversation: its words become the new session's context, and new turns are
  // appended to its file (a second `start` line records the engine and model it continued on).
  const resumeConversation = async (id: string): Promise<{ ok: boolean; reason?: string }> => {
    const conversation = await history.get(id);
    if (!conversation) return { ok: false, reason: 'That conversation no longer exists.' };
    session.resumeConversation(id, resumeHistory(conversation));
    startedConversations.delete(id);
    ensureConversation(id);
    logger.info('conversation resumed', { id, entries: conversation.entries.length });
    return { ok: true };
  };

  // A typed turn always asks for a paid response: like a new spoken turn it needs a key and money left.
  const sendText = (text: string, replyAs: 'voice' | 'text'): { sent: boolean; reason?: string } => {
    if (secrets.status() === 'not-set') return { sent: false, reason: 'Add an OpenAI API key in Settings before sending a message.' };
    const budget = ledger.canStartTurn();
    if (!budget.ok) {
      notice({ level: 'error', message: budget.message, action: 'Raise the daily budget in Settings to continue today.', subject: 'budget', button: 'open-settings' });
      return { sent: false, reason: budget.message };
    }
    const result = session.sendText(text, replyAs);
    return result.sent ? { sent: true } : { sent: false, reason: result.reason };
  };

  // "Ask about my screen": the same checks as a typed turn, then one capture with its indicator.
  const askAboutScreen = async (sourceId: string, text: string | null, replyAs: 'voice' | 'text'): Promise<{ sent: boolean; reason?: string }> => {
    if (!screen) return { sent: false, reason: 'Looking at the screen is not available here.' };
    if (secrets.status() === 'not-set') return { sent: false, reason: 'Add an OpenAI API key in Settings before showing the screen.' };
    const budget = ledger.canStartTurn();
    if (!budget.ok) return { sent: false, reason: budget.message };
    try {
      const looked = await screen.look({ sourceId });
      const result = session.sendImage(
        { image: looked.image, label: looked.sourceName, width: looked.width, height: looked.height, estimatedTokens: looked.estimatedTokens },
        text,
        replyAs,
      );
      return result.sent ? { sent: true } : { sent: false, reason: result.reason };
    } catch (error) {
      return { sent: false, reason: error instanceof Error ? error.message : String(error) };
    }
  };

  // Onboarding's hotkey check takes the global hotkey's presses while it is open (hotkey-check.ts);
  // the Talk button (the `hotkey` request) still talks.
  const hotkeyCheck = new HotkeyCheck({
    clock: ports.clock,
    report: (phase) => server.emit('hotkeyCheck', { phase }),
    ...(options.hotkeyCheckMs ? { limitMs: options.hotkeyCheckMs } : {}),
  });

  serveHandlers(
    buildHandlers({
      session,
      settings,
      secrets,
      history,
      ledger,
      approvals,
      audio,
      ports,
      hotkeyDown,
      sendText,
      resumeConversation,
      screen,
      askAboutScreen,
      refreshStatusExtras,
      holdAvailable,
      hotkeyCheck,
      mcpServers: mcpServerList,
      emitSettings: (view) => server.emit('settings', view),
    }),
  );
  server.onCapture((turnId, pcm) => session.pushCapture(turnId, new Int16Array(pcm)));
  const stopUpdateEvents = ports.updates?.subscribe((state) => server.emit('update', state));

  const hotkeyResult = ports.desktop.registerHotkey(settings.get().hotkey);
  if (hotkeyResult.ok) activeHotkey = settings.get().hotkey;
  else notice({ level: 'error', message: hotkeyResult.message ?? 'The hotkey could not be registered.', action: 'Choose another hotkey in Settings.', subject: 'hotkey', button: 'open-settings' });
  const reason = ports.desktop.holdUnavailableReason();
  if (reason && settings.get().turnMode === 'hold') notice({ level: 'warning', message: `Hold-to-talk is unavailable: ${reason}. Press once to start and again to send.`, subject: 'hotkey' });

  return {
    hotkeyDown: () => {
      const state = session.status().state;
      if (!hotkeyCheck.takeDown(state === 'idle' || state === 'error')) hotkeyDown();
    },
    hotkeyUp: () => {
      if (!hotkeyCheck.takeUp()) session.hotkeyUp();
    },
    show,
    notice,
    windowVisibility: (visible) => server.emit('windowVisibility', { visible }),
    desktopChanged() {
      const wasAvailable = session.status().holdAvailable;
      session.updateConfig(voiceConfigFromSettings(settings.get(), holdAvailable()));
      refreshStatusExtras();
      server.emit('settings', currentSettingsView({ settings, secrets, ports }));
      const lost = ports.desktop.holdUnavailableReason();
      if (wasAvailable && lost && settings.get().turnMode === 'hold') notice({ level: 'warning', message: `Hold-to-talk is unavailable: ${lost}. Press once to start and again to send.`, subject: 'hotkey' });
    },
    askAboutScreen() {
      server.emit('screenPicker', {});
      ports.desktop.showWindow();
    },
    session,
    settings,
    status: () => session.status(),
    mcpServers: () => mcp.statuses(),
    logger,
    async dispose() {
      retention.stop();
      hotkeyCheck.dispose();
      stopUpdateEvents?.();
      approvals.cancelAll();
      await session.dispose();
      await mcp.close();
      await history.flush();
      await ledger.flush();
    },
  };
}

/** Handlers that wait for the real ones (the core is still starting when the page first asks). */
function deferredHandlers(ready: Promise<Handlers>): Handlers {
  const waiting = {} as Record<RequestName, (input: unknown, sender: SenderInfo) => Promise<unknown>>;
  for (const name of requestNames) {
    waiting[name] = async (input, sender) => {
      const handlers = await ready;
      const handler = handlers[name] as (input: unknown, sender: SenderInfo) => unknown;
      return handler(input, sender);
    };
  }
  return waiting as unknown as Handlers;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A start-up failure is reported by startCore's caller; requests waiting on it get its message.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
