/** write_file, append_file and create_directory on real temporary folders, through approvals. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedApprovals, call, hostFor, makeTempDir } from './tool-test-kit.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await makeTempDir();
  root = path.join(base, 'shared');
  await fs.mkdir(root);
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('write_file', () => {
  it('asks with the exact path, size and a preview, then writes the file', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const host = hostFor([root], { approvals, sandbox: { homeDir: base } });
    const content = 'Buy milk\nCall Anna\n';
    const r = await call(host, 'write_file', { path: '~/shared/todo.txt', content });
    expect(r.status).toBe('done');
    expect(r.output).toBe('Created ~/shared/todo.txt: 19 B, 2 lines.');
    expect(approvals.asked).toEqual([{ tool: 'write_file', summary: 'Write 19 B to ~/shared/todo.txt', path: '~/shared/todo.txt', preview: content }]);
    expect(await fs.readFile(path.join(root, 'todo.txt'), 'utf8')).toBe(content);
  });

  it('leaves an existing file alone unless overwrite is set, and then says it replaces it', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const host = hostFor([root], { approvals, sandbox: { homeDir: base } });
    const refused = await call(host, 'write_file', { path: 'todo.txt', content: 'x' });
    expect(refused.status).toBe('error');
    expect(refused.output).toContain('already exists. Ask the user, then call again with overwrite: true');
    expect(approvals.asked).toHaveLength(0);
    const long = 'y'.repeat(2000);
    const r = await call(host, 'write_file', { path: 'todo.txt', content: long, overwrite: true });
    expect(r.output).toBe('Replaced ~/shared/todo.txt: 2.0 KB, 1 line.');
    expect(approvals.asked[0]?.summary).toBe('Replace ~/shared/todo.txt (19 B) with 2.0 KB');
    expect(approvals.asked[0]?.preview).toBe(`${'y'.repeat(600)}\n… (1,400 more characters)`);
    expect(await fs.readFile(path.join(root, 'todo.txt'), 'utf8')).toBe(long);
  });

  it('needs the folder to exist', async () => {
    const host = hostFor([root], { approvals: new ScriptedApprovals({ decision: 'allow-once' }) });
    const r = await call(host, 'write_file', { path: 'no/such/folder/x.txt', content: 'x' });
    expect(r.status).toBe('error');
    expect(r.output).toContain('does not exist; create it first with create_directory');
  });

  it('writes nothing when the user says no', async () => {
    const host = hostFor([root], { approvals: new ScriptedApprovals({ decision: 'deny' }), sandbox: { homeDir: base } });
    const r = await call(host, 'write_file', { path: 'denied.txt', content: 'no' });
    expect(r.status).toBe('denied');
    expect(r.output).toBe('The user declined: Write 2 B to ~/shared/denied.txt. Nothing was done.');
    await expect(fs.stat(path.join(root, 'denied.txt'))).rejects.toThrow();
  });
});

describe('append_file', () => {
  it('creates a missing file, then appends to it', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' }, { decision: 'allow-once' });
    const host = hostFor([root], { approvals, sandbox: { homeDir: base } });
    const a = await call(host, 'append_file', { path: 'journal.txt', content: 'Monday\n' });
    expect(a.output).toBe('Created ~/shared/journal.txt: added 7 B; it is now 7 B.');
    const b = await call(host, 'append_file', { path: 'journal.txt', content: 'Tuesday\n' });
    expect(b.output).toBe('Appended to ~/shared/journal.txt: added 8 B; it is now 15 B.');
    expect(approvals.asked.map((d) => d.summary)).toEqual(['Create ~/shared/journal.txt with 7 B', 'Append 8 B to ~/shared/journal.txt']);
    expect(await fs.readFile(path.join(root, 'journal.txt'), 'utf8')).toBe('Monday\nTuesday\n');
  });
});

describe('create_directory', () => {
  it('creates nested folders in one approved step', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const host = hostFor([root], { approvals, sandbox: { homeDir: base } });
    const r = await call(host, 'create_directory', { path: 'trips/2025/rome' });
    expect(r.output).toBe('Created ~/shared/trips/2025/rome (3 folders).');
    expect(approvals.asked[0]?.summary).toBe('Create folder ~/shared/trips/2025/rome (3 new folders)');
    expect((await fs.stat(path.join(root, 'trips/2025/rome'))).isDirectory()).toBe(true);
    const again = await call(host, 'create_directory', { path: 'trips/2025' });
    expect(again.status).toBe('error');
    expect(again.output).toBe('~/shared/trips/2025 already exists.');
  });
});
