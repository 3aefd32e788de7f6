import { useCallback, useEffect, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import type { SettingsForm } from '../state/settings-form.ts';

/**
 * Onboarding's hotkey check. While this step is on screen the core reports presses of the global
 * hotkey instead of starting a turn (main/core/hotkey-check.ts), so checking the key sends nothing
 * and costs nothing. The check ends when the step closes, or by itself after a minute; "Check again"
 * restarts it. A release seen from the key also says that hold-to-talk works here.
 */
export function HotkeyCheckStep(props: { bridge: EarshotBridge; settings: SettingsForm; onError: (message: string) => void }): React.JSX.Element {
  const { bridge, onError } = props;
  // 'starting' until main answers; the step reads as active meanwhile.
  const [check, setCheck] = useState<'starting' | 'on' | 'ended'>('starting');
  const active = check !== 'ended';
  const [pressed, setPressed] = useState(false);
  const [released, setReleased] = useState(false);

  const start = useCallback(() => {
    setCheck('starting');
    bridge.request
      .setHotkeyCheck({ active: true })
      .then((r) => setCheck(r.active ? 'on' : 'ended'))
      .catch((error: unknown) => onError(`The hotkey check could not start: ${String(error)}`));
  }, [bridge, onError]);

  useEffect(() => {
    const off = bridge.on.hotkeyCheck(({ phase }) => {
      if (phase === 'down') setPressed(true);
      else if (phase === 'up') setReleased(true);
      // An 'ended' held for this page while none listened (a previous check) must not end this one.
      else setCheck((c) => (c === 'starting' ? c : 'ended'));
    });
    start();
    return () => {
      off();
      void bridge.request.setHotkeyCheck({ active: false }).catch(() => undefined);
    };
  }, [bridge, start]);

  const hotkey = <kbd>{props.settings.hotkey}</kbd>;
  return (
    <>
      <h3>3. Hotkey check {pressed ? <span className="step-done" data-testid="hotkey-done">✓ works</span> : null}</h3>
      <p className="hint" role="status" data-testid="hotkey-check-status" data-check={check}>
        {pressed ? (
          <>
            Got it: {hotkey} reaches Earshot{released ? ', and so does letting go, so you can hold it while you speak.' : '.'}
          </>
        ) : active ? (
          <>Press {hotkey} anywhere. This check sends nothing to OpenAI.</>
        ) : (
          <>The check stopped after a minute without a press.</>
        )}
      </p>
      {!active && !pressed ? (
        <div className="field-row">
          <button type="button" onClick={start} data-testid="hotkey-check-again">
            Check again
          </button>
        </div>
      ) : null}
      {props.settings.holdUnavailableReason ? (
        <p className="warning">Hold-to-talk is unavailable here ({props.settings.holdUnavailableReason}); press once to start and again to send.</p>
      ) : null}
    </>
  );
}
