/**
 * The tools both fixture MCP servers offer (the stdio one in stdio-server.ts and the streamable-HTTP
 * one in http-server.ts), written with the MCP SDK's own server side, so the client in
 * main/tools/mcp/ meets exactly what a real server sends.
 *
 *   echo       read-only: answers "echo: <text>"
 *   add_note   writes: keeps a note in memory, answers how many there are
 *   list_notes read-only: the notes so far
 *   slow       waits `ms` milliseconds (stops when the client cancels), then answers
 *   big        `chars` characters of text
 *   picture    an image (a real 1×1 PNG) and a text line
 *   fail       answers with isError and the given message
 *   wipe       destructive: says it wiped
 *   get.weather a name that is not a valid function name
 *   add_tool   registers a new tool `name` (the SDK then sends notifications/tools/list_changed)
 *   pid        the server's process id
 *   crash      (passed in) dies mid-call
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** A real 1×1 transparent PNG (67 bytes). */
export const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export interface FixtureOptions {
  /** What `crash` does: the stdio server exits, the HTTP server drops every connection. */
  crash(): void;
}

const text = (t: string): { content: { type: 'text'; text: string }[] } => ({ content: [{ type: 'text', text: t }] });

export function registerFixtureTools(server: McpServer, options: FixtureOptions): void {
  const notes: string[] = [];

  server.registerTool(
    'echo',
    { title: 'Echo', description: 'Repeats the text it is given.', inputSchema: { text: z.string().min(1) }, annotations: { readOnlyHint: true } },
    async ({ text: t }) => text(`echo: ${t}`),
  );

  server.registerTool(
    'add_note',
    { description: 'Saves a note.', inputSchema: { note: z.string().min(1).max(500) } },
    async ({ note }) => {
      notes.push(note);
      return text(`Saved. There ${notes.length === 1 ? 'is 1 note' : `are ${notes.length} notes`}.`);
    },
  );

  server.registerTool('list_notes', { description: 'Lists the saved notes.', annotations: { readOnlyHint: true } }, async () =>
    text(notes.length === 0 ? 'No notes.' : notes.map((n, i) => `${i + 1}. ${n}`).join('\n')),
  );

  server.registerTool(
    'slow',
    { description: 'Waits, then answers.', inputSchema: { ms: z.number().int().min(0).max(60_000) }, annotations: { readOnlyHint: true } },
    async ({ ms }, extra) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return text(extra.signal.aborted ? 'cancelled' : `waited ${ms} ms`);
    },
  );

  server.registerTool(
    'big',
    { description: 'Returns a lot of text.', inputSchema: { chars: z.number().int().min(1).max(1_000_000) }, annotations: { readOnlyHint: true } },
    async ({ chars }) => {
      const line = 'The quick brown fox jumps over the lazy dog.\n';
      return text(line.repeat(Math.ceil(chars / line.length)).slice(0, chars));
    },
  );

  server.registerTool('picture', { description: 'Returns a picture.', annotations: { readOnlyHint: true } }, async () => ({
    content: [
      { type: 'image', data: ONE_PIXEL_PNG, mimeType: 'image/png' },
      { type: 'text', text: 'A transparent pixel.' },
    ],
  }));

  server.registerTool('fail', { description: 'Always fails.', inputSchema: { message: z.string() }, annotations: { readOnlyHint: true } }, async ({ message }) => ({
    isError: true,
    content: [{ type: 'text', text: message }],
  }));

  server.registerTool('wipe', { description: 'Deletes everything.', annotations: { readOnlyHint: false, destructiveHint: true } }, async () => text('wiped'));

  server.registerTool('get.weather', { description: 'The weather.', annotations: { readOnlyHint: true } }, async () => text('sunny'));

  server.registerTool('add_tool', { description: 'Adds a tool.', inputSchema: { name: z.string().regex(/^[a-z_]+$/) } }, async ({ name }) => {
    server.registerTool(name, { description: `Added at run time: ${name}.`, annotations: { readOnlyHint: true } }, async () => text(`${name} ran`));
    return text(`added ${name}`);
  });

  server.registerTool('pid', { description: 'The process id.', annotations: { readOnlyHint: true } }, async () => text(String(process.pid)));

  server.registerTool('crash', { description: 'Dies mid-call.', annotations: { readOnlyHint: true } }, async () => {
    options.crash();
    return new Promise<never>(() => undefined);
  });
}
