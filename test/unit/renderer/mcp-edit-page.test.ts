/**
 * The MCP section's Edit, as a person uses it: the real McpSettings component rendered with React
 * into a DOM (happy-dom), its bridge over the in-memory contract transport to the real core, and a
 * real streamable-HTTP MCP server on 127.0.0.1 that wants a token. The server was added with a
 * wrong URL and a wrong token, so it is not running; the person opens Edit (focus on the first
 * field), sees the headers as "set — leave empty to keep", is told beside the field what is wrong,
 * cancels (nothing changes, focus back on Edit), then fixes the URL and types the token: exactly
 * that goes over the contract, the server connects, and its other header, id and tool policies
 * stay. A header removed with ✕ is cleared; Escape cancels. No value main keeps ever reaches the page: not in what
 * the contract brought it, not in its DOM.
 */
// First: the DOM must exist before React DOM loads.
import { closeDomWindow, domWindow as dom } from './dom-window.ts';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElement, useEffect, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createBridge, type EarshotBridge } from '../../../preload/bridge.ts';
import type { SettingsView } from '../../../preload/contract.ts';
import type { RendererTransport } from '../../../preload/transport.ts';
import { startCore, type Core } from '../../../main/core/start-core.ts';
import { McpSettings } from '../../../renderer/src/components/McpSettings.tsx';
import { readSettings } from '../../../renderer/src/state/settings-form.ts';
import { makeTestCorePorts, type TestCorePorts } from '../../support/core-host.ts';
import { startFakeRealtime, type FakeRealtime } from '../../support/fake-realtime/index.ts';
import { startMcpHttpServer, type McpHttpServer } from '../../support/mcp/http-server.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';

const TOKEN = 'edit-page-token-8c2f6b1d';
const WRONG = 'wrong-page-token-3e9a07';
const TEAM = 'team-blue-5511';

/** What crossed the contract: requests the page sent, and every reply and event it was given. */
interface Recorded {
  sent: { channel: string; payload: unknown }[];
  received: unknown[];
}

function recording(inner: RendererTransport, recorded: Recorded): RendererTransport {
  return {
    ...inner,
    async invoke(channel, payload) {
      recorded.sent.push({ channel, payload: structuredClone(payload) });
      const reply = await inner.invoke(channel, payload);
      recorded.received.push(structuredClone(reply));
      return reply;
    },
    subscribe(channel, listener) {
      return inner.subscribe(channel, (payload) => {
        recorded.received.push(structuredClone(payload));
        listener(payload);
      });
    },
  };
}

/** The section as Settings shows it: it follows the `settings` event as the app's store does. */
function Section(props: { bridge: EarshotBridge; first: SettingsView }): React.JSX.Element {
  const [view, setView] = useState(props.first);
  useEffect(() => props.bridge.on.settings(setView), [props.bridge]);
  return createElement(McpSettings, { bridge: props.bridge, settings: readSettings(view) });
}

