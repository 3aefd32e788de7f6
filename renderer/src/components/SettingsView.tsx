import { useRef, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { AudioHandle } from '../state/use-audio.ts';
import { keyUpSourceText, type SettingsForm } from '../state/settings-form.ts';
import { acceleratorFor } from '../state/accelerator.ts';
import { EngineSettings, ListeningSettings } from './EngineSettings.tsx';
import { McpSettings } from './McpSettings.tsx';

interface Props {
  bridge: EarshotBridge;
  settings: SettingsForm;
  audio: AudioHandle;
  onSaved: (message: string) => void;
  onError: (message: string) => void;
}

type FieldState = { kind: 'saved'; note: string } | { kind: 'error'; note: string };

/** The confirmation or the error, beside the field it is about. */
function FieldNote(props: { state: FieldState | undefined; id: string }): React.JSX.Element {
  const { state } = props;
  return (
    <span id={props.id} className={state?.kind === 'error' ? 'field-error' : 'saved'} role="status" data-testid={`note-${props.id}`}>
      {state ? state.note : ''}
    </span>
  );
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Settings. A field is saved only when its value really changed (tabbing through saves nothing),
 * and the confirmation appears beside that field, not as a notice.
 */
export function SettingsView({ bridge, settings, audio, onError }: Props): React.JSX.Element {
  const [notes, setNotes] = useState<Record<string, FieldState>>({});
  const [instructions, setInstructions] = useState(settings.instructions);
  const [budget, setBudget] = useState(settings.dailyBudgetUsd === null ? '' : String(settings.dailyBudgetUsd));
  const [recording, setRecording] = useState(false);
  const recorder = useRef<HTMLButtonElement | null>(null);

  /** Saves `patch` for `field` when `next` differs from `current`; says so beside the field. */
  const save = (field: string, current: unknown, next: unknown, patch: Record<string, unknown>): void => {
    if (same(current, next)) return;
    bridge.request
      .updateSettings({ patch })
      .then((result) => {
        const later = result.nextSession.length > 0 ? ' · applies to the next conversation' : '';
        setNotes((n) => ({ ...n, [field]: { kind: 'saved', note: `Saved${later}` } }));
      })
      .catch((error: unknown) => setNotes((n) => ({ ...n, [field]: { kind: 'error', note: error instanceof Error ? error.message : String(error) } })));
  };
  const note = (field: string): React.JSX.Element => <FieldNote state={notes[field]} id={field} />;

  const addFolder = (): void => {
    bridge.request
      .pickFolder({})
      .then(({ path }) => {
        if (path && !settings.allowedFolders.includes(path)) save('folders', settings.allowedFolders, [...settings.allowedFolders, path], { allowedFolders: [...settings.allowedFolders, path] });
      })
      .catch((error: unknown) => onError(String(error)));
  };

  const budgetValue = budget.trim() === '' ? null : Number(budget);
  return (
    <form className="settings" onSubmit={(e) => e.preventDefault()} data-testid="settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="visually-hidden">
        Settings
      </h2>
      <EngineSettings settings={settings} save={save} note={note} />
      <fieldset>
        <legend>Voice</legend>
        <label>
          Voice
          <select value={settings.voice} aria-describedby="voice voice-hint" onChange={(e) => save('voice', settings.voice, e.target.value, { voice: e.target.value })}>
            {settings.choices.voices.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <p className="hint" id="voice-hint">
          The voice applies to the next conversation. There is no preview: hearing a voice means a paid request to OpenAI.
        </p>
        {note('voice')}
        <label>
          Instructions
          <textarea value={instructions} rows={3} aria-describedby="instructions" onChange={(e) => setInstructions(e.target.value)} onBlur={() => save('instructions', settings.instructions, instructions, { instructions })} />
        </label>
        {note('instructions')}
      </fieldset>

      <fieldset>
        <legend>Talking</legend>
        <label>
          Turn mode
          <select value={settings.turnMode} aria-describedby="turnMode" onChange={(e) => save('turnMode', settings.turnMode, e.target.value, { turnMode: e.target.value })}>
            <option value="hold" disabled={settings.holdUnavailableReason !== null}>
              Hold the key while you speak
            </option>
            <option value="toggle">Press to start, press again to send</option>
            <option value="hands-free">Hands-free conversation</option>
          </select>
        </label>
        {note('turnMode')}
        <div className="field-row">
          <span className="hotkey-label" id="hotkey-label">
            Hotkey: <kbd data-testid="hotkey-current">{settings.hotkey}</kbd>
          </span>
          <button
            type="button"
            ref={recorder}
            aria-describedby="hotkey-label hotkey hotkey-hold"
            data-testid="hotkey-record"
            onClick={() => setRecording((r) => !r)}
            onBlur={() => setRecording(false)}
            onKeyDown={(event) => {
              if (!recording) return;
              event.preventDefault();
              if (event.key === 'Escape') {
                setRecording(false);
                return;
              }
              const chord = acceleratorFor(event);
              if (!chord) return;
              setRecording(false);
              save('hotkey', settings.hotkey, chord, { hotkey: chord });
            }}
          >
            {recording ? 'Press the new keys… (Escape cancels)' : 'Change hotkey'}
          </button>
          {note('hotkey')}
        </div>
        <p className="hint" id="hotkey-hold" data-testid="hold-availability">
          {settings.holdUnavailableReason ? `Hold mode is unavailable here: ${settings.holdUnavailableReason}. Press once to start and again to send.` : 'Hold mode is available: hold the hotkey while you speak.'}
        </p>
        {settings.keyUpSource ? (
          <p className="hint" data-testid="key-up-source">
            {keyUpSourceText(settings.keyUpSource, settings.portalTrigger)}
          </p>
        ) : null}
        <p className="hint" data-testid="screen-shortcut">
          {settings.screenShortcut
            ? `${settings.screenShortcut} asks about your screen (you pick the screen or window first).`
            : 'No screen shortcut is bound (another app may hold it); the tray and the window still ask about your screen.'}
        </p>
        <label>
          Hands-free turn detection
          <select value={settings.vadType} aria-describedby="vad" onChange={(e) => save('vad', settings.vadType, e.target.value, { vad: { type: e.target.value } })}>
            <option value="semantic_vad">Semantic (waits for you to finish a thought)</option>
            <option value="server_vad">Silence-based</option>
          </select>
        </label>
        {note('vad')}
        <label>
          On speakers (hands-free)
          <select value={settings.echoStrategy} aria-describedby="echo" onChange={(e) => save('echo', settings.echoStrategy, e.target.value, { echoStrategy: e.target.value })}>
            <option value="duck">Lower the voice while I speak</option>
            <option value="browser-aec">Let the system cancel the echo</option>
            <option value="headset">I use a headset</option>
          </select>
        </label>
        {note('echo')}
        <label>
          Language (blank: detect)
          <input
            defaultValue={settings.transcriptionLanguage ?? ''}
            aria-describedby="language"
            onBlur={(e) => {
              const next = e.target.value.trim() || null;
              save('language', settings.transcriptionLanguage, next, { transcription: { language: next } });
            }}
          />
        </label>
        {note('language')}
      </fieldset>

      <ListeningSettings settings={settings} save={save} note={note} />

      <fieldset>
        <legend>Audio devices</legend>
        <label>
          Microphone
          <select value={settings.inputLabel ?? ''} onChange={(e) => void audio.session?.setInputDevice(e.target.value || null)}>
            <option value="">System default</option>
            {audio.devices?.inputs.map((d) => (
              <option key={d.deviceId} value={d.label}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Speaker
          <select value={settings.outputLabel ?? ''} onChange={(e) => void audio.session?.setOutputDevice(e.target.value || null)}>
            <option value="">System default</option>
            {audio.devices?.outputs.map((d) => (
              <option key={d.deviceId} value={d.label}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Keep the microphone ready for (seconds)
          <input
            type="number"
            min={0}
            max={600}
            defaultValue={settings.micWarmSeconds}
            aria-describedby="micWarm"
            onBlur={(e) => save('micWarm', settings.micWarmSeconds, Number(e.target.value), { micWarmSeconds: Number(e.target.value) })}
          />
        </label>
        {note('micWarm')}
      </fieldset>

      <fieldset>
        <legend>Files and clipboard</legend>
        <p className="hint">Earshot can read files only inside these folders, and writes only after asking you.</p>
        <ul className="folders" data-testid="allowed-folders">
          {settings.allowedFolders.length === 0 ? <li className="hint">No folders yet: Earshot cannot see any of your files.</li> : null}
          {settings.allowedFolders.map((folder) => (
            <li key={folder}>
              <code>{folder}</code>
              <button
                type="button"
                aria-label={`Stop sharing ${folder} (the folder and its files stay on disk)`}
                onClick={() => save('folders', settings.allowedFolders, settings.allowedFolders.filter((f) => f !== folder), { allowedFolders: settings.allowedFolders.filter((f) => f !== folder) })}
              >
                Stop sharing
              </button>
            </li>
          ))}
        </ul>
        {settings.allowedFolders.length > 0 ? (
          <p className="hint" data-testid="folders-remove-hint">
            Stop sharing only takes away Earshot's access: the folder and its files stay where they are.
          </p>
        ) : null}
        <div className="field-row">
          <button type="button" onClick={addFolder}>
            Share a folder…
          </button>
          {note('folders')}
        </div>
        <label className="check">
          <input type="checkbox" checked={settings.clipboardRead} aria-describedby="clipRead" onChange={(e) => save('clipRead', settings.clipboardRead, e.target.checked, { clipboard: { readEnabled: e.target.checked } })} />
          Let Earshot read the clipboard when you ask
        </label>
        {note('clipRead')}
        <label className="check">
          <input
            type="checkbox"
            checked={settings.clipboardWrite === 'allow'}
            aria-describedby="clipWrite"
            onChange={(e) => save('clipWrite', settings.clipboardWrite, e.target.checked ? 'allow' : 'ask', { clipboard: { write: e.target.checked ? 'allow' : 'ask' } })}
          />
          Copy to the clipboard without asking
        </label>
        {note('clipWrite')}
      </fieldset>

      <McpSettings bridge={bridge} settings={settings} />

      <fieldset>
        <legend>Cost and privacy</legend>
        <label>
          Daily budget in US dollars (blank: none)
          <input
            inputMode="decimal"
            value={budget}
            aria-describedby="budget"
            data-testid="budget"
            onChange={(e) => setBudget(e.target.value)}
            onBlur={() => (budgetValue !== null && !Number.isFinite(budgetValue) ? setNotes((n) => ({ ...n, budget: { kind: 'error', note: 'Enter a number, like 0.50' } })) : save('budget', settings.dailyBudgetUsd, budgetValue, { dailyBudgetUsd: budgetValue }))}
          />
        </label>
        {note('budget')}
        <label>
          Keep conversations for (days, blank: forever)
          <input
            type="number"
            min={1}
            defaultValue={settings.historyRetentionDays ?? ''}
            aria-describedby="retention"
            onBlur={(e) => {
              const next = e.target.value === '' ? null : Number(e.target.value);
              save('retention', settings.historyRetentionDays, next, { historyRetentionDays: next });
            }}
          />
        </label>
        {note('retention')}
        <label className="check">
          <input type="checkbox" checked={settings.startAtLogin} aria-describedby="login" onChange={(e) => save('login', settings.startAtLogin, e.target.checked, { startAtLogin: e.target.checked })} />
          Start Earshot when I log in
        </label>
        {note('login')}
        <label className="check">
          <input type="checkbox" checked={settings.autoUpdate} aria-describedby="updates" onChange={(e) => save('updates', settings.autoUpdate, e.target.checked, { autoUpdate: e.target.checked })} />
          Download updates in the background (installed only when you choose to restart)
        </label>
        {note('updates')}
      </fieldset>

      <ApiKeyField bridge={bridge} settings={settings} />
    </form>
  );
}

/** Where keys are made; main lets the window open only OpenAI's platform site (main/app/windows.ts). */
export const CREATE_KEY_URL = 'https://platform.openai.com/api-keys';

/**
 * The API key: saved, then tested at once; the result stays beside the field. `onTested` hears
 * whether the key works, so onboarding ticks only after a successful test.
 */
export function ApiKeyField(props: { bridge: EarshotBridge; settings: SettingsForm; onTested?: (ok: boolean) => void }): React.JSX.Element {
  const { bridge, settings, onTested } = props;
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const [result, setResult] = useState<FieldState | null>(null);
  const statusText =
    settings.apiKey === 'from-environment' ? 'Using OPENAI_API_KEY from the environment.' : settings.apiKey === 'set' ? 'A key is saved (encrypted).' : 'No key yet.';
  const test = (): void => {
    setBusy('testing');
    bridge.request
      .testApiKey({})
      .then((r) => {
        setResult({ kind: r.ok ? 'saved' : 'error', note: r.message });
        onTested?.(r.ok);
      })
      .catch((error: unknown) => {
        setResult({ kind: 'error', note: String(error) });
        onTested?.(false);
      })
      .finally(() => setBusy(null));
  };
  return (
    <fieldset>
      <legend>OpenAI API key</legend>
      <p className="hint" data-testid="api-key-status">
        {statusText}{' '}
        <a href={CREATE_KEY_URL} target="_blank" rel="noreferrer">
          Create a key on platform.openai.com
        </a>
      </p>
      {settings.keyStorageWarning ? <p className="warning">{settings.keyStorageWarning}</p> : null}
      <label>
        New key
        <input type="password" autoComplete="off" spellCheck={false} value={key} placeholder="sk-…" aria-describedby="api-key-result" onChange={(e) => setKey(e.target.value)} data-testid="api-key-input" />
      </label>
      <div className="field-row">
        <button
          type="button"
          disabled={key.trim() === '' || busy !== null}
          data-testid="api-key-save"
          onClick={() => {
            setBusy('saving');
            setResult(null);
            bridge.request
              .setApiKey({ key: key.trim() })
              .then(() => {
                setKey('');
                test();
              })
              .catch((error: unknown) => {
                setBusy(null);
                setResult({ kind: 'error', note: error instanceof Error ? error.message : String(error) });
                onTested?.(false);
              });
          }}
        >
          {busy === 'saving' ? 'Saving…' : 'Save and test'}
        </button>
        <button type="button" disabled={busy !== null || settings.apiKey === 'not-set'} onClick={test} data-testid="api-key-test">
          {busy === 'testing' ? 'Testing…' : 'Test key'}
        </button>
      </div>
      <span id="api-key-result" className={result?.kind === 'error' ? 'field-error' : 'saved'} role="status" data-testid="api-key-result">
        {result ? result.note : ''}
      </span>
    </fieldset>
  );
}
