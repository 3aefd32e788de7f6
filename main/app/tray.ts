/** The tray icon and its menu, rebuilt whenever the status changes. */
import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { Status } from '../../preload/contract.ts';
import { trayIconName, trayMenu, trayTooltip, type TrayAction, type TrayItem } from './tray-menu.ts';

export class AppTray {
  private readonly tray: Tray;
  private readonly resourcesDir: string;
  private readonly onAction: (action: TrayAction) => void;

  constructor(resourcesDir: string, onAction: (action: TrayAction) => void) {
    this.resourcesDir = resourcesDir;
    this.onAction = onAction;
    this.tray = new Tray(this.icon('idle'));
    this.tray.on('click', () => onAction({ type: 'show', view: 'transcript' }));
  }

  update(status: Status, options: { hotkey: string; startAtLogin: boolean }): void {
    this.tray.setImage(this.icon(trayIconName(status)));
    this.tray.setToolTip(trayTooltip(status, options.hotkey));
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenu(status, options).map((item) => this.toTemplate(item))));
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(name: string): Electron.NativeImage {
    return nativeImage.createFromPath(join(this.resourcesDir, 'tray', `${name}.png`));
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
