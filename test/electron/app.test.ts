/**
 * The electron tier: the real app under Playwright's Electron driver. It needs an Electron binary,
 * which this machine cannot download; here it prints why it is skipped, elsewhere it runs.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../support/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const binary = electronBinary();
if (!binary) console.log('skipped: no Electron binary (node_modules/electron has no downloaded binary on this machine; the electron tier runs wherever one exists)');

describe.skipIf(!binary)('the real Electron app', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) throw new Error('run `npm run build` before the electron tier');
    app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [join(root, 'out', 'main', 'index.js'), '--no-sandbox'],
      env: {
        ...process.env,
        EARSHOT_USER_DATA: mkdtempSync(join(tmpdir(), 'earshot-electron-')),
        OPENAI_API_KEY: 'sk-test-electron-tier',
        EARSHOT_SHOW_WINDOW: '1',
      },
    });
    page = await app.firstWindow();
    await page.waitForFunction(() => typeof window.earshot === 'object');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads the renderer from app:// with the sandboxed bridge and nothing else', async () => {
    expect(page.url()).toMatch(/^app:\/\/earshot\//);
    const surface = await page.evaluate(() => ({
      keys: Object.keys(window.earshot).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(surface).toEqual({ keys: ['audio', 'on', 'request'], require: 'undefined', process: 'undefined' });
  });

  it('answers a request through the real IPC handlers', async () => {
    const status = await page.evaluate(() => window.earshot.request.getStatus({}));
    expect(status.state).toBe('idle');
    expect(status.apiKey).toBe('from-environment');
  });

  it('refuses new windows and foreign navigation', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  it('blocks inline scripts with the strict CSP', async () => {
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
      return (window as unknown as { __inline?: number }).__inline === 1;
    });
    expect(ran).toBe(false);
  });
});
