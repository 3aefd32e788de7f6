/**
 * A fake OpenAI Realtime API (GA protocol) for tests: wss://127.0.0.1:<port>/v1/realtime?model=…
 * with a self-signed certificate, plus GET /v1/models on the same port. See types.ts for the API.
 *
 *   const fake = await startFakeRealtime();
 *   const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: fake.ca } },
 *                                   new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL }));
 */
import { DEFAULT_MCP_TOOLS, type McpListedTool } from './mcp.ts';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { ensureFixtures, fixturePath, fixtureTranscripts, readWavPcm16 } from '../fixtures.ts';
import { makeTestCert } from '../tls.ts';
import { FakeConnection } from './connection.ts';
import type { SharedState } from './connection.ts';
import { errors } from './errors.ts';
import { checkAuthorization, handleHttp } from './http.ts';
import { makeIds } from './ids.ts';
import { Recorder } from './recorder.ts';
import { SESSION_MAX_MS } from './session-config.ts';
import type { FakeRealtime, FakeRealtimeOptions, RealtimeEventJson, UpgradeRefusal } from './types.ts';

export type * from './types.ts';
export { validateClientEvent, validateServerEvent } from './schema.ts';
export { DEFAULT_MCP_TOOLS } from './mcp.ts';
export type { McpCallScript, McpListedTool } from './mcp.ts';

const DEFAULT_USER_TRANSCRIPT = 'What files are in my documents folder?';
const DEFAULT_MODELS = [
  'gpt-realtime-2.1',
  'gpt-realtime-2.1-mini',
  'gpt-realtime-2',
  'gpt-realtime-1.5',
  'gpt-realtime',
  'gpt-realtime-mini',
  'gpt-transcribe',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'gpt-4o-mini-tts',
];

