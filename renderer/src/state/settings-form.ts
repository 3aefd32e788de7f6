/**
 * The renderer's reading of the settings view main sends (a plain record; main validates every
 * change against its schema). Only the fields the UI edits are read, each with a safe fallback.
 */
export interface SettingsForm {
  model: string;
  voice: string;
  instructions: string;
  turnMode: 'hold' | 'toggle' | 'hands-free';
  hotkey: string;
  vadType: string;
  transcriptionLanguage: string | null;
  noiseReduction: string;
  inputLabel: string | null;
  outputLabel: string | null;
  micWarmSeconds: number;
  echoStrategy: string;
  allowedFolders: string[];
  clipboardRead: boolean;
  clipboardWrite: string;
  startAtLogin: boolean;
  autoUpdate: boolean;
  dailyBudgetUsd: number | null;
  historyRetentionDays: number | null;
  apiKey: 'set' | 'not-set' | 'from-environment';
  holdUnavailableReason: string | null;
  /** Where the hotkey's key-up comes from, and the keys the desktop's shortcut portal bound. */
  keyUpSource: 'uiohook' | 'portal' | 'none' | null;
  portalTrigger: string | null;
  keyStorageWarning: string | null;
}

const str = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const obj = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const nullableStr = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const nullableNum = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function readSettings(view: Record<string, unknown>): SettingsForm {
  const vad = obj(view.vad);
  const transcription = obj(view.transcription);
  const devices = obj(view.devices);
  const clipboard = obj(view.clipboard);
  const turnMode = view.turnMode === 'toggle' || view.turnMode === 'hands-free' ? view.turnMode : 'hold';
  const apiKey = view.apiKey === 'set' || view.apiKey === 'from-environment' ? view.apiKey : 'not-set';
  return {
    model: str(view.model, 'gpt-realtime-2.1'),
    voice: str(view.voice, 'marin'),
    instructions: str(view.instructions, ''),
    turnMode,
    hotkey: str(view.hotkey, 'Control+Alt+Space'),
    vadType: str(vad.type, 'semantic_vad'),
    transcriptionLanguage: nullableStr(transcription.language),
    noiseReduction: str(view.noiseReduction, 'near_field'),
    inputLabel: nullableStr(devices.inputLabel),
    outputLabel: nullableStr(devices.outputLabel),
    micWarmSeconds: num(view.micWarmSeconds, 10),
    echoStrategy: str(view.echoStrategy, 'duck'),
    allowedFolders: Array.isArray(view.allowedFolders) ? view.allowedFolders.filter((f): f is string => typeof f === 'string') : [],
    clipboardRead: clipboard.readEnabled === true,
    clipboardWrite: str(clipboard.write, 'ask'),
    startAtLogin: view.startAtLogin === true,
    autoUpdate: view.autoUpdate !== false,
    dailyBudgetUsd: nullableNum(view.dailyBudgetUsd),
    historyRetentionDays: nullableNum(view.historyRetentionDays),
    apiKey,
    holdUnavailableReason: nullableStr(view.holdUnavailableReason),
    keyUpSource: view.keyUpSource === 'uiohook' || view.keyUpSource === 'portal' || view.keyUpSource === 'none' ? view.keyUpSource : null,
    portalTrigger: nullableStr(view.portalTrigger),
    keyStorageWarning: nullableStr(view.keyStorageWarning),
  };
}

/** The one line Settings shows about where the hotkey's release comes from. */
export function keyUpSourceText(source: 'uiohook' | 'portal' | 'none', portalTrigger: string | null): string {
  if (source === 'portal') return `Key release from the desktop's shortcut portal${portalTrigger ? `, bound to ${portalTrigger}` : ' (waiting for the desktop to bind the keys)'}.`;
  if (source === 'uiohook') return 'Key release from the system keyboard hook (uiohook).';
  return 'No key-release source: the hotkey starts and sends a turn with two presses.';
}

export const VOICES = ['marin', 'cedar', 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'];
/** Current Realtime models first, then the older names the service still accepts (main/voice/cost/models.ts, read 2026-11-25). */
export const MODELS = ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini', 'gpt-realtime-2', 'gpt-realtime-1.5', 'gpt-realtime', 'gpt-realtime-mini'];
