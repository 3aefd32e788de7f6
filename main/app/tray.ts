/**
 * The tray icon and its menu, rebuilt whenever the status changes, and its icon again whenever the
 * system theme changes (nativeTheme 'updated', docs/api/native-theme.md): which file fits which
 * panel and platform is decided in tray-theme.ts.
 */
import { join } from 'node:path';
import { Menu, nativeImage, nativeTheme, Tray, type MenuItemConstructorOptions } from 'electron';
import type { Status, UpdateState } from '../../preload/contract.ts';
import { trayMenu, trayTooltip, type TrayAction, type TrayEngine, type TrayItem } from './tray-menu.ts';
import { panelTheme, trayIconFile, type TrayState } from './tray-theme.ts';

export interface TrayOptions {
  hotkey: string;
  startAtLogin: boolean;
  update?: UpdateState;
}

export class AppTray {
  private readonly tray: Tray;
  private readonly resourcesDir: string;
  private readonly onAction: (action: TrayAction) => void;

  private readonly onMissingIcon: (file: string) => void;
  private readonly engine: () => TrayEngine | null;
  private readonly holdUnavailableReason: () => string | null;
  private state: TrayState = 'idle';
  private readonly onThemeUpdated = (): void => {
    const image = this.icon(this.state);
    this.tray.setImage(image);
    this.publish({ image });
  };
  private lastIconFile = '';

  constructor(
    resourcesDir: string,
    onAction: (action: TrayAction) => void,
    onMissingIcon: (file: string) => void,
    engine: () => TrayEngine | null = () => null,
    holdUnavailableReason: () => string | null = () => null,
  ) {
    this.resourcesDir = resourcesDir;
    this.onAction = onAction;
    this.onMissingIcon = onMissingIcon;
    this.engine = engine;
    this.holdUnavailableReason = holdUnavailableReason;
    this.tray = new Tray(this.icon('idle'));
    this.tray.on('click', () => onAction({ type: 'show', view: 'transcript' }));
    nativeTheme.on('updated', this.onThemeUpdated);
  }

  private last: { status: Status; options: TrayOptions } | null = null;
  private capturing: string | null = null;

  /** The capture indicator: the tooltip says "looking at <name>" until it is cleared (null). */
  setCapturing(sourceName: string | null): void {
    this.capturing = sourceName;
    if (this.last) this.update(this.last.status, this.last.options);
  }

  update(status: Status, options: TrayOptions): void {
    this.last = { status, options };
    this.state = status.state;
    const image = this.icon(status.state);
    const tooltip = trayTooltip(status, options.hotkey, this.capturing);
    const menu = Menu.buildFromTemplate(trayMenu(status, { ...options, engine: this.engine(), holdUnavailableReason: this.holdUnavailableReason() }).map((item) => this.toTemplate(item)));
    this.tray.setImage(image);
    this.tray.setToolTip(tooltip);
    this.tray.setContextMenu(menu);
    this.publish({ tooltip, menu, image });
  }

  /**
   * Electron's Tray has no getters for its tooltip, menu or image (docs/api/tray.md): the electron
   * test tier reads them here (with the file the image came from), only when it asked for test hooks.
   */
  private publish(fields: { tooltip?: string; menu?: Electron.Menu; image: Electron.NativeImage }): void {
    if (process.env.EARSHOT_TEST_HOOKS !== '1') return;
    const hooks = globalThis as { __earshotTray?: Record<string, unknown> };
    hooks.__earshotTray = { ...hooks.__earshotTray, ...fields, imageFile: this.lastIconFile };
  }

  destroy(): void {
    nativeTheme.removeListener('updated', this.onThemeUpdated);
    this.tray.destroy();
  }

  /**
   * macOS menu bar icons are Template images (black and alpha, tinted by the system for light and
   * dark bars; docs/api/native-image.md "Template Image"); elsewhere the variant for the panel's
   * theme at the platform's sizes (tray-theme.ts). A missing file gives an empty image, which would
   * leave the tray blank: say so in the log.
   */
  private icon(state: TrayState): Electron.NativeImage {
    const theme = panelTheme(process.platform, nativeTheme);
    const { file, template } = trayIconFile(state, { platform: process.platform, theme, desktop: process.env.XDG_CURRENT_DESKTOP ?? '' });
    const path = join(this.resourcesDir, 'tray', file);
    this.lastIconFile = path;
    const image = nativeImage.createFromPath(path);
    if (image.isEmpty()) this.onMissingIcon(path);
    else if (template) image.setTemplateImage(true);
    return image;
  }

  private toTemplate(item: TrayItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: item.label, enabled: false };
      case 'submenu':
        return { label: item.label, submenu: item.items.map((i) => this.toTemplate(i)) };
      case 'action':
        return { label: item.label, enabled: item.enabled ?? true, click: () => this.onAction(item.action) };
      case 'check':
      case 'radio':
        return {
          label: item.label,
          type: item.kind === 'check' ? 'checkbox' : 'radio',
          checked: item.checked,
          enabled: item.enabled ?? true,
          click: () => this.onAction(item.action),
        };
    }
  }
}
