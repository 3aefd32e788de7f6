/** The contract's request handlers: each one a thin call into the core services. */
import type { McpServerLive, SettingsView } from '../../preload/contract.ts';
import type { Handlers } from '../ipc/contract-server.ts';
import type { ConversationHistory } from '../history/conversation-history.ts';
import type { CostLedger } from '../history/cost-ledger.ts';
import { historyEntryView } from '../history/history-entry-view.ts';
import type { SecretsService } from '../settings/secrets-service.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import { editMcpServer } from '../settings/mcp-server-edit.ts';
import { settingsView } from '../settings/settings-view.ts';
import { settingsChoices } from '../settings/settings-view-schema.ts';
import { connectionEndpoint } from './voice-config.ts';
import type { ApprovalService } from '../tools/approval-service.ts';
import type { ScreenLooker } from '../tools/screen/screen-looker.ts';
import type { VoiceSession } from '../voice/index.ts';
import type { RendererAudioPorts } from './audio-ports.ts';
import type { HotkeyCheck } from './hotkey-check.ts';
import type { CorePorts } from './ports.ts';

export interface HandlerDeps {
  session: VoiceSession;
  settings: SettingsService;
  secrets: SecretsService;
  history: ConversationHistory;
  ledger: CostLedger;
  approvals: ApprovalService;
  audio: RendererAudioPorts;
  ports: CorePorts;
  hotkeyDown: () => void;
  /** A typed turn, after the key and budget checks (start-core.ts). */
  sendText: (text: string, replyAs: 'voice' | 'text') => { sent: boolean; reason?: string };
  /** Continue a conversation from history (start-core.ts). */
  resumeConversation: (id: string) => Promise<{ ok: boolean; reason?: string }>;
  /** Null where the desktop cannot capture (the e2e host, tests). */
  screen: ScreenLooker | null;
  /** A picked screen or window, captured and sent as a turn (start-core.ts). */
  askAboutScreen: (sourceId: string, text: string | null, replyAs: 'voice' | 'text') => Promise<{ sent: boolean; reason?: string }>;
  refreshStatusExtras: () => void;
  holdAvailable: () => boolean;
  hotkeyCheck: HotkeyCheck;
  /** Each MCP server's live state and tools (start-core.ts, mcp-server-views.ts). */
  mcpServers: () => McpServerLive[];
  emitSettings: (view: SettingsView) => void;
}

/** The settings as the window shows them (no secrets, plus what the desktop knows). */
export function currentSettingsView(deps: Pick<HandlerDeps, 'settings' | 'secrets' | 'ports'>): SettingsView {
  return {
    ...settingsView(deps.settings.get(), deps.secrets.status(), deps.secrets.secrets()),
    holdUnavailableReason: deps.ports.desktop.holdUnavailableReason(),
    keyUpSource: null,
    portalTrigger: null,
    ...deps.ports.desktop.keyUpSource?.(),
    screenShortcut: deps.ports.desktop.screenShortcut?.() ?? null,
    keyStorageWarning: deps.secrets.storageWarning(),
    choices: settingsChoices(),
  };
}

