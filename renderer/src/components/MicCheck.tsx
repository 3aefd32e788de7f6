import { useEffect, useState } from 'react';
import type { AudioSession } from '../../audio/audio-session.ts';
import { LevelMeters } from './LevelMeters.tsx';

/** How long the check records. */
export const MIC_CHECK_MS = 3000;
/** Below this peak (linear, about -40 dBFS) the recording is taken for silence. */
const HEARD_PEAK = 0.01;

type Phase = { kind: 'ready' } | { kind: 'recording' } | { kind: 'playing' } | { kind: 'done'; heard: boolean } | { kind: 'failed'; message: string };

/**
 * Onboarding's microphone check: one meter that moves as you speak, and "Record 3 s and play back",
 * which records in this window and plays the recording back here (audio-session.ts recordCheck:
 * nothing leaves the computer, no turn, no cost).
 */
export function MicCheck(props: { session: AudioSession | null; warning: string | null }): React.JSX.Element {
  const { session } = props;
  const [heardLive, setHeardLive] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'ready' });
  useEffect(() => {
    if (!session) return;
    // One state change when the microphone is first heard, not one per level window.
    const off = session.onLevels((levels) => {
      if (levels.input.peak > 0.02) {
        setHeardLive(true);
        off();
      }
    });
    return off;
  }, [session]);

  const run = async (): Promise<void> => {
    if (!session) return;
    setPhase({ kind: 'recording' });
    try {
      const recording = await session.recordCheck(MIC_CHECK_MS);
      const heard = recording.peak >= HEARD_PEAK;
      if (!heard) {
        setPhase({ kind: 'done', heard });
        return;
      }
      setPhase({ kind: 'playing' });
      await recording.play();
      setPhase({ kind: 'done', heard });
    } catch (error) {
      setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const ok = heardLive || (phase.kind === 'done' && phase.heard);
  const busy = phase.kind === 'recording' || phase.kind === 'playing';
  const status =
    phase.kind === 'recording'
      ? 'Recording for 3 seconds… say a few words.'
      : phase.kind === 'playing'
        ? 'Playing it back…'
        : phase.kind === 'done'
          ? phase.heard
            ? 'Did you hear yourself? Then the microphone and the speakers work.'
            : 'The recording was silent. Check that the microphone is not muted and that the right input is chosen in Settings.'
          : phase.kind === 'failed'
            ? `The check could not record: ${phase.message}`
            : 'Nothing of this check leaves your computer.';
  return (
    <>
      <h3>2. Microphone check {ok ? <span className="step-done" data-testid="mic-done">✓ heard you</span> : null}</h3>
      <p className="hint">{heardLive ? 'We can hear you.' : 'Say something: the bar should move.'}</p>
      <LevelMeters session={session} only="input" />
      <div className="field-row">
        <button type="button" disabled={!session || busy} onClick={() => void run()} data-testid="mic-record">
          {phase.kind === 'recording' ? 'Recording…' : phase.kind === 'playing' ? 'Playing…' : 'Record 3 s and play back'}
        </button>
      </div>
      <p className={phase.kind === 'failed' || (phase.kind === 'done' && !phase.heard) ? 'field-error' : 'hint'} role="status" data-testid="mic-check-status" data-phase={phase.kind === 'done' ? (phase.heard ? 'heard' : 'silent') : phase.kind}>
        {status}
      </p>
      {props.warning ? <p className="warning">{props.warning}</p> : null}
    </>
  );
}
