/** The ToolHost: definitions, errors that become outputs, timeouts, policies, audit, runtime updates. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { createDefaultToolHost, createToolHost, toolNames } from '../../../main/tools/index.ts';
import type { ClipboardPort, ToolAuditRecord } from '../../../main/tools/index.ts';
import type { ToolCallView } from '../../../preload/contract.ts';
import { ToolCallViewSchema } from '../../../preload/contract.ts';
import { MemoryClipboard, ScriptedApprovals, call, hostFor, makeTempDir, writeTree } from './tool-test-kit.ts';

let base: string;
let root: string;
let other: string;

beforeAll(async () => {
  base = await makeTempDir();
  root = path.join(base, 'docs');
  other = path.join(base, 'music');
  await writeTree(root, { 'a.txt': 'alpha\n' });
  await writeTree(other, { 'song.txt': 'la la\n' });
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('definitions', () => {
  it('offers every tool as a Realtime function definition with a valid JSON Schema', () => {
    const host = hostFor([root], { clipboard: new MemoryClipboard() });
    const defs = host.definitions();
    // look_at_screen is offered only with a screen to capture (test/unit/screen/look-at-screen.test.ts).
    expect(defs.map((d) => d.name)).toEqual(toolNames.filter((n) => n !== 'look_at_screen'));
    const ajv = new Ajv({ strict: false });
    for (const def of defs) {
      expect(def.type).toBe('function');
      expect(def.description.length).toBeGreaterThan(40);
      expect(def.parameters.type).toBe('object');
      expect(def.parameters).not.toHaveProperty('$schema');
      expect(() => ajv.compile(def.parameters)).not.toThrow();
    }
    const read = defs.find((d) => d.name === 'read_file');
    expect(read?.parameters).toMatchObject({ required: ['path'], properties: { startLine: { type: 'integer', minimum: 1 } } });
    const validate = ajv.compile(read?.parameters ?? {});
    expect(validate({ path: 'x', startLine: 2 })).toBe(true);
    expect(validate({ startLine: 0 })).toBe(false);
  });

  it('leaves the clipboard tools out when there is no clipboard', () => {
    const defs = hostFor([root]).definitions().map((d) => d.name);
    expect(defs).not.toContain('read_clipboard');
    expect(defs).not.toContain('write_clipboard');
    expect(defs).toContain('write_file');
  });
});

describe('errors become outputs for the model, and the next call still works', () => {
  it('invalid JSON, schema errors and unknown tools', async () => {
    const host = hostFor([root]);
    const bad = await call(host, 'read_file', '{"path": ');
    expect(bad.status).toBe('error');
    expect(bad.output).toMatch(/^The arguments for read_file were not valid JSON \(.+\)\. Send a JSON object\.$/);
    const wrongType = await call(host, 'read_file', { path: 42 });
    expect(wrongType.status).toBe('error');
    expect(wrongType.output).toBe('Invalid arguments for read_file: path: Invalid input: expected string, received number.');
    const unknown = await call(host, 'format_disk', {});
    expect(unknown.output).toContain('There is no tool named "format_disk". Available tools: list_directory, read_file');
    const ok = await call(host, 'read_file', { path: 'a.txt' });
    expect(ok.status).toBe('done');
    expect(ok.output).toContain('1: alpha');
  });

  it('an exception in a port', async () => {
    const broken: ClipboardPort = {
      readText: () => Promise.reject(new Error('clipboard owner crashed')),
      writeText: () => Promise.resolve(),
    };
    const host = hostFor([root], { clipboard: broken, clipboardRead: true });
    const r = await call(host, 'read_clipboard', {});
    expect(r).toMatchObject({ status: 'error', output: 'read_clipboard failed: clipboard owner crashed' });
    const next = await call(host, 'list_directory', { path: root });
    expect(next.status).toBe('done');
  });

  it('a timeout stops the call with a clear output', async () => {
    const hanging: ClipboardPort = { readText: () => new Promise<string>(() => undefined), writeText: () => Promise.resolve() };
    const host = hostFor([root], { clipboard: hanging, clipboardRead: true, timeoutMs: 150 });
    const started = performance.now();
    const r = await call(host, 'read_clipboard', {});
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.status).toBe('error');
    expect(r.output).toBe('read_clipboard took longer than 150 ms and was stopped. Try a smaller request.');
    expect(r.durationMs).toBeGreaterThanOrEqual(140);
    const next = await call(host, 'read_file', { path: 'a.txt' });
    expect(next.status).toBe('done');
  });

  it('a cancelled call (abort signal) ends at once', async () => {
    const hanging: ClipboardPort = { readText: () => new Promise<string>(() => undefined), writeText: () => Promise.resolve() };
    const host = hostFor([root], { clipboard: hanging, clipboardRead: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const r = await call(host, 'read_clipboard', {}, controller.signal);
    expect(r).toMatchObject({ status: 'error', output: 'The call was cancelled.' });
  });

  it('no shared folders: says how to add one', async () => {
    const host = hostFor([]);
    expect((await call(host, 'list_directory', {})).output).toContain('No folders are shared with the assistant yet');
    const r = await call(host, 'read_file', { path: 'a.txt' });
    expect(r.status).toBe('error');
    expect(r.output).toContain('Settings → Files');
  });
});

describe('policies', () => {
  it('defaults: read tools allow, write tools ask, clipboard reading off until enabled, clipboard writing asks', async () => {
    const clipboard = new MemoryClipboard();
    clipboard.text = 'copied words';
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const host = hostFor([root], { clipboard, approvals });
    expect(toolNames.map((n) => host.policyOf(n))).toEqual(['allow', 'allow', 'allow', 'allow', 'ask', 'ask', 'ask', 'deny', 'ask', 'ask']);
    const off = await call(host, 'read_clipboard', {});
    expect(off).toMatchObject({ status: 'denied', output: 'Reading the clipboard is turned off. The user can turn it on in Settings → Privacy.' });
    expect(clipboard.reads).toBe(0);
    const w = await call(host, 'write_clipboard', { text: 'hello there' });
    expect(w.output).toBe('Copied 11 characters to the clipboard.');
    expect(approvals.asked).toEqual([{ tool: 'write_clipboard', summary: 'Copy 11 characters to the clipboard', preview: 'hello there' }]);
    expect(clipboard.text).toBe('hello there');

    host.update({ clipboardRead: true });
    const on = await call(host, 'read_clipboard', {});
    expect(on.output).toBe('The clipboard holds 11 characters:\nhello there');
  });

  it('per-tool policies: deny, ask for a read tool, allow a write tool without asking', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const host = hostFor([root], { approvals, policies: { list_directory: 'deny', read_file: 'ask', append_file: 'allow' }, sandbox: { homeDir: base } });
    const denied = await call(host, 'list_directory', {});
    expect(denied).toMatchObject({ status: 'denied', output: expect.stringContaining('turned off list_directory') });
    const asked = await call(host, 'read_file', { path: 'a.txt' });
    expect(asked.status).toBe('done');
    expect(approvals.asked.map((a) => a.tool)).toEqual(['read_file']);
    const appended = await call(host, 'append_file', { path: 'a.txt', content: 'beta\n' });
    expect(appended.status).toBe('done');
    expect(approvals.asked).toHaveLength(1);
    expect(await fs.readFile(path.join(root, 'a.txt'), 'utf8')).toBe('alpha\nbeta\n');
    await fs.writeFile(path.join(root, 'a.txt'), 'alpha\n');
  });

  it('roots and policies change at runtime', async () => {
    const host = hostFor([root]);
    expect((await call(host, 'read_file', { path: path.join(other, 'song.txt') })).status).toBe('error');
    const report = host.update({ roots: [root, other, path.join(base, 'missing')] });
    expect(report.accepted).toEqual([root, other]);
    expect(report.rejected).toEqual([{ path: path.join(base, 'missing'), reason: `${path.join(base, 'missing')} does not exist.` }]);
    expect((await call(host, 'read_file', { path: path.join(other, 'song.txt') })).output).toContain('1: la la');
    host.update({ roots: [other] });
    expect((await call(host, 'read_file', { path: path.join(root, 'a.txt') })).status).toBe('error');
    host.update({ policies: { read_file: 'deny' } });
    expect((await call(host, 'read_file', { path: path.join(other, 'song.txt') })).status).toBe('denied');
    expect(host.update({ roots: ['/'] }).rejected[0]?.reason).toContain('the whole disk cannot be shared');
  });
});

describe('audit and live view', () => {
  it('emits running/done views and one audit record per call, with decision, size and duration', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' });
    const host = hostFor([root], { approvals });
    const views: ToolCallView[] = [];
    const audits: ToolAuditRecord[] = [];
    host.onCallUpdate((v) => views.push(v));
    const stop = host.onAudit((a) => audits.push(a));
    const r = await call(host, 'read_file', { path: 'a.txt' });
    await call(host, 'write_file', { path: 'new.txt', content: 'x' });
    await call(host, 'read_file', '{oops');
    stop();
    await call(host, 'read_file', { path: 'a.txt' });
    for (const v of views) expect(() => ToolCallViewSchema.parse(v)).not.toThrow();
    expect(views.map((v) => `${v.name}:${v.status}`)).toEqual([
      'read_file:running',
      'read_file:done',
      'write_file:awaiting-approval',
      'write_file:running',
      'write_file:done',
      'read_file:error',
      'read_file:running',
      'read_file:done',
    ]);
    expect(audits).toHaveLength(3);
    expect(audits[0]).toMatchObject({
      conversationId: 'conv_test',
      name: 'read_file',
      argumentsJson: '{"path":"a.txt"}',
      decision: 'allowed',
      status: 'done',
      resultBytes: Buffer.byteLength(r.output),
    });
    expect(audits[1]).toMatchObject({ name: 'write_file', decision: 'allowed-once', status: 'done' });
    expect(audits[2]).toMatchObject({ name: 'read_file', decision: 'not-needed', status: 'error', argumentsJson: '{oops' });
    for (const a of audits) {
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
      expect(a.at).toBeGreaterThan(Date.now() - 60_000);
    }
    await fs.rm(path.join(root, 'new.txt'));
  });

  it('cuts oversized output with a marker and counts', async () => {
    const clipboard = new MemoryClipboard();
    clipboard.text = 'word '.repeat(10_000);
    const host = hostFor([root], { clipboard, clipboardRead: true, maxOutputChars: 1000 });
    const r = await call(host, 'read_clipboard', {});
    expect(r.output.length).toBeLessThanOrEqual(1000);
    expect(r.output).toMatch(/\[cut: output too long — showed [\d,]+ of 50,039 characters, 1 of 2 lines complete\]$/);
  });
});

describe('createDefaultToolHost (CLI)', () => {
  it('denies writes with the --allow-writes hint unless allowWrites', async () => {
    const strict = createDefaultToolHost({ roots: [root], allowWrites: false });
    const r = await call(strict, 'write_file', { path: 'cli.txt', content: 'hi' });
    expect(r.status).toBe('denied');
    expect(r.output).toContain('writes need approval; run with --allow-writes');
    await expect(fs.stat(path.join(root, 'cli.txt'))).rejects.toThrow();
    expect((await call(strict, 'read_file', { path: 'a.txt' })).status).toBe('done');
    const loose = createDefaultToolHost({ roots: [root], allowWrites: true });
    expect((await call(loose, 'write_file', { path: 'cli.txt', content: 'hi' })).status).toBe('done');
    expect(await fs.readFile(path.join(root, 'cli.txt'), 'utf8')).toBe('hi');
    await fs.rm(path.join(root, 'cli.txt'));
  });

  it('createToolHost accepts a custom clock and logger', async () => {
    const lines: string[] = [];
    const logger = { debug: () => undefined, info: (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(f)}`), warn: () => undefined, error: () => undefined };
    let t = 1000;
    const clock = { now: () => (t += 5), epochMs: () => 1_700_000_000_000, setTimeout: (fn: () => void, ms: number) => {
      const id = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(id) };
    } };
    const host = createToolHost({ roots: [root], approvals: new ScriptedApprovals(), clock, logger });
    const audits: ToolAuditRecord[] = [];
    host.onAudit((a) => audits.push(a));
    const r = await call(host, 'file_info', { path: 'a.txt' });
    expect(r.durationMs).toBeGreaterThan(0);
    expect(audits[0]?.at).toBe(1_700_000_000_000);
    expect(lines[0]).toContain('"name":"file_info","decision":"allowed","status":"done"');
  });
});
