import { useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { AudioHandle } from '../state/use-audio.ts';
import { MODELS, VOICES, type SettingsForm } from '../state/settings-form.ts';

interface Props {
  bridge: EarshotBridge;
  settings: SettingsForm;
  audio: AudioHandle;
  onSaved: (message: string) => void;
  onError: (message: string) => void;
}

export function SettingsView({ bridge, settings, audio, onSaved, onError }: Props): React.JSX.Element {
  const [instructions, setInstructions] = useState(settings.instructions);
  const [budget, setBudget] = useState(settings.dailyBudgetUsd === null ? '' : String(settings.dailyBudgetUsd));

  const save = (patch: Record<string, unknown>): void => {
    bridge.request
      .updateSettings({ patch })
      .then((result) => {
        const later = result.nextSession.length ? ` (${result.nextSession.join(', ')}: from the next conversation)` : '';
        onSaved(`Saved${later}.`);
      })
      .catch((error: unknown) => onError(error instanceof Error ? error.message : String(error)));
  };

  const addFolder = (): void => {
    bridge.request
      .pickFolder({})
      .then(({ path }) => {
        if (path && !settings.allowedFolders.includes(path)) save({ allowedFolders: [...settings.allowedFolders, path] });
      })
      .catch((error: unknown) => onError(String(error)));
  };

  return (
    <form className="settings" onSubmit={(e) => e.preventDefault()} data-testid="settings">
      <fieldset>
        <legend>Voice</legend>
        <label>
          Model
          <select value={settings.model} onChange={(e) => save({ model: e.target.value })}>
            {[...new Set([settings.model, ...MODELS])].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Voice
          <select value={settings.voice} onChange={(e) => save({ voice: e.target.value })}>
            {VOICES.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label className="wide">
          Instructions
          <textarea value={instructions} rows={4} onChange={(e) => setInstructions(e.target.value)} onBlur={() => instructions !== settings.instructions && save({ instructions })} />
        </label>
      </fieldset>

      <fieldset>
        <legend>Talking</legend>
        <label>
          Turn mode
          <select value={settings.turnMode} onChange={(e) => save({ turnMode: e.target.value })}>
            <option value="hold" disabled={settings.holdUnavailableReason !== null}>Hold the key while you speak</option>
            <option value="toggle">Press to start, press again to send</option>
            <option value="hands-free">Hands-free conversation</option>
          </select>
        </label>
        {settings.holdUnavailableReason ? <p className="hint">Hold mode is unavailable: {settings.holdUnavailableReason}. Toggle mode is used instead.</p> : null}
        <label>
          Hotkey
          <input defaultValue={settings.hotkey} onBlur={(e) => e.target.value !== settings.hotkey && save({ hotkey: e.target.value })} />
        </label>
        <label>
          Hands-free turn detection
          <select value={settings.vadType} onChange={(e) => save({ vad: { type: e.target.value } })}>
            <option value="semantic_vad">Semantic (waits for you to finish a thought)</option>
            <option value="server_vad">Silence-based</option>
          </select>
        </label>
        <label>
          On speakers (hands-free)
          <select value={settings.echoStrategy} onChange={(e) => save({ echoStrategy: e.target.value })}>
            <option value="duck">Lower the voice while I speak</option>
            <option value="browser-aec">Let the system cancel the echo</option>
            <option value="headset">I use a headset</option>
          </select>
        </label>
        <label>
          Language
          <input placeholder="auto" defaultValue={settings.transcriptionLanguage ?? ''} onBlur={(e) => save({ transcription: { language: e.target.value.trim() || null } })} />
        </label>
      </fieldset>

      <fieldset>
        <legend>Audio devices</legend>
        <label>
          Microphone
          <select value={settings.inputLabel ?? ''} onChange={(e) => void audio.session?.setInputDevice(e.target.value || null)}>
            <option value="">System default</option>
            {audio.devices?.inputs.map((d) => (
              <option key={d.deviceId} value={d.label}>{d.label}</option>
            ))}
          </select>
        </label>
        <label>
          Speaker
          <select value={settings.outputLabel ?? ''} onChange={(e) => void audio.session?.setOutputDevice(e.target.value || null)}>
            <option value="">System default</option>
            {audio.devices?.outputs.map((d) => (
              <option key={d.deviceId} value={d.label}>{d.label}</option>
            ))}
          </select>
        </label>
        <label>
          Keep the microphone ready for (seconds)
          <input type="number" min={0} max={600} defaultValue={settings.micWarmSeconds} onBlur={(e) => save({ micWarmSeconds: Number(e.target.value) })} />
        </label>
      </fieldset>

      <fieldset>
        <legend>Files and clipboard</legend>
        <ul className="folders" data-testid="allowed-folders">
          {settings.allowedFolders.length === 0 ? <li className="hint">No folders yet: Earshot cannot see any of your files.</li> : null}
          {settings.allowedFolders.map((folder) => (
            <li key={folder}>
              <code>{folder}</code>
              <button type="button" onClick={() => save({ allowedFolders: settings.allowedFolders.filter((f) => f !== folder) })}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={addFolder}>
          Allow a folder…
        </button>
        <label className="check">
          <input type="checkbox" checked={settings.clipboardRead} onChange={(e) => save({ clipboard: { readEnabled: e.target.checked } })} />
          Let Earshot read the clipboard when you ask
        </label>
        <label className="check">
          <input type="checkbox" checked={settings.clipboardWrite === 'allow'} onChange={(e) => save({ clipboard: { write: e.target.checked ? 'allow' : 'ask' } })} />
          Copy to the clipboard without asking
        </label>
      </fieldset>

      <fieldset>
        <legend>Cost and privacy</legend>
        <label>
          Daily budget (USD)
          <input inputMode="decimal" placeholder="no budget" value={budget} onChange={(e) => setBudget(e.target.value)} onBlur={() => save({ dailyBudgetUsd: budget.trim() === '' ? null : Number(budget) })} />
        </label>
        <label>
          Keep conversations for (days)
          <input type="number" min={1} placeholder="forever" defaultValue={settings.historyRetentionDays ?? ''} onBlur={(e) => save({ historyRetentionDays: e.target.value === '' ? null : Number(e.target.value) })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={settings.startAtLogin} onChange={(e) => save({ startAtLogin: e.target.checked })} />
          Start Earshot when I log in
        </label>
      </fieldset>

      <ApiKeyField bridge={bridge} settings={settings} onSaved={onSaved} onError={onError} />
    </form>
  );
}

export function ApiKeyField({ bridge, settings, onSaved, onError }: Omit<Props, 'audio'>): React.JSX.Element {
  const [key, setKey] = useState('');
  const [checking, setChecking] = useState(false);
  const statusText =
    settings.apiKey === 'from-environment' ? 'Using OPENAI_API_KEY from the environment.' : settings.apiKey === 'set' ? 'A key is saved (encrypted).' : 'No key yet.';
  return (
    <fieldset>
      <legend>OpenAI API key</legend>
      <p className="hint" data-testid="api-key-status">{statusText}</p>
      {settings.keyStorageWarning ? <p className="warning">{settings.keyStorageWarning}</p> : null}
      <label className="wide">
        New key
        <input type="password" autoComplete="off" spellCheck={false} value={key} placeholder="sk-…" onChange={(e) => setKey(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={key.trim() === ''}
        onClick={() => {
          bridge.request
            .setApiKey({ key: key.trim() })
            .then((result) => {
              setKey('');
              onSaved(result.warning ?? 'Key saved.');
            })
            .catch((error: unknown) => onError(error instanceof Error ? error.message : String(error)));
        }}
      >
        Save key
      </button>
      <button
        type="button"
        disabled={checking || settings.apiKey === 'not-set'}
        onClick={() => {
          setChecking(true);
          bridge.request
            .testApiKey({})
            .then((result) => (result.ok ? onSaved(result.message) : onError(result.message)))
            .catch((error: unknown) => onError(String(error)))
            .finally(() => setChecking(false));
        }}
      >
        {checking ? 'Checking…' : 'Test key'}
      </button>
    </fieldset>
  );
}
