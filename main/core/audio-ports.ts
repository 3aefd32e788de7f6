/**
 * The voice core's CapturePort and PlaybackPort, implemented over the IPC contract: commands go to
 * the renderer as events, audio as binary chunks, and the player's reports come back as requests.
 */
import { randomUUID } from 'node:crypto';
import type { PlaybackReport } from '../../preload/contract.ts';
import type { ContractServer } from '../ipc/contract-server.ts';
import type { CapturePort, PlaybackPort } from '../voice/ports.ts';
import type { Clock } from '../base/clock.ts';

/** How long a barge-in waits for the renderer's exact count before the core estimates it. */
export const STOP_REPORT_TIMEOUT_MS = 250;

export interface RendererAudioPorts {
  capture: CapturePort;
  playback: PlaybackPort;
  /** Route a player report; returns true when it answered a pending stop. */
  settleStop(report: PlaybackReport): boolean;
}

export function rendererAudioPorts(server: () => ContractServer, clock: Clock): RendererAudioPorts {
  const pendingStops = new Map<string, (report: PlaybackReport | null) => void>();
  return {
    capture: {
      start: (turnId) => server().emit('capture', { command: 'start', turnId }),
      stop: (turnId) => server().emit('capture', { command: 'stop', turnId }),
      release: () => server().emit('capture', { command: 'release' }),
    },
    playback: {
      write(itemId, pcm) {
        const copy = new Int16Array(pcm);
        server().sendPlayback(itemId, copy.buffer);
      },
      endOfItem(itemId) {
        server().emit('playback', { command: 'end-of-item', itemId });
      },
      stop() {
        const requestId = randomUUID();
        return new Promise<PlaybackReport | null>((resolve) => {
          const timer = clock.setTimeout(() => {
            pendingStops.delete(requestId);
            resolve(null);
          }, STOP_REPORT_TIMEOUT_MS);
          pendingStops.set(requestId, (report) => {
            timer.cancel();
            pendingStops.delete(requestId);
            resolve(report && report.itemId ? report : null);
          });
          server().emit('playback', { command: 'stop', requestId });
        });
      },
    },
    settleStop(report) {
      if (!report.requestId) return false;
      const settle = pendingStops.get(report.requestId);
      if (!settle) return false;
      settle(report);
      return true;
    },
  };
}
