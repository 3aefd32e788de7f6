import { useEffect, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { Status } from '../../../preload/contract.ts';
import type { AudioHandle } from '../state/use-audio.ts';
import type { SettingsForm } from '../state/settings-form.ts';
import { ApiKeyField } from './SettingsView.tsx';
import { MicCheck } from './MicCheck.tsx';
import { HotkeyCheckStep } from './HotkeyCheckStep.tsx';

/**
 * First launch: the API key (ticked once a test of it succeeded), a microphone check (one meter and a
 * short recording played back here), and a hotkey check that costs nothing (the core reports the
 * press instead of starting a turn). "Start using Earshot" stays on screen at the bottom.
 */
export function OnboardingView(props: {
  bridge: EarshotBridge;
  settings: SettingsForm;
  status: Status;
  audio: AudioHandle;
  onDone: () => void;
  onSaved: (message: string) => void;
  onError: (message: string) => void;
}): React.JSX.Element {
  // A tick only after a key test succeeded; a key from the environment is tested the same way.
  const [keyTested, setKeyTested] = useState(false);
  const keyOk = props.settings.apiKey !== 'not-set';
  const session = props.audio.session;
  useEffect(() => {
    if (session) void session.warmUp().catch(() => undefined);
  }, [session]);

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
          <MicCheck session={session} warning={props.audio.warning?.message ?? null} />
        </li>
        <li>
          <HotkeyCheckStep bridge={props.bridge} settings={props.settings} onError={props.onError} />
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
