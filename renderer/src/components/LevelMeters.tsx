import type { AudioLevels } from '../../audio/audio-session.ts';

function Bar(props: { label: string; rms: number; peak: number }): React.JSX.Element {
  // Meters read in dBFS from -60 to 0, which is how loudness feels.
  const toPercent = (linear: number): number => Math.max(0, Math.min(100, ((20 * Math.log10(Math.max(linear, 1e-6)) + 60) / 60) * 100));
  return (
    <div className="meter" role="meter" aria-label={props.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(toPercent(props.rms))}>
      <span className="meter-label">{props.label}</span>
      <span className="meter-track">
        <span className="meter-fill" style={{ width: `${toPercent(props.rms)}%` }} />
        <span className="meter-peak" style={{ left: `${toPercent(props.peak)}%` }} />
      </span>
    </div>
  );
}

export function LevelMeters(props: { levels: AudioLevels | null }): React.JSX.Element {
  const levels = props.levels;
  return (
    <div className="meters">
      <Bar label={levels?.micOpen ? 'Mic' : 'Mic (closed)'} rms={levels?.input.rms ?? 0} peak={levels?.input.peak ?? 0} />
      <Bar label="Voice" rms={levels?.output.rms ?? 0} peak={levels?.output.peak ?? 0} />
    </div>
  );
}
