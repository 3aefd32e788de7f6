import { useEffect, useRef, useState } from 'react';
import type { EarshotBridge } from '../../../preload/bridge.ts';
import { startAudioSession, type AudioDeviceList, type AudioSession, type AudioWarning, type EchoStrategy } from '../../audio/audio-session.ts';
import type { SettingsForm } from './settings-form.ts';

export interface AudioHandle {
  /** Levels are not state here: meters subscribe to session.onLevels themselves (31 Hz). */
  session: AudioSession | null;
  devices: AudioDeviceList | null;
  warning: AudioWarning | null;
}

/** Maps the user's echo setting to what the audio layer does while the assistant may hear itself. */
export function echoStrategyFor(setting: string): EchoStrategy {
  if (setting === 'headset') return 'none';
  if (setting === 'browser-aec') return 'browser-aec';
  return 'duck';
}

/** Starts the renderer's audio (capture + playback wired to main) once settings are known. */
export function useAudio(bridge: EarshotBridge, settings: SettingsForm | null): AudioHandle {
  const [handle, setHandle] = useState<AudioHandle>({ session: null, devices: null, warning: null });
  const sessionRef = useRef<AudioSession | null>(null);
  // Devices are read once at start; later switches go through setInputDevice/setOutputDevice live.
  const initialDevices = useRef<{ input: string | null; output: string | null } | null>(null);
  if (settings && !initialDevices.current) initialDevices.current = { input: settings.inputLabel, output: settings.outputLabel };
  const ready = settings !== null;
  const warmMs = (settings?.micWarmSeconds ?? 10) * 1000;
  const echo = settings?.echoStrategy ?? 'duck';

  useEffect(() => {
    if (!ready) return;
    const session = startAudioSession(bridge, {
      inputDeviceLabel: initialDevices.current?.input ?? null,
      outputDeviceLabel: initialDevices.current?.output ?? null,
      warmMs,
      constraints: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      echoStrategy: echoStrategyFor(echo),
      onDeviceChoice: (kind, label) => {
        void bridge.request.updateSettings({ patch: { devices: kind === 'input' ? { inputLabel: label } : { outputLabel: label } } });
      },
    });
    sessionRef.current = session;
    setHandle((h) => ({ ...h, session }));
    const offs = [
      session.onWarning((warning) => setHandle((h) => ({ ...h, warning }))),
      session.onDevicesChanged((devices) => setHandle((h) => ({ ...h, devices }))),
    ];
    void session.listDevices().then((devices) => setHandle((h) => ({ ...h, devices })));
    return () => {
      for (const off of offs) off();
      void session.dispose();
      sessionRef.current = null;
    };
    // Rebuilt only when what it was started with changes; device switches happen live.
  }, [bridge, ready, warmMs, echo]);

  return handle;
}
