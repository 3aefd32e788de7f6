/**
 * Which tray icon file fits this system: per state, per panel theme, at each platform's sizes. Plain
 * data, no Electron: scripts/make-icons.ts draws exactly these files, tray.ts loads them, and
 * test/unit/app/tray-icons.test.ts checks every one.
 *
 * - **macOS**: Template images, black and alpha only, which the menu bar tints for light and dark
 *   bars itself (docs/api/native-image.md, "Template Image"): `<state>Template.png` at 16 px and
 *   `@2x` at 32 px.
 * - **Windows**: the notification area shows 16 px icons at 100 % scaling and 20/24/32 at
 *   125/150/200 %; Electron picks the file beside the one named by its DPI suffix
 *   (docs/api/native-image.md, "High Resolution Image": `@1.25x`, `@1.5x`, `@2x` are supported).
 *   The taskbar follows the *system* theme, which can differ from the apps' theme:
 *   `nativeTheme.shouldUseDarkColorsForSystemIntegratedUI` (docs/api/native-theme.md).
 * - **Linux**: panels draw tray icons at 22 px (KDE Plasma) or 24 px (GNOME's AppIndicator
 *   extension and most others), `@2x` for HiDPI; the theme is `nativeTheme.shouldUseDarkColors`.
 *
 * Light and dark panels get their own variant: `on-light` is a dark glyph for a light panel,
 * `on-dark` a light glyph for a dark one. The state's mark keeps its colour in both.
 */

export const TRAY_STATES = ['idle', 'connecting', 'listening', 'thinking', 'speaking', 'reconnecting', 'error'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

export const PANEL_THEMES = ['on-light', 'on-dark'] as const;
export type PanelTheme = (typeof PANEL_THEMES)[number];

/** One set of files: the base size and the DPI suffixes drawn beside it. */
export interface TrayIconSet {
  /** How the set's base file is named, for a state and theme. */
  name(state: TrayState, theme: PanelTheme): string;
  base: number;
  scales: readonly { suffix: string; scale: number }[];
  /** Black and alpha only (macOS Template images). */
  template: boolean;
}

const withScale = (file: string, suffix: string): string => file.replace(/\.png$/, `${suffix}.png`);

export const TRAY_ICON_SETS = {
  mac: { name: (state) => `${state}Template.png`, base: 16, scales: [{ suffix: '', scale: 1 }, { suffix: '@2x', scale: 2 }], template: true },
  win: {
    name: (state, theme) => `${state}-win-${theme}.png`,
    base: 16,
    scales: [
      { suffix: '', scale: 1 },
      { suffix: '@1.25x', scale: 1.25 },
      { suffix: '@1.5x', scale: 1.5 },
      { suffix: '@2x', scale: 2 },
    ],
    template: false,
  },
  linux22: { name: (state, theme) => `${state}-linux22-${theme}.png`, base: 22, scales: [{ suffix: '', scale: 1 }, { suffix: '@2x', scale: 2 }], template: false },
  linux24: { name: (state, theme) => `${state}-linux24-${theme}.png`, base: 24, scales: [{ suffix: '', scale: 1 }, { suffix: '@2x', scale: 2 }], template: false },
} as const satisfies Record<string, TrayIconSet>;

export type TrayIconSetName = keyof typeof TRAY_ICON_SETS;

export interface TrayIconFile {
  set: TrayIconSetName;
  state: TrayState;
  /** null for Template images (the system tints them). */
  theme: PanelTheme | null;
  file: string;
  /** Width and height in pixels. */
  size: number;
  template: boolean;
}

/** Every tray icon file the app ships (resources/tray/). */
export function allTrayIconFiles(): TrayIconFile[] {
  const files: TrayIconFile[] = [];
  for (const [setName, set] of Object.entries(TRAY_ICON_SETS) as [TrayIconSetName, TrayIconSet][]) {
    for (const state of TRAY_STATES) {
      for (const theme of set.template ? [null] : PANEL_THEMES) {
        for (const { suffix, scale } of set.scales) {
          files.push({ set: setName, state, theme, file: withScale(set.name(state, theme ?? 'on-light'), suffix), size: Math.round(set.base * scale), template: set.template });
        }
      }
    }
  }
  return files;
}

/** The theme Electron reports, as much of nativeTheme as this needs (docs/api/native-theme.md). */
export interface ThemeReading {
  shouldUseDarkColors: boolean;
  shouldUseDarkColorsForSystemIntegratedUI: boolean;
}

export function panelTheme(platform: string, theme: ThemeReading): PanelTheme {
  const dark = platform === 'win32' ? theme.shouldUseDarkColorsForSystemIntegratedUI : theme.shouldUseDarkColors;
  return dark ? 'on-dark' : 'on-light';
}

/** Which set this system uses. `desktop` is $XDG_CURRENT_DESKTOP (a colon-separated list) on Linux. */
export function trayIconSet(platform: string, desktop = ''): TrayIconSetName {
  if (platform === 'darwin') return 'mac';
  if (platform === 'win32') return 'win';
  return desktop.split(':').some((d) => d.trim().toUpperCase() === 'KDE') ? 'linux22' : 'linux24';
}

/** The file to load for a state (its DPI variants sit beside it and Electron picks them up). */
export function trayIconFile(state: TrayState, options: { platform: string; theme: PanelTheme; desktop?: string }): { file: string; template: boolean } {
  const set: TrayIconSet = TRAY_ICON_SETS[trayIconSet(options.platform, options.desktop)];
  return { file: set.name(state, options.theme), template: set.template };
}
