/**
 * The Settings form's reading of the settings view main sends. The view is typed and validated by the
 * contract (main/settings/settings-view-schema.ts), so nothing here guesses a default or re-declares a
 * list: the engines, models and voices to offer come from `choices`.
 */
import type { SettingsChoices, SettingsView } from '../../../preload/contract.ts';

export interface SettingsForm {
  /** The whole view, for the fields edited as they are (engine stages, transcription, retention). */
  view: SettingsView;
  choices: SettingsChoices;
  engine: SettingsView['engine'];
  model: string;
  reasoningEffort: SettingsView['reasoningEffort'];
  voice: string;
  instructions: string;
  turnMode: SettingsView['turnMode'];
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
  apiKey: SettingsView['apiKey'];
  holdUnavailableReason: string | null;
  /** Where the hotkey's key-up comes from, and the keys the desktop's shortcut portal bound. */
  keyUpSource: SettingsView['keyUpSource'];
  portalTrigger: string | null;
  /** The keys that ask about the screen, or null when none is bound. */
  screenShortcut: string | null;
  keyStorageWarning: string | null;
}

export function readSettings(view: SettingsView): SettingsForm {
  return {
    view,
    choices: view.choices,
    engine: view.engine,
    model: view.model,
    reasoningEffort: view.reasoningEffort,
    voice: view.voice,
    instructions: view.instructions,
    turnMode: view.turnMode,
    hotkey: view.hotkey,
    vadType: view.vad.type,
    transcriptionLanguage: view.transcription.language,
    noiseReduction: view.noiseReduction,
    inputLabel: view.devices.inputLabel,
    outputLabel: view.devices.outputLabel,
    micWarmSeconds: view.micWarmSeconds,
    echoStrategy: view.echoStrategy,
    allowedFolders: view.allowedFolders,
    clipboardRead: view.clipboard.readEnabled,
    clipboardWrite: view.clipboard.write,
    startAtLogin: view.startAtLogin,
    autoUpdate: view.autoUpdate,
    dailyBudgetUsd: view.dailyBudgetUsd,
    historyRetentionDays: view.historyRetentionDays,
    apiKey: view.apiKey,
    holdUnavailableReason: view.holdUnavailableReason,
    keyUpSource: view.keyUpSource,
    portalTrigger: view.portalTrigger,
    screenShortcut: view.screenShortcut,
    keyStorageWarning: view.keyStorageWarning,
  };
}

/** The one line Settings shows about where the hotkey's release comes from. */
export function keyUpSourceText(source: 'uiohook' | 'portal' | 'none', portalTrigger: string | null): string {
  if (source === 'portal') return `Key release from the desktop's shortcut portal${portalTrigger ? `, bound to ${portalTrigger}` : ' (waiting for the desktop to bind the keys)'}.`;
  if (source === 'uiohook') return 'Key release from the system keyboard hook (uiohook).';
  return 'No key-release source: the hotkey starts and sends a turn with two presses.';
}

