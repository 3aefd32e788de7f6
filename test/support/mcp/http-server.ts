/**
 * A real streamable-HTTP MCP server on 127.0.0.1 for the tests, built from the MCP SDK's server side
 * (StreamableHTTPServerTransport, stateful: one McpServer per session, as the SDK's examples do).
 *
 *   const mcp = await startMcpHttpServer({ token: 'secret-token' });
 *   mcp.url          http://127.0.0.1:<port>/mcp
 *   mcp.requests     every request seen (method, headers)
 *   mcp.sessions()   sessions open now
 *   mcp.drop()       cut every connection and forget every session (what a crash looks like)
 *   mcp.close()
 *
 * With `token`, a request without `Authorization: Bearer <token>` gets 401, as a real server would.
 * The `crash` tool calls drop() mid-call.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { registerFixtureTools } from './fixture-tools.ts';

export interface McpHttpServerOptions {
  token?: string;
  /** Listen on this port (to come back on the same URL after drop()); 0 = any. */
  port?: number;
}

export interface SeenRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface McpHttpServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  sessions(): number;
  /** Sessions ended by the client with DELETE. */
  deletedSessions: string[];
  drop(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

export async function startMcpHttpServer(options: McpHttpServerOptions = {}): Promise<McpHttpServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const sockets = new Set<Socket>();
  const requests: SeenRequest[] = [];
  const deletedSessions: string[] = [];

  const drop = (): void => {
    for (const transport of transports.values()) void transport.close().catch(() => undefined);
    transports.clear();
    for (const socket of sockets) socket.destroy();
  };

  const newSession = async (): Promise<StreamableHTTPServerTransport> => {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void transports.set(id, transport),
      onsessionclosed: (id) => {
        deletedSessions.push(id);
        transports.delete(id);
      },
    });
    const server = new McpServer({ name: 'earshot-fixture-http', version: '1.0.0' });
    registerFixtureTools(server, { crash: () => setImmediate(drop) });
    await server.connect(transport);
    return transport;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push({ method: req.method ?? '', headers: { ...req.headers } });
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end('not here');
      return;
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (typeof sessionId === 'string') {
        // The MCP spec: an unknown session is answered with 404, and the client starts a new one.
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'No session' }, id: null }));
        return;
      }
      transport = await newSession();
    }
    await transport.handleRequest(req, res, body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    requests,
    deletedSessions,
    sessions: () => transports.size,
    drop,
    async close() {
      drop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