export async function startFakeRealtime(options: FakeRealtimeOptions = {}): Promise<FakeRealtime> {
  await ensureFixtures();
  const tls = await makeTestCert();
  const wav = readWavPcm16(options.replyWavPath ?? fixturePath('reply.wav'));
  if (wav.sampleRate !== 24000 || wav.channels !== 1) throw new Error('fake-realtime: the reply WAV must be 24 kHz mono PCM16');
  const replyTranscript = options.replyTranscript ?? fixtureTranscripts()['reply.wav'] ?? 'Here is your answer.';
  const models = options.models ?? DEFAULT_MODELS;

  const recorder = new Recorder();
  const mcpTools = new Map<string, McpListedTool[]>();
  recorder.recordAudioPayloads = options.recordAudioPayloads ?? true;
  const defaults = { samples: wav.samples, transcript: replyTranscript };
  const shared: SharedState = {
    ids: makeIds(),
    recorder,
    speedup: options.speedup ?? 4,
    deltaMs: options.deltaMs ?? 100,
    transcriptionDelayMs: options.transcriptionDelayMs ?? 20,
    transcriptionAfterReplyStarts: options.transcriptionAfterReplyStarts ?? false,
    sessionMaxMs: options.sessionMaxMs ?? SESSION_MAX_MS,
    cacheMinimumTokens: options.cacheMinimumTokens ?? 0,
    reply: { ...defaults },
    userTranscript: options.userTranscript ?? DEFAULT_USER_TRANSCRIPT,
    toolCalls: [],
    dropAfterDeltas: null,
    slowFirstByteMs: 0,
    modelDelayMs: Math.max(0, options.modelDelayMs ?? 0),
    rateLimitNext: false,
    responsesDone: 0,
    tokensUsed: 0,
    intercept: null,
    rawSent: [],
    refusedTranscriptionModels: new Set(options.refuseTranscriptionModels ?? []),
    mcpCalls: [],
    mcpTools: (label) => mcpTools.get(label) ?? DEFAULT_MCP_TOOLS,
  };
  const refusals: UpgradeRefusal[] = [];
  const live = new Set<FakeConnection>();
  const sockets = new Set<Socket>();
  let nextConnection = 0;

  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => handleHttp(req, res, models));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // The decrypted side of each connection: pausing it (freeze) stops reading for real, which
  // pausing the raw TCP socket under TLS would not.
  const tlsSockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    tlsSockets.add(s);
    s.on('close', () => tlsSockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    // OpenAI: /v1/realtime with a Bearer key. Azure OpenAI (GA v1 API): /openai/v1/realtime with an api-key header.
    const azure = url.pathname === '/openai/v1/realtime';
    if (url.pathname !== '/v1/realtime' && !azure) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const refusal = refusals[0];
    if (refusal) {
      refusal.count = (refusal.count ?? 1) - 1;
      if (refusal.count <= 0) refusals.shift();
      recorder.handshakes.push({ connection: 0, at: performance.now(), url: req.url ?? '', model: url.searchParams.get('model'), authorization: req.headers.authorization ?? null, headers: { ...req.headers }, refusedWith: refusal.status });
      socket.end(refusalResponse(refusal));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      nextConnection += 1;
      recorder.connections += 1;
      const id = nextConnection;
      const model = url.searchParams.get('model');
      recorder.handshakes.push({
        connection: id,
        at: performance.now(),
        url: req.url ?? '',
        model,
        authorization: req.headers.authorization ?? null,
        headers: { ...req.headers },
      });
      // The service accepts the upgrade, then reports a bad key or a missing model as an
      // error event and closes with code 3000.
      const apiKeyHeader = req.headers['api-key'];
      const auth = checkAuthorization(azure ? `Bearer ${typeof apiKeyHeader === 'string' ? apiKeyHeader : ''}` : req.headers.authorization);
      const refusal = !auth.ok ? auth.error : !model ? { type: 'invalid_request_error', code: 'missing_model', message: 'Missing required parameter: model.', param: 'model', event_id: null } : null;
      if (refusal) {
        const event: RealtimeEventJson = { type: 'error', event_id: shared.ids.next('event'), error: refusal };
        recorder.record('sent', id, event);
        ws.send(JSON.stringify(event));
        ws.close(3000, `${refusal.type}.${refusal.code ?? 'unauthorized'}`);
        return;
      }
      const conn = new FakeConnection(ws, id, model ?? '', shared);
      live.add(conn);
      ws.on('close', () => live.delete(conn));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake-realtime: no port');
  const port = address.port;

  const fake: FakeRealtime = {
    baseURL: `https://127.0.0.1:${port}/v1`,
    wsURL: `wss://127.0.0.1:${port}/v1/realtime`,
    port,
    ca: tls.cert,
    caPath: tls.caPath,
    replySamples: wav.samples,
    replyTranscript,
    get received() {
      return recorder.received;
    },
    get sent() {
      return recorder.sent;
    },
    get schemaErrors() {
      return recorder.schemaErrors;
    },
    get connections() {
      return recorder.connections;
    },
    get openConnections() {
      return [...live].filter((c) => c.isOpen).length;
    },
    get handshakes() {
      return recorder.handshakes;
    },
    waitFor: (type, predicate, timeoutMs) => recorder.waitFor(type, predicate, timeoutMs),
    waitForNext: (type, predicate, timeoutMs) => recorder.waitFor(type, predicate, timeoutMs, true),
    events: (type) => recorder.events(type),
    scriptToolCall: (call) => {
      shared.toolCalls.push(call);
    },
    scriptMcpCall: (call) => {
      shared.mcpCalls.push(call);
    },
    setMcpTools: (label, tools) => {
      mcpTools.set(label, tools);
    },
    setUserTranscript: (text) => {
      shared.userTranscript = text;
    },
    setReply: (reply) => {
      shared.reply = { samples: reply.samples ?? shared.reply.samples, transcript: reply.transcript ?? shared.reply.transcript };
    },
    dropMidReply: (opts = {}) => {
      shared.dropAfterDeltas = Math.max(1, opts.afterDeltas ?? 3);
    },
    injectError: (e) => {
      for (const c of live) {
        c.sendError({ type: e.type, code: e.code ?? null, message: e.message, param: e.param ?? null, event_id: e.eventId ?? null });
      }
    },
    slowFirstByte: (ms) => {
      shared.slowFirstByteMs = Math.max(0, ms);
    },
    expireSession: () => {
      for (const c of [...live]) c.expire();
    },
    freeze: () => {
      // Stop reading every open TCP connection without closing it: pings go unanswered, like a
      // network that silently dropped the route (a laptop that slept, a dead Wi-Fi).
      for (const s of tlsSockets) s.pause();
    },
    rateLimitNext: () => {
      shared.rateLimitNext = true;
    },
    refuseUpgrades: (refusal) => {
      refusals.push({ ...refusal, count: Math.max(1, refusal.count ?? 1) });
    },
    dropNow: () => {
      for (const c of [...live]) c.drop();
    },
    sendEvent: (event) => {
      for (const c of live) c.send(event);
    },
    sendRaw: (text) => {
      for (const c of live) c.sendRaw(text);
    },
    get rawSent() {
      return shared.rawSent;
    },
    interceptServerEvents: (filter) => {
      shared.intercept = filter;
    },
    reset: () => {
      recorder.reset();
      shared.toolCalls.length = 0;
      shared.mcpCalls.length = 0;
      mcpTools.clear();
      shared.dropAfterDeltas = null;
      shared.slowFirstByteMs = 0;
      shared.rateLimitNext = false;
      shared.intercept = null;
      shared.rawSent.length = 0;
      refusals.length = 0;
      shared.reply = { ...defaults };
      shared.userTranscript = options.userTranscript ?? DEFAULT_USER_TRANSCRIPT;
    },
    close: async () => {
      for (const c of [...live]) c.closeNormally();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Sockets that never finish a close handshake must not keep the server open.
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 200).unref();
      });
    },
  };
  return fake;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** An HTTP answer to an upgrade request, in the service's error shape unless a body is given. */
function refusalResponse(refusal: UpgradeRefusal): string {
  const defaults: Record<number, unknown> = {
    401: { error: errors.invalidApiKey('sk-refused-at-handshake') },
    429: { error: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 20s.', param: null } },
  };
  const body = JSON.stringify(refusal.body ?? defaults[refusal.status] ?? { error: { message: 'refused', type: 'server_error', code: null, param: null } });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    ...(refusal.status === 429 ? { 'retry-after': '20' } : {}),
    ...refusal.headers,
  };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Error'}\r\n${head}\r\n\r\n${body}`;
}
