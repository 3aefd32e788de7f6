/** The pure parts of the MCP layer: tool names, policies from settings and hints, results as text. */
import { describe, expect, it } from 'vitest';
import { exposedToolName, isValidToolName } from '../../../../main/tools/mcp/tool-names.ts';
import { mcpToolPolicy } from '../../../../main/tools/mcp/mcp-policy.ts';
import { formatCallResult } from '../../../../main/tools/mcp/call-result.ts';
import { describeMcpError, scrubber } from '../../../../main/tools/mcp/describe-error.ts';
import { nativeMcpTool } from '../../../../main/tools/mcp/native.ts';
import { ONE_PIXEL_PNG } from '../../../support/mcp/fixture-tools.ts';

describe('tool names the model sees', () => {
  it('prefixes the server id and keeps a valid name as it is', () => {
    expect(exposedToolName('notes', 'search', new Set())).toBe('notes__search');
  });

  it('sanitises characters a function name may not hold', () => {
    expect(exposedToolName('gh', 'repos/list issues', new Set())).toBe('gh__repos_list_issues');
    expect(exposedToolName('gh', 'get.weather', new Set())).toBe('gh__get_weather');
  });

  it('adds a stable hash when the name is too long or already taken', () => {
    const long = `a${'very_long_tool_name_'.repeat(5)}`;
    const name = exposedToolName('server-one', long, new Set());
    expect(name).toHaveLength(64);
    expect(isValidToolName(name)).toBe(true);
    expect(name).toMatch(/^server-one__avery_long_tool_name_.*_[0-9a-f]{8}$/);
    expect(exposedToolName('server-one', long, new Set())).toBe(name);

    const taken = new Set(['gh__get_weather']);
    const second = exposedToolName('gh', 'get.weather', taken);
    expect(second).toMatch(/^gh__get_weather_[0-9a-f]{8}$/);
    expect(taken.has(second)).toBe(false);
  });

  it('never produces an invalid or empty name', () => {
    for (const raw of ['', '...', 'é', 'a'.repeat(300), 'tool with spaces', '💥']) {
      expect(isValidToolName(exposedToolName('x', raw, new Set()))).toBe(true);
    }
  });
});

describe('the policy of an MCP tool', () => {
  const server = (policy: 'ask' | 'allow' | 'deny', toolPolicies: Record<string, 'ask' | 'allow' | 'deny'> = {}) => ({ policy, toolPolicies });
  const readOnly = { name: 'read', annotations: { readOnlyHint: true } };
  const destructive = { name: 'drop', annotations: { destructiveHint: true } };
  const plain = { name: 'plain' };

  it('the user choice for the tool wins over everything', () => {
    expect(mcpToolPolicy(server('deny', { drop: 'allow' }), destructive)).toBe('allow');
    expect(mcpToolPolicy(server('allow', { read: 'deny' }), readOnly)).toBe('deny');
  });

  it('read-only tools run without asking when the server is on "ask"', () => {
    expect(mcpToolPolicy(server('ask'), readOnly)).toBe('allow');
    expect(mcpToolPolicy(server('ask'), plain)).toBe('ask');
    expect(mcpToolPolicy(server('deny'), readOnly)).toBe('deny');
  });

  it('destructive tools ask even when the server is on "allow"; tools without hints follow the server', () => {
    expect(mcpToolPolicy(server('allow'), destructive)).toBe('ask');
    expect(mcpToolPolicy(server('allow'), plain)).toBe('allow');
    expect(mcpToolPolicy(server('ask'), { name: 'both', annotations: { readOnlyHint: true, destructiveHint: true } })).toBe('ask');
  });

  it('a tool named like an Object property is not confused with one', () => {
    expect(mcpToolPolicy(server('ask'), { name: 'constructor' })).toBe('ask');
    expect(mcpToolPolicy(server('allow'), { name: 'toString' })).toBe('allow');
  });
});

