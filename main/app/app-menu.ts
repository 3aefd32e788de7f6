/**
 * The application menu. Electron installs a default menu (with View → Toggle Developer Tools) when
 * the app sets none (docs/api/menu.md, `Menu.setApplicationMenu`: "The default menu will be created automatically if the app does not set one"); a packaged build must not offer DevTools.
 * macOS keeps a minimal menu because Cmd+C / Cmd+V / Cmd+A in text fields work through the Edit
 * menu's roles; elsewhere the window has no menu at all.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(options: { packaged: boolean; platform: NodeJS.Platform }): void {
  if (!options.packaged) return;
  if (options.platform !== 'darwin') {
    Menu.setApplicationMenu(null);
    return;
  }
  const template: MenuItemConstructorOptions[] = [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
