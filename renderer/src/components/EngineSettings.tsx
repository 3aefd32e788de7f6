import { useState } from 'react';
import type { SettingsForm } from '../state/settings-form.ts';

type Save = (field: string, current: unknown, next: unknown, patch: Record<string, unknown>) => void;
type Note = (field: string) => React.JSX.Element;
type StageName = 'transcribe' | 'chat' | 'speech';

const STAGES: { stage: StageName; label: string; what: string }[] = [
  { stage: 'transcribe', label: 'Transcription', what: 'turns your speech into text' },
  { stage: 'chat', label: 'Text model', what: 'writes the answer and uses the tools' },
  { stage: 'speech', label: 'Speech', what: 'reads the answer aloud' },
];

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** One HTTP stage of the cascaded engine: model, server (blank: the main endpoint), and whether the key is sent. */
function StageFields(props: { settings: SettingsForm; stage: StageName; label: string; what: string; suggestions: string[]; save: Save; note: Note }): React.JSX.Element {
  const { settings, stage, save, note } = props;
  const current = settings.view.cascaded[stage];
  const field = `stage-${stage}`;
  return (
    <div className="stage" data-testid={field}>
      <p className="stage-title">
        <strong>{props.label}</strong> <span className="hint">— {props.what}</span>
      </p>
      <label>
        Model
        <input
          list={`${field}-models`}
          defaultValue={current.model}
          aria-describedby={`${field}-model`}
          onBlur={(e) => save(`${field}-model`, current.model, e.target.value.trim(), { cascaded: { [stage]: { model: e.target.value.trim() } } })}
        />
        <datalist id={`${field}-models`}>
          {props.suggestions.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </label>
      {note(`${field}-model`)}
      <label>
        Server (blank: the main endpoint)
        <input
          inputMode="url"
          placeholder="http://localhost:8000/v1"
          defaultValue={current.baseURL ?? ''}
          aria-describedby={`${field}-url`}
          onBlur={(e) => {
            const next = e.target.value.trim() || null;
            save(`${field}-url`, current.baseURL, next, { cascaded: { [stage]: { baseURL: next } } });
          }}
        />
      </label>
      {note(`${field}-url`)}
      <label className="check">
        <input
          type="checkbox"
          checked={current.keySource === 'openai'}
          aria-describedby={`${field}-key`}
          onChange={(e) => save(`${field}-key`, current.keySource, e.target.checked ? 'openai' : 'none', { cascaded: { [stage]: { keySource: e.target.checked ? 'openai' : 'none' } } })}
        />
        Send my API key to this server
      </label>
      {note(`${field}-key`)}
    </div>
  );
}

/**
 * How a conversation is held: the engine and its models. Every list comes from main (`choices`); a
 * stage's model may be any name its server accepts, so those are suggestions, not a closed list.
 */
export function EngineSettings({ settings, save, note }: { settings: SettingsForm; save: Save; note: Note }): React.JSX.Element {
  const { choices, view } = settings;
  const engine = choices.engines.find((e) => e.id === settings.engine);
  const model = choices.realtimeModels.find((m) => m.id === settings.model);
  const [speechTone, setSpeechTone] = useState(view.cascaded.speechInstructions);
  return (
    <fieldset data-testid="engine-settings">
      <legend>Engine</legend>
      <label>
        How Earshot talks
        <select value={settings.engine} aria-describedby="engine engine-hint" data-testid="engine-select" onChange={(e) => save('engine', settings.engine, e.target.value, { engine: e.target.value })}>
          {choices.engines.map((e) => (
            <option key={e.id} value={e.id}>
              {e.label}
            </option>
          ))}
        </select>
      </label>
      <p className="hint" id="engine-hint">
        {engine?.description}
      </p>
      {note('engine')}

      {settings.engine === 'realtime' ? (
        <>
          <label>
            Model
            <select value={settings.model} aria-describedby="model" onChange={(e) => save('model', settings.model, e.target.value, { model: e.target.value })}>
              {[...new Set([settings.model, ...choices.realtimeModels.map((m) => m.id)])].map((id) => {
                const info = choices.realtimeModels.find((m) => m.id === id);
                return (
                  <option key={id} value={id}>
                    {info?.older ? `${id} (older name)` : id}
                  </option>
                );
              })}
            </select>
          </label>
          {note('model')}
          {model?.reasoning ? (
            <>
              <label>
                Thinking before answering
                <select
                  value={settings.reasoningEffort}
                  aria-describedby="effort effort-hint"
                  data-testid="reasoning-effort"
                  onChange={(e) => save('effort', settings.reasoningEffort, e.target.value, { reasoningEffort: e.target.value })}
                >
                  {choices.reasoningEfforts.map((effort) => (
                    <option key={effort} value={effort}>
                      {effort}
                    </option>
                  ))}
                </select>
              </label>
              <p className="hint" id="effort-hint">
                More thinking answers harder questions better, but the reply starts later and costs more.
              </p>
              {note('effort')}
            </>
          ) : null}
        </>
      ) : null}

      {settings.engine === 'cascaded' ? (
        <>
          {STAGES.map((s) => (
            <StageFields
              key={s.stage}
              settings={settings}
              stage={s.stage}
              label={s.label}
              what={s.what}
              suggestions={s.stage === 'transcribe' ? choices.transcriptionModels : s.stage === 'chat' ? choices.chatModels : choices.speechModels}
              save={save}
              note={note}
            />
          ))}
          <label>
            Tone of the voice (optional)
            <textarea
              rows={2}
              value={speechTone}
              placeholder="Warm and brisk, like a helpful colleague."
              aria-describedby="tone"
              onChange={(e) => setSpeechTone(e.target.value)}
              onBlur={() => save('tone', view.cascaded.speechInstructions, speechTone, { cascaded: { speechInstructions: speechTone } })}
            />
          </label>
          {note('tone')}
          <label className="check">
            <input
              type="checkbox"
              checked={view.cascaded.pipelineSentences}
              aria-describedby="pipeline"
              onChange={(e) => save('pipeline', view.cascaded.pipelineSentences, e.target.checked, { cascaded: { pipelineSentences: e.target.checked } })}
            />
            Start speaking after the first sentence (faster replies)
          </label>
          {note('pipeline')}
        </>
      ) : null}

      {settings.engine === 'chat-audio' ? (
        <>
          <label>
            Audio model
            <input
              list="chat-audio-models"
              defaultValue={view.chatAudio.model}
              aria-describedby="chatAudioModel"
              onBlur={(e) => save('chatAudioModel', view.chatAudio.model, e.target.value.trim(), { chatAudio: { model: e.target.value.trim() } })}
            />
            <datalist id="chat-audio-models">
              {choices.chatAudioModels.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </label>
          {note('chatAudioModel')}
          <label>
            Server (blank: the main endpoint)
            <input
              inputMode="url"
              defaultValue={view.chatAudio.baseURL ?? ''}
              aria-describedby="chatAudioUrl"
              onBlur={(e) => {
                const next = e.target.value.trim() || null;
                save('chatAudioUrl', view.chatAudio.baseURL, next, { chatAudio: { baseURL: next } });
              }}
            />
          </label>
          {note('chatAudioUrl')}
        </>
      ) : null}
    </fieldset>
  );
}

/** What transcription listens for, and how much of a long conversation is re-sent each turn. */
export function ListeningSettings({ settings, save, note }: { settings: SettingsForm; save: Save; note: Note }): React.JSX.Element {
  const { view } = settings;
  const t = view.transcription;
  const r = view.truncation;
  return (
    <fieldset data-testid="listening-settings">
      <legend>Understanding and memory</legend>
      <label>
        Words to listen for (comma-separated)
        <input
          defaultValue={t.keywords.join(', ')}
          placeholder="Earshot, Kubernetes, Dr. Okafor"
          aria-describedby="keywords keywords-hint"
          onBlur={(e) => save('keywords', t.keywords, list(e.target.value), { transcription: { keywords: list(e.target.value) } })}
        />
      </label>
      <p className="hint" id="keywords-hint">
        Names and terms the transcription should expect (gpt-transcribe).
      </p>
      {note('keywords')}
      <label>
        Languages you speak (codes, comma-separated)
        <input
          defaultValue={t.languages.join(', ')}
          placeholder="en, de"
          aria-describedby="languages"
          onBlur={(e) => save('languages', t.languages, list(e.target.value.toLowerCase()), { transcription: { languages: list(e.target.value.toLowerCase()) } })}
        />
      </label>
      {note('languages')}
      <label>
        Long conversations
        <select value={r.mode} aria-describedby="memory memory-hint" data-testid="memory-mode" onChange={(e) => save('memory', r.mode, e.target.value, { truncation: { mode: e.target.value } })}>
          <option value="auto">Let the service decide what to keep</option>
          <option value="retention_ratio">Keep a share of the conversation (cheaper)</option>
          <option value="disabled">Keep everything (stops when full)</option>
        </select>
      </label>
      <p className="hint" id="memory-hint">
        Every answer re-reads the conversation so far, so a long conversation costs more each turn.
      </p>
      {note('memory')}
      {r.mode === 'retention_ratio' ? (
        <>
          <label>
            Share to keep when full (%)
            <input
              type="number"
              min={0}
              max={100}
              defaultValue={Math.round(r.retentionRatio * 100)}
              aria-describedby="ratio"
              onBlur={(e) => save('ratio', r.retentionRatio, Number(e.target.value) / 100, { truncation: { retentionRatio: Number(e.target.value) / 100 } })}
            />
          </label>
          {note('ratio')}
        </>
      ) : null}
    </fieldset>
  );
}
