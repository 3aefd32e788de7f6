/** The tray icon and its menu, rebuilt whenever the status changes. */
import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { Status } from '../../preload/contract.ts';
import { trayIconName, trayMenu, trayTooltip, type TrayAction, type TrayItem } from './tray-menu.ts';

export class AppTray {
  private readonly tray: Tray;
  private readonly resourcesDir: string;
  private readonly onAction: (action: TrayAction) => void;

  private readonly onMissingIcon: (file: string) => void;

  constructor(resourcesDir: string, onAction: (action: TrayAction) => void, onMissingIcon: (file: string) => void) {
    this.resourcesDir = resourcesDir;
    this.onAction = onAction;
    this.onMissingIcon = onMissingIcon;
    this.tray = new Tray(this.icon('idle'));
    this.tray.on('click', () => onAction({ type: 'show', view: 'transcript' }));
  }

  update(status: Status, options: { hotkey: string; startAtLogin: boolean }): void {
    const image = this.icon(trayIconName(status));
    const tooltip = trayTooltip(status, options.hotkey);
    const menu = Menu.buildFromTemplate(trayMenu(status, options).map((item) => this.toTemplate(item)));
    this.tray.setImage(image);
    this.tray.setToolTip(tooltip);
    this.tray.setContextMenu(menu);
    // Electron's Tray has no getters for its tooltip or menu (docs/api/tray.md): the electron test
    // tier reads them here, and only when it asked for test hooks.
    if (process.env.EARSHOT_TEST_HOOKS === '1') (globalThis as { __earshotTray?: unknown }).__earshotTray = { tooltip, menu, image };
  }

  destroy(): void {
    this.tray.destroy();
  }

  /**
   * macOS menu bar icons are Template images (black and alpha, tinted by the system for light and
   * dark bars; docs/api/native-image.md "Template Image"); elsewhere the coloured per-state icons.
   * A missing file gives an empty image, which would leave the tray blank: say so in the log.
   */
  private icon(name: string): Electron.NativeImage {
    const file = join(this.resourcesDir, 'tray', process.platform === 'darwin' ? `${name}Template.png` : `${name}.png`);
    const image = nativeImage.createFromPath(file);
    if (image.isEmpty()) this.onMissingIcon(file);
    else if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  private toTemplate(item: TrayItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
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
