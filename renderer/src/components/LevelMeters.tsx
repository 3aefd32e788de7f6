import { useEffect, useRef } from 'react';
import type { AudioLevels, AudioSession } from '../../audio/audio-session.ts';

/** Meters read in dBFS from -60 to 0, which is how loudness feels. */
export function levelToPercent(linear: number): number {
  return Math.max(0, Math.min(100, ((20 * Math.log10(Math.max(linear, 1e-6)) + 60) / 60) * 100));
}

interface BarRefs {
  fill: HTMLSpanElement | null;
  peak: HTMLSpanElement | null;
  meter: HTMLDivElement | null;
}

function Bar(props: { label: string; refs: BarRefs }): React.JSX.Element {
  return (
    <div
      className="meter"
      role="meter"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
      ref={(el) => {
        props.refs.meter = el;
      }}
    >
      <span className="meter-track">
        <span className="meter-fill" ref={(el) => void (props.refs.fill = el)} />
        <span className="meter-peak" ref={(el) => void (props.refs.peak = el)} />
      </span>
    </div>
  );
}

function paint(refs: BarRefs, rms: number, peak: number): void {
  const level = levelToPercent(rms);
  if (refs.fill) refs.fill.style.width = `${level}%`;
  if (refs.peak) refs.peak.style.left = `${levelToPercent(peak)}%`;
  refs.meter?.setAttribute('aria-valuenow', String(Math.round(level)));
}

/**
 * Input and output meters (or, with `only="input"`, the microphone's alone: onboarding's one meter). Levels arrive ~31 times a second; they are painted straight into the two
 * bars (CSSOM, allowed by the CSP) instead of going through React state, so the app does not
 * re-render 31 times a second.
 */
export function LevelMeters(props: { session: AudioSession | null; only?: 'input' }): React.JSX.Element {
  const input = useRef<BarRefs>({ fill: null, peak: null, meter: null });
  const output = useRef<BarRefs>({ fill: null, peak: null, meter: null });
  const micLabel = useRef<HTMLSpanElement | null>(null);
  useEffect(() => {
    if (!props.session) return;
    return props.session.onLevels((levels: AudioLevels) => {
      paint(input.current, levels.input.rms, levels.input.peak);
      paint(output.current, levels.output.rms, levels.output.peak);
      if (micLabel.current) micLabel.current.textContent = levels.micOpen ? 'Mic' : 'Mic (closed)';
    });
  }, [props.session]);
  return (
    <div className="meters" data-testid="meters">
      <span ref={micLabel} className="meter-name">Mic (closed)</span>
      <Bar label="Microphone level" refs={input.current} />
      {props.only === 'input' ? null : (
        <>
          <span className="meter-name">Voice</span>
          <Bar label="Voice level" refs={output.current} />
        </>
      )}
    </div>
  );
}
