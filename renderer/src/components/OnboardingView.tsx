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
  // A tick only after a key test succeeded; a key from the environment is tested the same way.
  const [keyTested, setKeyTested] = useState(false);
  const keyOk = props.settings.apiKey !== 'not-set';

  return (
    <section className="onboarding" data-testid="onboarding" aria-labelledby="onboarding-title">
      <h2 id="onboarding-title">Welcome to Earshot</h2>
      <ol className="steps">
        <li>
          <h3>
            1. Your OpenAI API key {keyTested ? <span className="step-done" data-testid="key-done">✓ works</span> : null}
          </h3>
          <p className="hint">It is stored encrypted on this computer and only ever sent to OpenAI.</p>
          <ApiKeyField bridge={props.bridge} settings={props.settings} onTested={setKeyTested} />
        </li>
        <li>
          <h3>2. Microphone check {micOk ? <span className="step-done">✓ heard you</span> : null}</h3>
          <p className="hint">{micOk ? 'We can hear you.' : 'Say something: the meter should move.'}</p>
          <LevelMeters session={audio.session} />
          {audio.warning ? <p className="warning">{audio.warning.message}</p> : null}
        </li>
        <li>
          <h3>3. Hotkey check {props.hotkeySeen ? <span className="step-done">✓ works</span> : null}</h3>
          <p className="hint">
            Press <kbd>{props.settings.hotkey}</kbd> anywhere. {props.hotkeySeen ? 'Got it.' : 'Waiting for the key…'}
          </p>
          {props.settings.holdUnavailableReason ? (
            <p className="warning">Hold-to-talk is unavailable here ({props.settings.holdUnavailableReason}); press once to start and again to send.</p>
          ) : null}
        </li>
      </ol>
      <div className="sticky-action">
        <button type="button" className="primary" disabled={!keyOk} onClick={props.onDone} data-testid="onboarding-done">
          {keyOk ? 'Start using Earshot' : 'Add a key to continue'}
        </button>
      </div>
    </section>
  );
}
