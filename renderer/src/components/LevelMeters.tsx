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
  /** What is on screen now, in the steps painted (−1: nothing yet), so an unchanged level costs nothing. */
  shownLevel: number;
  shownPeak: number;
  shownValue: number;
}

const newBar = (): BarRefs => ({ fill: null, peak: null, meter: null, shownLevel: -1, shownPeak: -1, shownValue: -1 });

/** Half a percent of the bar: below what a 6-pixel-high bar a few hundred pixels wide can show. */
const STEP = 0.5;

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

/**
 * Moves the bars with transforms only (scaleX of the fill, translateX of the peak marker), which the
 * compositor applies without layout or paint; a width or left change would lay out and repaint the
 * window 31 times a second. A level that did not move by a step is not written at all (silence, a
 * steady tone), and the meter's aria-valuenow changes only when its whole-percent value does.
 */
function paint(refs: BarRefs, rms: number, peak: number): void {
  const level = levelToPercent(rms);
  const stepped = Math.round(level / STEP) * STEP;
  if (stepped !== refs.shownLevel && refs.fill) {
    refs.fill.style.transform = `scaleX(${stepped / 100})`;
    refs.shownLevel = stepped;
  }
  const peakStepped = Math.round(levelToPercent(peak) / STEP) * STEP;
  if (peakStepped !== refs.shownPeak && refs.peak) {
    // Less 2 px at the top so the 2-pixel marker stays inside the track at full scale.
    refs.peak.style.transform = `translateX(calc(${peakStepped}% - ${peakStepped / 50}px))`;
    refs.shownPeak = peakStepped;
  }
  const value = Math.round(level);
  if (value !== refs.shownValue && refs.meter) {
    refs.meter.setAttribute('aria-valuenow', String(value));
    refs.shownValue = value;
  }
}

/**
 * Input and output meters (or, with `only="input"`, the microphone's alone: onboarding's one meter). Levels arrive ~31 times a second; they are painted straight into the two
 * bars (CSSOM, allowed by the CSP) instead of going through React state, so the app does not
 * re-render 31 times a second.
 */
export function LevelMeters(props: { session: AudioSession | null; only?: 'input' }): React.JSX.Element {
  const input = useRef<BarRefs>(newBar());
  const output = useRef<BarRefs>(newBar());
  const micLabel = useRef<HTMLSpanElement | null>(null);
  useEffect(() => {
    if (!props.session) return;
    let micOpen: boolean | null = null;
    return props.session.onLevels((levels: AudioLevels) => {
      paint(input.current, levels.input.rms, levels.input.peak);
      paint(output.current, levels.output.rms, levels.output.peak);
      if (levels.micOpen !== micOpen && micLabel.current) {
        micLabel.current.textContent = levels.micOpen ? 'Mic' : 'Mic (closed)';
        micOpen = levels.micOpen;
      }
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
