/**
 * A real MCP server over stdio (test/support/mcp/stdio-server.ts, spawned with node) behind the real
 * tool host: its tools reach the definitions, calls go through policy → approval → time limit →
 * output limit → audit, and failures (errors, timeouts, a crash mid-call, a server that will not
 * start) come back as output while the server is restarted with backoff.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { createToolHost } from '../../../../main/tools/index.ts';
import type { ToolAuditRecord } from '../../../../main/tools/index.ts';
import type { McpServerStatus } from '../../../../main/tools/mcp/index.ts';
import { ScriptedApprovals, call } from '../tool-test-kit.ts';
import { alive, rig, stateOf, stdioServer, until, type Rig } from './mcp-test-kit.ts';

const rigs: Rig[] = [];
function started(...args: Parameters<typeof rig>): Rig {
  const r = rig(...args);
  rigs.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.mcp.close()));
});

async function ready(r: Rig, id = 'local'): Promise<void> {
  try {
    await until(() => stateOf(r.mcp, id) === 'ready', `${id} to be ready`);
  } catch (error) {
    throw new Error(`${String(error)}; status: ${JSON.stringify(r.mcp.statuses())}; log:\n${r.logger.lines.join('\n')}`, { cause: error });
  }
}

async function pidOf(r: Rig, tool = 'local__pid'): Promise<number> {
  const result = await call(r.host, tool, {});
  expect(result.status).toBe('done');
  return Number(result.output);
}

describe('a stdio MCP server', () => {
  it('offers its tools after ours, with safe unique names and their JSON Schema', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer()]);
    await ready(r);
    const defs = r.host.definitions();
    const names = defs.map((d) => d.name);
    // Our own tools first, in their order; then the server's, prefixed with its id.
    const own = createToolHost({ roots: [], approvals: new ScriptedApprovals() }).definitions().map((d) => d.name);
    expect(names.slice(0, own.length)).toEqual(own);
    expect(names.slice(own.length).every((n) => n.startsWith('local__'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['local__echo', 'local__add_note', 'local__slow', 'local__get_weather', 'local__pid']));
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(names).size).toBe(names.length);

    const echo = defs.find((d) => d.name === 'local__echo');
    expect(echo?.description).toBe('Repeats the text it is given. (Tool "echo" of the MCP server "Local notes".)');
    expect(echo?.parameters).toMatchObject({ type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'] });
    expect(echo?.parameters).not.toHaveProperty('$schema');
    const validate = new Ajv({ strict: false }).compile(echo?.parameters ?? {});
    expect(validate({ text: 'hi' })).toBe(true);
    expect(validate({})).toBe(false);
    // A tool without arguments still gets an object schema the Realtime API accepts.
    expect(defs.find((d) => d.name === 'local__list_notes')?.parameters).toMatchObject({ type: 'object', properties: {} });

    const status = r.mcp.statuses()[0];
    expect(status).toMatchObject({ id: 'local', name: 'Local notes', transport: 'stdio', state: 'ready', lastError: null, restarts: 0 });
    expect(status?.toolCount).toBeGreaterThanOrEqual(12);
  });

  it('asks before a tool that writes, shows the server, the tool and the arguments, and returns the result', async () => {
    const approvals = new ScriptedApprovals({ decision: 'allow-once' }, { decision: 'deny' });
    const r = started(approvals, [stdioServer()]);
    const audit: ToolAuditRecord[] = [];
    r.host.onAudit((a) => audit.push(a));
    await ready(r);

    const saved = await call(r.host, 'local__add_note', { note: 'buy oat milk' });
    expect(saved).toMatchObject({ status: 'done', output: 'Saved. There is 1 note.' });
    expect(approvals.asked).toEqual([
      { tool: 'local__add_note', summary: 'Run add_note on the MCP server "Local notes"', preview: JSON.stringify({ note: 'buy oat milk' }, null, 2) },
    ]);

    const declined = await call(r.host, 'local__add_note', { note: 'second' });
    expect(declined.status).toBe('denied');
    expect(declined.output).toBe('The user declined: Run add_note on the MCP server "Local notes". Nothing was done.');
    // The declined note never reached the server; the read-only listing runs without asking.
    const listed = await call(r.host, 'local__list_notes', {});
    expect(listed).toMatchObject({ status: 'done', output: '1. buy oat milk' });
    expect(approvals.asked).toHaveLength(2);

    expect(audit.map((a) => [a.name, a.decision, a.status])).toEqual([
      ['local__add_note', 'allowed-once', 'done'],
      ['local__add_note', 'denied', 'denied'],
      ['local__list_notes', 'allowed', 'done'],
    ]);
  });

  it('follows the server and per-tool policies; a destructive tool always asks unless the user chose', async () => {
    const approvals = new ScriptedApprovals({ decision: 'deny' }, { decision: 'deny' });
    const r = started(approvals, [stdioServer({ policy: 'allow', toolPolicies: { echo: 'deny' } })]);
    await ready(r);
    expect(r.host.policyOf('local__add_note')).toBe('allow');
    expect(r.host.policyOf('local__wipe')).toBe('ask');
    expect(r.host.policyOf('local__echo')).toBe('deny');

    expect(await call(r.host, 'local__add_note', { note: 'a' })).toMatchObject({ status: 'done' });
    expect(await call(r.host, 'local__wipe', {})).toMatchObject({ status: 'denied' });
    expect(approvals.asked.map((a) => a.tool)).toEqual(['local__wipe']);
    const off = await call(r.host, 'local__echo', { text: 'x' });
    expect(off.status).toBe('denied');
    expect(off.output).toContain('local__echo');

    // At runtime: the server on "deny", except one tool the user allowed.
    r.mcp.update([stdioServer({ policy: 'deny', toolPolicies: { wipe: 'allow' } })]);
    expect(r.host.policyOf('local__add_note')).toBe('deny');
    expect(r.host.policyOf('local__wipe')).toBe('allow');
    expect(await call(r.host, 'local__wipe', {})).toMatchObject({ status: 'done', output: 'wiped' });
    expect(approvals.asked).toHaveLength(1);
  });

  it('refuses arguments that do not match the schema before asking anyone', async () => {
    const approvals = new ScriptedApprovals();
    const r = started(approvals, [stdioServer()]);
    await ready(r);
    const wrong = await call(r.host, 'local__add_note', { note: 42 });
    expect(wrong.status).toBe('error');
    expect(wrong.output).toMatch(/^Invalid arguments for local__add_note: .*note.*string/);
    const notObject = await call(r.host, 'local__add_note', '[1,2]');
    expect(notObject.output).toBe('Invalid arguments for local__add_note: the arguments must be a JSON object.');
    expect(approvals.asked).toEqual([]);
  });

  it('returns a tool error, a picture and a long answer as text within the output limit', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer()], { maxOutputChars: 2_000 });
    await ready(r);

    const failed = await call(r.host, 'local__fail', { message: 'the disk is on fire' });
    expect(failed).toMatchObject({ status: 'error', output: 'fail on the MCP server "Local notes" reported an error: the disk is on fire' });

    const picture = await call(r.host, 'local__picture', {});
    expect(picture.status).toBe('done');
    expect(picture.output).toBe("[image: image/png, 70 B; not shown to you, the user can see it in the tool's result]\nA transparent pixel.");

    const big = await call(r.host, 'local__big', { chars: 50_000 });
    expect(big.status).toBe('done');
    expect(big.output.length).toBeLessThanOrEqual(2_000);
    expect(big.output).toMatch(/\[cut: output too long — showed [\d,]+ of 50,000 characters/);
  });

  it('stops a call at the server time limit, and the server keeps working', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer({ timeoutMs: 1_000 })]);
    await ready(r);
    const started_ = Date.now();
    const slow = await call(r.host, 'local__slow', { ms: 8_000 });
    expect(slow.status).toBe('error');
    expect(slow.output).toBe('local__slow took longer than 1 s and was stopped. Try a smaller request.');
    expect(Date.now() - started_).toBeLessThan(5_000);
    expect(await call(r.host, 'local__echo', { text: 'still here' })).toMatchObject({ status: 'done', output: 'echo: still here' });
    expect(stateOf(r.mcp, 'local')).toBe('ready');
  });

  it('a crash mid-call gives an error output, and the server comes back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-mcp-'));
    try {
      const startsFile = path.join(dir, 'starts');
      const r = started(new ScriptedApprovals(), [stdioServer({ env: { FIXTURE_STARTS_FILE: startsFile } })]);
      const seen: McpServerStatus[] = [];
      r.mcp.onStatus((s) => seen.push(s));
      await ready(r);
      const firstPid = await pidOf(r);

      const crashed = await call(r.host, 'local__crash', {});
      expect(crashed.status).toBe('error');
      expect(crashed.output).toMatch(/^The MCP server "Local notes" stopped while running crash \(the program exited; it last wrote: fixture: crashing on purpose\)/);
      expect(crashed.output).toContain('the user can try again in a moment');

      // Until it is back, a call says why instead of failing silently.
      const during = await call(r.host, 'local__echo', { text: 'x' });
      if (during.status !== 'done') expect(during.output).toMatch(/The MCP server "Local notes" (is not running|is still starting|has just stopped)/);

      await until(() => r.mcp.statuses()[0]?.restarts === 1 && stateOf(r.mcp, 'local') === 'ready', 'a restart');
      expect(seen.map((s) => s.state)).toEqual(expect.arrayContaining(['ready', 'retrying', 'connecting']));
      expect(seen.find((s) => s.state === 'retrying')?.lastError).toBe('the program exited; it last wrote: fixture: crashing on purpose');
      const secondPid = await pidOf(r);
      expect(secondPid).not.toBe(firstPid);
      expect(alive(firstPid)).toBe(false);
      expect((await readFile(startsFile, 'utf8')).trim().split('\n')).toEqual([String(firstPid), String(secondPid)]);
      expect(await call(r.host, 'local__echo', { text: 'back' })).toMatchObject({ status: 'done', output: 'echo: back' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a server that will not start is reported with its own words and retried with growing delays', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer({ env: { FIXTURE_FAIL_START: 'config' } })]);
    const delays: number[] = [];
    r.mcp.onStatus((s) => {
      if (s.state === 'retrying' && s.retryInMs !== null) delays.push(s.retryInMs);
    });
    await until(() => delays.length >= 4, 'four failed starts');
    const status = r.mcp.statuses()[0];
    expect(status?.lastError).toMatch(/it last wrote: fatal: no config at ~\/\.notes\.toml$/);
    // 100 → 200 → 400 → 800 (the cap of this rig); a millisecond may pass between scheduling and reporting.
    expect(delays.slice(0, 4).map((d) => Math.round(d / 100) * 100)).toEqual([100, 200, 400, 800]);
    expect(r.host.definitions().some((d) => d.name.startsWith('local__'))).toBe(false);
    const missing = await call(r.host, 'local__echo', { text: 'x' });
    expect(missing.output).toMatch(/^There is no tool named "local__echo"/);
  });

  it('a command that does not exist says so', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer({ transport: { type: 'stdio', command: '/nonexistent/earshot-mcp-server', args: [], env: {}, cwd: null } })]);
    await until(() => stateOf(r.mcp, 'local') === 'retrying', 'the failure');
    expect(r.mcp.statuses()[0]?.lastError).toBe('could not start "/nonexistent/earshot-mcp-server": the program was not found (check the command, or give its full path)');
  });

  it('follows tools/list_changed: a tool added at run time is offered and runs', async () => {
    const r = started(new ScriptedApprovals({ decision: 'allow-once' }), [stdioServer()]);
    await ready(r);
    let changes = 0;
    r.host.onDefinitionsChanged(() => (changes += 1));
    expect(r.host.definitions().some((d) => d.name === 'local__fresh_tool')).toBe(false);
    expect(await call(r.host, 'local__add_tool', { name: 'fresh_tool' })).toMatchObject({ status: 'done', output: 'added fresh_tool' });
    await until(() => r.host.definitions().some((d) => d.name === 'local__fresh_tool'), 'the new tool in the definitions');
    expect(changes).toBeGreaterThanOrEqual(1);
    expect(await call(r.host, 'local__fresh_tool', {})).toMatchObject({ status: 'done', output: 'fresh_tool ran' });
  });

  it('settings changes connect, reconnect and disconnect at runtime; closing ends the children', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer()]);
    await ready(r);
    const pid = await pidOf(r);

    // A new name applies without a restart.
    r.mcp.update([stdioServer({ name: 'Notes' })]);
    expect(r.host.definitions().find((d) => d.name === 'local__echo')?.description).toContain('MCP server "Notes"');
    expect(await pidOf(r)).toBe(pid);

    // Turned off: the child goes, and so do its tools.
    r.mcp.update([stdioServer({ enabled: false })]);
    expect(r.host.definitions().some((d) => d.name.startsWith('local__'))).toBe(false);
    expect(stateOf(r.mcp, 'local')).toBe('stopped');
    await until(() => !alive(pid), 'the child to exit');

    // Back on, plus a second server with another id: two children, distinct names.
    r.mcp.update([stdioServer(), stdioServer({ id: 'work', name: 'Work notes' })]);
    await ready(r, 'local');
    await ready(r, 'work');
    const pids = [await pidOf(r), await pidOf(r, 'work__pid')];
    expect(pids[0]).not.toBe(pids[1]);
    expect(r.host.definitions().filter((d) => d.name.endsWith('__echo')).map((d) => d.name)).toEqual(['local__echo', 'work__echo']);

    await r.mcp.close();
    expect(r.mcp.statuses().map((s) => s.state)).toEqual(['stopped', 'stopped']);
    for (const p of pids) expect(alive(p)).toBe(false);
  });

  it('a server removed from settings during a call ends the call with an output that says so', async () => {
    const r = started(new ScriptedApprovals(), [stdioServer()]);
    await ready(r);
    const pid = await pidOf(r);
    let runningSeen = false;
    r.host.onCallUpdate((view) => (runningSeen ||= view.name === 'local__slow' && view.status === 'running'));
    const running = call(r.host, 'local__slow', { ms: 8_000 });
    await until(() => runningSeen, 'the call to run');
    r.mcp.update([]);
    const result = await running;
    expect(result).toMatchObject({
      status: 'error',
      output: 'The MCP server "Local notes" was turned off while running slow, so it is not known whether the call did anything.',
    });
    expect(result.durationMs).toBeLessThan(5_000);
    await until(() => !alive(pid), 'the child to exit');
  });

  it('passes the configured environment but never logs its values', async () => {
    const secret = 'tok-5f1c2a9e-secret-value';
    const r = started(new ScriptedApprovals(), [stdioServer({ env: { FIXTURE_SECRET: secret } })]);
    await ready(r);
    expect(await call(r.host, 'local__secret_env', {})).toMatchObject({ status: 'done', output: `FIXTURE_SECRET has ${secret.length} characters` });

    // A server that prints the secret as it fails: the status and the log show [hidden].
    r.mcp.update([stdioServer({ env: { FIXTURE_SECRET: secret, FIXTURE_FAIL_START: 'login' } })]);
    await until(() => r.mcp.statuses()[0]?.lastError?.includes('cannot log in'), 'the failure');
    expect(r.mcp.statuses()[0]?.lastError).toContain('cannot log in with [hidden]');
    expect(r.logger.lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(r.mcp.statuses())).not.toContain(secret);
  });
});
