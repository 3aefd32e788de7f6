/**
 * When the page's player really started to sound, as the core hears of it: the renderer reports the
 * first rendered sample of each assistant item (PlaybackReport with firstSampleAt) and the count at
 * its end or at a stop — no progress in between (renderer/audio/audio-session.ts). A `speaking` state
 * only means the core received audio; a barge-in test that needs audio to have been heard waits for
 * the first-sample report, and only then lets time pass.
 */
import type { PlaybackReport } from '../../preload/contract.ts';

interface ReportsPlayback {
  reportPlayback(report: PlaybackReport): void;
}

export interface RenderedWatch {
  /** The player has reported the first sample of an item since the watch began. */
  sounding(): boolean;
  stop(): void;
}

/** Watches the session's playback reports (the handlers call session.reportPlayback per report). */
export function watchRendered(session: ReportsPlayback): RenderedWatch {
  const own = Object.prototype.hasOwnProperty.call(session, 'reportPlayback');
  const original = session.reportPlayback;
  let first = false;
  session.reportPlayback = (report: PlaybackReport): void => {
    if (report.firstSampleAt !== undefined) first = true;
    original.call(session, report);
  };
  return {
    sounding: () => first,
    stop: () => {
      if (own) session.reportPlayback = original;
      else delete (session as Partial<ReportsPlayback>).reportPlayback;
    },
  };
}
