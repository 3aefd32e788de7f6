/**
 * How this start came about. A start at login (the autostart entry or login item passes
 * HIDDEN_ARG; macOS reports wasOpenedAtLogin) stays quietly in the tray; a start by the person
 * shows the window, and a first start shows onboarding wherever it came from.
 */
export const HIDDEN_ARG = '--hidden';

export type StartView = 'onboarding' | 'transcript' | null;

export function startView(options: { argv: readonly string[]; openedAtLogin: boolean; firstLaunch: boolean }): StartView {
  if (options.firstLaunch) return 'onboarding';
  if (options.argv.includes(HIDDEN_ARG) || options.openedAtLogin) return null;
  return 'transcript';
}
