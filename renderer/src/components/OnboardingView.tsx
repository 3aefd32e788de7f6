import { useEffect, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { Status } from '../../../preload/contract.ts';
import type { AudioHandle } from '../state/use-audio.ts';
import type { SettingsForm } from '../state/settings-form.ts';
import { ApiKeyField } from './SettingsView.tsx';
import { LevelMeters } from './LevelMeters.tsx';

/** First launch: the API key, a microphone check with a live meter, and a hotkey check. */
export function OnboardingView(props: {
  bridge: EarshotBridge;
  settings: SettingsForm;
  status: Status;
  audio: AudioHandle;
  hotkeySeen: boolean;
  onDone: () => void;
  onSaved: (message: string) => void;
  onError: (message: string) => void;
}): React.JSX.Element {
  const { audio } = props;
  const [micOk, setMicOk] = useState(false);
  useEffect(() => {
    const session = audio.session;
    if (!session) return;
    void session.warmUp();
    // One state change when the microphone is first heard, not one per level window.
    const off = session.onLevels((levels) => {
      if (levels.input.peak > 0.02) {
        setMicOk(true);
        off();
      }
    });
    return off;
  }, [audio.session]);
  const keyOk = props.settings.apiKey !== 'not-set';

  return (
    <section className="onboarding" data-testid="onboarding">
      <h1>Welcome to Earshot</h1>
      <ol className="steps">
        <li className={keyOk ? 'done' : ''}>
          <h2>1. Your OpenAI API key</h2>
          <p className="hint">It is stored encrypted on this computer and only ever sent to OpenAI.</p>
          <ApiKeyField bridge={props.bridge} settings={props.settings} onSaved={props.onSaved} onError={props.onError} />
        </li>
        <li className={micOk ? 'done' : ''}>
          <h2>2. Microphone check</h2>
          <p className="hint">{micOk ? 'We can hear you.' : 'Say something: the meter should move.'}</p>
          <LevelMeters session={audio.session} />
          {audio.warning ? <p className="warning">{audio.warning.message}</p> : null}
        </li>
        <li className={props.hotkeySeen ? 'done' : ''}>
          <h2>3. Hotkey check</h2>
          <p className="hint">
            Press <kbd>{props.settings.hotkey}</kbd> anywhere. {props.hotkeySeen ? 'Got it.' : 'Waiting for the key…'}
          </p>
          {props.settings.holdUnavailableReason ? (
            <p className="warning">Hold-to-talk is unavailable here ({props.settings.holdUnavailableReason}); press once to start and again to send.</p>
          ) : null}
        </li>
      </ol>
      <button type="button" className="primary" disabled={!keyOk} onClick={props.onDone}>
        {keyOk ? 'Start using Earshot' : 'Add a key to continue'}
      </button>
    </section>
  );
}
