import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function lintAt(relativeDir: string, source: string): Promise<string[]> {
  const dir = mkdtempSync(join(root, relativeDir, '.lint-probe-'));
  dirs.push(dir);
  const file = join(dir, 'probe.ts');
  writeFileSync(file, source);
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the core never imports electron (lint rule)', () => {
  it.each(['main/voice', 'main/tools', 'main/settings', 'main/history'])('rejects import "electron" under %s', async (folder) => {
    const messages = await lintAt(folder, "import 'electron';\nexport const x = 1;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: .*never imports electron/);
  });

  it('rejects electron-store in the core too', async () => {
    const messages = await lintAt('main/settings', "import Store from 'electron-store';\nexport const s = Store;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('allows electron in main/app, the Electron glue', async () => {
    const messages = await lintAt('main/app', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages).toEqual([]);
  });
});