describe('a tool result as text for the model', () => {
  it('text as it is, pictures and audio as what they are, never their bytes', () => {
    const text = formatCallResult(
      {
        content: [
          { type: 'text', text: 'Here it is.' },
          { type: 'image', data: ONE_PIXEL_PNG, mimeType: 'image/png' },
          { type: 'audio', data: Buffer.alloc(4_800).toString('base64'), mimeType: 'audio/wav' },
        ],
      },
      1_000,
    );
    expect(text).toBe(
      "Here it is.\n[image: image/png, 70 B; not shown to you, the user can see it in the tool's result]\n[audio: audio/wav, 4.7 KB; not played]",
    );
    expect(text).not.toContain(ONE_PIXEL_PNG.slice(0, 20));
  });

  it('resources: embedded text with its URI, binary and links described', () => {
    const text = formatCallResult(
      {
        content: [
          { type: 'resource', resource: { uri: 'file:///notes/a.md', mimeType: 'text/markdown', text: '# A' } },
          { type: 'resource', resource: { uri: 'file:///b.pdf', mimeType: 'application/pdf', blob: Buffer.alloc(2_048).toString('base64') } },
          { type: 'resource_link', uri: 'https://example.com/r/1', name: 'report', mimeType: 'text/html', description: 'The monthly report.' },
        ],
      },
      1_000,
    );
    expect(text).toBe(
      '[resource file:///notes/a.md (text/markdown)]\n# A\n[resource file:///b.pdf: application/pdf, 2.0 KB; not shown]\n[resource link: report — https://example.com/r/1 (text/html)]\nThe monthly report.',
    );
  });

  it('structured content as JSON when there is no text, an empty result said plainly', () => {
    expect(formatCallResult({ content: [], structuredContent: { temperature: 21 } }, 1_000)).toBe('{\n  "temperature": 21\n}');
    expect(formatCallResult({ content: [{ type: 'text', text: '21 degrees' }], structuredContent: { temperature: 21 } }, 1_000)).toBe('21 degrees');
    expect(formatCallResult({ content: [] }, 1_000)).toBe('(The tool returned no content.)');
    expect(formatCallResult({ toolResult: { old: true } }, 1_000)).toBe('{\n  "old": true\n}');
  });

  it('stays within the limit and says how much was cut', () => {
    const text = formatCallResult({ content: [{ type: 'text', text: 'x'.repeat(10_000) }] }, 500);
    expect(text.length).toBeLessThanOrEqual(500);
    expect(text).toContain('[cut: output too long — showed');
  });
});

describe('error messages never show a header or a secret environment value', () => {
  it('hides header values (with or without Bearer) and credential-like env values, keeps ordinary ones', () => {
    const http = { type: 'http' as const, url: 'https://mcp.example.com/mcp?key=abc', headers: { Authorization: 'Bearer sekrit-123456', 'X-Team': 'blue-team' } };
    const scrub = scrubber(http);
    expect(scrub('denied for Bearer sekrit-123456 and sekrit-123456 (team blue-team)')).toBe('denied for [hidden] and [hidden] (team [hidden])');
    const stdio = { type: 'stdio' as const, command: 'srv', args: [], env: { API_TOKEN: 'abcd1234', MODE: 'production', LONG: 'A'.repeat(30) }, cwd: null };
    expect(scrubber(stdio)(`abcd1234 production ${'A'.repeat(30)}`)).toBe('[hidden] production [hidden]');
  });

  it('names the URL without its query', () => {
    const http = { type: 'http' as const, url: 'https://mcp.example.com/mcp?key=abc', headers: {} };
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(describeMcpError(refused, http, 1_000)).toBe('could not reach https://mcp.example.com/mcp: connection refused (is the server running?)');
  });
});

describe('a native server as a Realtime session tool', () => {
  const base = {
    id: 'gh',
    name: 'GitHub',
    enabled: true,
    transport: { type: 'http' as const, url: 'https://mcp.example.com/mcp', headers: {} },
    policy: 'ask' as const,
    toolPolicies: {},
    timeoutMs: 30_000,
    native: true,
  };

  it('asks through us unless every tool is allowed', () => {
    expect(nativeMcpTool(base)).toEqual({ type: 'mcp', server_label: 'gh', server_url: 'https://mcp.example.com/mcp', server_description: 'GitHub', require_approval: 'always' });
    expect(nativeMcpTool({ ...base, policy: 'allow' })?.require_approval).toBe('never');
    expect(nativeMcpTool({ ...base, policy: 'allow', toolPolicies: { delete_repo: 'ask' } })?.require_approval).toBe('always');
  });

  it('a server on "deny" offers only the tools the user let through, or nothing', () => {
    expect(nativeMcpTool({ ...base, policy: 'deny' })).toBeNull();
    expect(nativeMcpTool({ ...base, policy: 'deny', toolPolicies: { search: 'allow', wipe: 'deny', open: 'ask' } })).toMatchObject({ allowed_tools: ['search', 'open'], require_approval: 'always' });
  });

  it('only enabled native http servers', () => {
    expect(nativeMcpTool({ ...base, native: false })).toBeNull();
    expect(nativeMcpTool({ ...base, enabled: false })).toBeNull();
    expect(nativeMcpTool({ ...base, transport: { type: 'stdio', command: 'x', args: [], env: {}, cwd: null } })).toBeNull();
  });
});