async function until<T>(check: () => T | undefined | null | false, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('editing an MCP server in the page', () => {
  const recorded: Recorded = { sent: [], received: [] };
  let root: Root;
  let fake: FakeRealtime;
  let http: McpHttpServer;
  let ports: TestCorePorts;
  let core: Core;
  let oldUrl = '';

  const doc = (): Document => dom.document as unknown as Document;
  const card = (): HTMLElement | null => doc().querySelector<HTMLElement>('[data-server-id="docs"]');
  const form = (): HTMLElement | null => doc().querySelector<HTMLElement>('[data-testid="mcp-edit"]');
  const stored = () => core.settings.get().mcpServers.find((s) => s.id === 'docs');
  const byLabel = <T extends HTMLElement>(within: HTMLElement, label: string): T => {
    const found = [...within.querySelectorAll<HTMLElement>('input, select, textarea, button')].find(
      (el) =>
        el.getAttribute('aria-label') === label ||
        (el.tagName === 'BUTTON' && !el.hasAttribute('aria-label') && el.textContent?.trim() === label) ||
        el.closest('label')?.textContent?.trim().startsWith(label) ||
        (el.id && within.querySelector(`label[for="${el.id}"]`)?.textContent === label),
    );
    if (!found) throw new Error(`no control labelled "${label}"`);
    return found as T;
  };
  /** Types into a controlled field the way a keystroke does: the native setter, then an input event. */
  const type = (field: HTMLInputElement | HTMLTextAreaElement, text: string): void => {
    const proto = Object.getPrototypeOf(field) as object;
    Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, text);
    field.dispatchEvent(new dom.Event('input', { bubbles: true }) as unknown as Event);
  };

  beforeAll(async () => {
    http = await startMcpHttpServer({ token: TOKEN });
    oldUrl = http.url.replace(/\/mcp$/, '/old');
    fake = await startFakeRealtime({ speedup: 0 });
    ports = makeTestCorePorts({
      apiKey: 'sk-test-mcp-edit-page-0a1b2c3d4e5f',
      baseURL: fake.baseURL,
      caPath: fake.caPath,
      settings: {
        mcpServers: [
          { id: 'docs', name: 'Docs', transport: { type: 'http', url: oldUrl, headers: { Authorization: `Bearer ${WRONG}`, 'X-Team': TEAM } }, toolPolicies: { add_note: 'deny' }, policy: 'allow' },
          { id: 'notes', name: 'Notes', enabled: false, transport: { type: 'stdio', command: 'notes-mcp' } },
        ],
      },
    });
    const pair = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
    core = await startCore(pair.main, ports.ports, { isTrustedSender: () => true });
    const bridge = createBridge(recording(pair.renderer, recorded));
    const first = await bridge.request.getSettings({});
    const host = doc().createElement('div');
    doc().body.appendChild(host);
    root = createRoot(host);
    root.render(createElement(Section, { bridge, first }));
  });

  afterAll(async () => {
    root?.unmount();
    await core?.dispose();
    await fake?.close();
    await http?.close();
    if (ports) rmSync(ports.userDataDir, { recursive: true, force: true });
    await closeDomWindow();
  });

  it('opens the form filled in, with focus on its first field and the values hidden', async () => {
    await until(() => card()?.querySelector('[data-testid="mcp-error"]'), 'the failing server to show why');
    const edit = await until(() => card()?.querySelector<HTMLButtonElement>('button[aria-label="Edit Docs"]'), 'the Edit button named for the server');
    edit.click();
    const opened = await until(form, 'the edit form');
    const kind = opened.querySelector<HTMLSelectElement>('[data-testid="mcp-edit-kind"]');
    await until(() => doc().activeElement === kind, 'focus on the first field');
    expect(kind?.value).toBe('http');
    expect(byLabel<HTMLInputElement>(opened, 'Name').value).toBe('Docs');
    expect(byLabel<HTMLInputElement>(opened, 'URL').value).toBe(oldUrl);
    expect(byLabel<HTMLInputElement>(opened, 'Header 1 name').value).toBe('Authorization');
    expect(byLabel<HTMLInputElement>(opened, 'Header 2 name').value).toBe('X-Team');
    for (const label of ['Header 1 value', 'Header 2 value']) {
      const value = byLabel<HTMLInputElement>(opened, label);
      expect(value.value).toBe('');
      expect(value.type).toBe('password');
      expect(value.placeholder).toBe('set — leave empty to keep');
    }
    expect([...opened.querySelectorAll('[data-testid="mcp-pair-kept"]')].map((el) => el.textContent)).toEqual([
      'Set — leave empty to keep it, or type a new value. ✕ removes it.',
      'Set — leave empty to keep it, or type a new value. ✕ removes it.',
    ]);
  });

  it('says beside the field what is wrong, saves nothing, and Cancel leaves everything as it was', async () => {
    const opened = await until(form, 'the edit form');
    const before = JSON.stringify(stored());
    type(byLabel(opened, 'URL'), 'http://mcp.example.com/mcp');
    byLabel<HTMLButtonElement>(opened, 'Save').click();
    const url = await until(() => opened.querySelector('[data-testid="mcp-edit-error-url"]')?.textContent || null, 'the URL message');
    expect(url).toBe('must start with https:// (plain http is only allowed to this computer: localhost or 127.0.0.1)');
    // The field names its message for a screen reader.
    expect(byLabel(opened, 'URL').getAttribute('aria-describedby')).toBe(opened.querySelector('[data-testid="mcp-edit-error-url"]')?.id);

    type(byLabel(opened, 'URL'), http.url);
    type(byLabel(opened, 'Name'), 'notes');
    byLabel<HTMLButtonElement>(opened, 'Save').click();
    const name = await until(() => opened.querySelector('[data-testid="mcp-edit-error-name"]')?.textContent || null, 'the name message');
    expect(name).toBe('another server is already called "notes"; choose a name that tells them apart');
    expect(JSON.stringify(stored())).toBe(before);

    byLabel<HTMLButtonElement>(opened, 'Cancel').click();
    await until(() => form() === null, 'the form to close');
    const edit = card()?.querySelector<HTMLButtonElement>('button[aria-label="Edit Docs"]');
    await until(() => doc().activeElement === edit, 'focus back on Edit');
    expect(JSON.stringify(stored())).toBe(before);
    // Opened again, the form starts from what is saved, not from what was typed before Cancel.
    edit?.click();
    const again = await until(form, 'the edit form again');
    expect(byLabel<HTMLInputElement>(again, 'Name').value).toBe('Docs');
    expect(byLabel<HTMLInputElement>(again, 'URL').value).toBe(oldUrl);
  });

  it('sends the new URL and token, keeps the other header; the server connects with its id and policies', async () => {
    const opened = await until(form, 'the edit form');
    const sentBefore = recorded.sent.length;
    type(byLabel(opened, 'URL'), http.url);
    type(byLabel(opened, 'Header 1 value'), `Bearer ${TOKEN}`);
    await until(() => opened.querySelectorAll('[data-testid="mcp-pair-kept"]')[0]?.textContent === 'The new value replaces the one set.', 'the row to say its value is replaced');
    byLabel<HTMLButtonElement>(opened, 'Save').click();
    await until(() => form() === null, 'the form to close');
    const edit = card()?.querySelector<HTMLButtonElement>('button[aria-label="Edit Docs"]');
    await until(() => doc().activeElement === edit, 'focus back on Edit');

    const edits = recorded.sent.slice(sentBefore).filter((r) => r.channel.endsWith(':editMcpServer'));
    expect(edits.map((r) => r.payload)).toEqual([
      {
        id: 'docs',
        name: 'Docs',
        native: false,
        transport: { type: 'http', url: http.url, headers: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }, { name: 'X-Team', keepFrom: 'X-Team' }] },
      },
    ]);
    expect(stored()).toEqual({
      id: 'docs',
      name: 'Docs',
      enabled: true,
      transport: { type: 'http', url: http.url, headers: { Authorization: `Bearer ${TOKEN}`, 'X-Team': TEAM } },
      policy: 'allow',
      toolPolicies: { add_note: 'deny' },
      timeoutMs: 30_000,
      native: false,
    });
    await until(() => card()?.querySelector('[data-testid="mcp-state"][data-state="ready"]'), 'the server to connect', 15_000);
    expect(card()?.querySelector('[data-testid="mcp-state"]')?.textContent).toMatch(/^Connected · \d+ tools$/);
    expect(card()?.querySelector('[data-testid="mcp-error"]')).toBeNull();
    expect(card()?.querySelector('[data-testid="note-mcp-docs-edit"]')?.textContent).toBe('Saved “Docs”.');
    // The token reached the server: it answered.
    expect(http.requests.some((q) => q.headers.authorization === `Bearer ${TOKEN}` && q.headers['x-team'] === TEAM)).toBe(true);
  });

  it('clears a header removed with ✕', async () => {
    card()?.querySelector<HTMLButtonElement>('button[aria-label="Edit Docs"]')?.click();
    const opened = await until(form, 'the edit form');
    byLabel<HTMLButtonElement>(opened, 'Remove header 2').click();
    await until(() => opened.querySelectorAll('[data-testid="mcp-pair"]').length === 1, 'one header left');
    byLabel<HTMLButtonElement>(opened, 'Save').click();
    await until(() => form() === null, 'the form to close');
    const transport = stored()?.transport;
    expect(transport).toEqual({ type: 'http', url: http.url, headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(card()?.querySelector('[data-testid="mcp-secrets"]')?.textContent).toBe('Headers: Authorization (set)');
  });

  it('Escape closes the form without saving, and takes the key (the window does not hide)', async () => {
    const edit = card()?.querySelector<HTMLButtonElement>('button[aria-label="Edit Docs"]');
    edit?.click();
    const opened = await until(form, 'the edit form');
    const before = JSON.stringify(stored());
    type(byLabel(opened, 'URL'), 'https://elsewhere.example/mcp');
    const escape = new dom.KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }) as unknown as KeyboardEvent;
    byLabel(opened, 'URL').dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(true);
    await until(() => form() === null, 'the form to close');
    await until(() => doc().activeElement === card()?.querySelector('button[aria-label="Edit Docs"]'), 'focus back on Edit');
    expect(JSON.stringify(stored())).toBe(before);
  });

  it('never gave the page a value main keeps', () => {
    const everything = JSON.stringify(recorded.received) + doc().documentElement.outerHTML;
    for (const secret of [TOKEN, WRONG, TEAM]) expect(everything).not.toContain(secret);
    // The page was told the values exist, by name.
    expect(JSON.stringify(recorded.received)).toContain('Authorization');
  });
});