export function buildHandlers(deps: HandlerDeps): Handlers {
  const { session, settings, secrets, history, ledger, approvals, audio, ports } = deps;
  const view = (): SettingsView => currentSettingsView(deps);

  return {
    getStatus: () => session.status(),
    hotkey: ({ phase }) => {
      if (phase === 'down') deps.hotkeyDown();
      else session.hotkeyUp();
      return session.status();
    },
    sendText: ({ text, replyAs }) => {
      const result = deps.sendText(text, replyAs);
      return { ...result, status: session.status() };
    },
    listScreenSources: async () => {
      const screen = deps.screen;
      if (!screen) return { permission: 'unknown' as const, problem: 'Looking at the screen is not available here.', sources: [] };
      const problem = screen.permissionProblem();
      if (problem) return { permission: screen.permission(), problem, sources: [] };
      try {
        return { permission: screen.permission(), problem: null, sources: await screen.sources() };
      } catch (error) {
        return { permission: screen.permission(), problem: error instanceof Error ? error.message : String(error), sources: [] };
      }
    },
    askAboutScreen: async ({ sourceId, text, replyAs }) => {
      const result = await deps.askAboutScreen(sourceId, text ?? null, replyAs);
      return { ...result, status: session.status() };
    },
    openScreenSettings: async () => {
      await deps.screen?.openPermissionSettings();
      return { ok: true as const };
    },
    stopSpeaking: () => {
      session.stopSpeaking();
      return session.status();
    },
    hideWindow: () => {
      ports.desktop.hideWindow();
      return { ok: true as const };
    },
    newConversation: () => {
      session.newConversation();
      return session.status();
    },
    resumeConversation: async ({ id }) => ({ ...(await deps.resumeConversation(id)), status: session.status() }),
    setTurnMode: ({ mode }) => {
      if (mode === 'hold' && !deps.holdAvailable()) {
        throw new Error(`Hold-to-talk is unavailable here: ${ports.desktop.holdUnavailableReason() ?? 'no key-up events'}.`);
      }
      settings.update({ turnMode: mode });
      return session.status();
    },
    setMicMuted: ({ muted }) => {
      session.setMicMuted(muted);
      return session.status();
    },
    answerApproval: ({ id, decision }) => ({ accepted: approvals.answer(id, decision) }),
    reportPlayback: (report) => {
      if (!audio.settleStop(report)) session.reportPlayback(report);
      return { ok: true as const };
    },
    captureFlushed: ({ turnId, totalSamples }) => {
      session.captureFlushed(turnId, totalSamples);
      return { ok: true as const };
    },
    getSettings: () => view(),
    updateSettings: ({ patch }) => {
      const result = settings.update(patch);
      const next = view();
      deps.emitSettings(next);
      return { settings: next, appliedLive: result.appliedLive, nextSession: result.nextSession };
    },
    setApiKey: async ({ key }) => {
      const result = await secrets.setKey(key);
      deps.refreshStatusExtras();
      deps.emitSettings(view());
      return result;
    },
    testApiKey: async () => {
      const { baseURL, auth } = connectionEndpoint(settings.get().endpoint, ports.environment.baseURL);
      const check = await secrets.testKey(ports.fetch, { baseURL, auth });
      return { ok: check.ok, message: check.message };
    },
    listConversations: async ({ query }) => {
      const found = query && query.trim() ? await history.search(query) : await history.list();
      return found.map(({ id, title, startedAt, turns, costUsd, costEstimated }) => ({ id, title, startedAt, turns, costUsd, costEstimated }));
    },
    getConversation: async ({ id }) => {
      const conversation = await history.get(id);
      if (!conversation) return null;
      const { title, startedAt, costUsd, costEstimated } = conversation;
      return { id, title, startedAt, costUsd, costEstimated, entries: conversation.entries.map(historyEntryView) };
    },
    exportConversation: async ({ id }) => ({ markdown: await history.exportMarkdown(id) }),
    saveConversationExport: async ({ id }) => {
      const markdown = await history.exportMarkdown(id);
      return { path: await ports.desktop.saveFile(`earshot-${id}.md`, markdown) };
    },
    deleteConversation: async ({ id }) => ({ ok: await history.delete(id) }),
    pickFolder: async () => ({ path: await ports.desktop.pickFolder() }),
    setHotkeyCheck: ({ active }) => {
      deps.hotkeyCheck.set(active);
      return { active: deps.hotkeyCheck.active, endsAt: deps.hotkeyCheck.endsAt };
    },
    installUpdate: () => ({ outcome: ports.updates ? ports.updates.install() : ('nothing-to-install' as const) }),
    getCostSummary: () => ledger.summary(),
    getMcpServers: () => deps.mcpServers(),
    // Saved like updateSettings: the settings listeners reconnect a running server whose connection changed.
    editMcpServer: (edit) => {
      editMcpServer(settings, edit);
      const next = view();
      deps.emitSettings(next);
      return { settings: next };
    },
  };
}
