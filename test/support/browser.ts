/**
 * Launches the machine's Chromium (Debian's /usr/bin/chromium, never a downloaded one) through
 * playwright-core with the flags of DESIGN §7: fake media devices, optionally a WAV file as the
 * microphone, autoplay allowed so audio runs without a gesture.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['EARSHOT_CHROMIUM'] ?? '/usr/bin/chromium';

export interface LaunchChromiumOptions {
  /** WAV played (once, then silence) as the fake microphone. Without it Chromium's fake mic beeps. */
  fakeMicWav?: string;
  /** Headless by default; headed needs a display (xvfb-run -a). */
  headless?: boolean;
  /** Use the real audio devices (e.g. a PulseAudio loopback) instead of Chromium's fake ones. */
  realDevices?: boolean;
  /**
   * Headless Chromium is launched by playwright with --mute-audio, which sends digital silence to the
   * output device. Real devices (a loopback that must hear the speakers) need it off.
   */
  audible?: boolean;
  /** Extra environment for the browser (e.g. PULSE_SERVER for a private PulseAudio daemon). */
  env?: Record<string, string>;
  extraArgs?: string[];
}

/** Why the browser tier cannot run here, or null when it can. */
export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt install chromium, or set EARSHOT_CHROMIUM)`;
}

export function chromiumArgs(options: LaunchChromiumOptions = {}): string[] {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (!options.realDevices) args.push('--use-fake-device-for-media-stream');
  if (options.fakeMicWav) args.push(`--use-file-for-fake-audio-capture=${options.fakeMicWav}%noloop`);
  return [...args, ...(options.extraArgs ?? [])];
}

export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const missing = chromiumMissingReason();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: chromiumArgs(options),
    ...(options.audible ?? options.realDevices ? { ignoreDefaultArgs: ['--mute-audio'] } : {}),
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
}
