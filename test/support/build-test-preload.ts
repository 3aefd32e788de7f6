/**
 * Bundles test/support/ws-preload.ts into one classic script for Playwright's addInitScript: it
 * installs `window.earshot` over the test WebSocket before the renderer's own code runs, exactly
 * where the Electron preload would.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const root = join(import.meta.dirname, '..', '..');

export async function buildTestPreload(): Promise<string> {
  const outDir = join(root, '.tmp', 'e2e-preload');
  mkdirSync(outDir, { recursive: true });
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: join(root, 'test', 'support', 'ws-preload.ts'),
        formats: ['iife'],
        name: 'EarshotTestPreload',
        fileName: () => 'ws-preload.js',
      },
    },
  });
  return readFileSync(join(outDir, 'ws-preload.js'), 'utf8');
}
