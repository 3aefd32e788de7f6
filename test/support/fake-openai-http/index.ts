/**
 * A fake OpenAI HTTP API for the cascaded and chat-audio engines: http://127.0.0.1:<port>/v1
 * (or https with the test certificate). See types.ts for the API.
 *
 *   const fake = await startFakeOpenAIHttp();
 *   const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL });
 *
 * Endpoints: POST /v1/audio/transcriptions (multipart; WAV decoded, MP3 sized; json, text, SSE),
 * POST /v1/chat/completions (text, tools, audio in and out; JSON or SSE), POST /v1/audio/speech
 * (pcm / wav, chunked and paced, or SSE), GET /v1/models and /v1/models/{id}.
 *
 * Like the Realtime fake it is strict: every request is checked against the JSON Schema generated
 * from the openai SDK's types (scripts/gen-openai-http-schema.ts) and refused with the service's
 * 400 when it fails (recorded in schemaErrors, side 'request'); every JSON body and SSE event it
 * sends is checked too (side 'response': a bug in the fake). Conversation rules the service
 * enforces beyond the schema are in chat-rules.ts. Audio is paced `speedup` times faster than real
 * time; faults (slowFirstByte, failNext, dropMidStream) are scripted per path.
 *
 * Known simplifications: model names are not checked against a list (any name works unless listed
 * in `refuseModels`; 'audio' in the name makes an audio model); speech comes only as pcm or wav and chat audio only as pcm16 or
 * wav (other formats get a 400 that says so); MP3 uploads are sized, not decoded.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { ensureFixtures, fixturePath, fixtureTranscripts, readWavPcm16 } from '../fixtures.ts';
import { makeTestCert } from '../tls.ts';
import { parseJson, parseMultipart, readBody } from './body.ts';
import { handleChat } from './chat.ts';
import { HttpError, SchemaRefusal, httpErrors } from './errors.ts';
import { Faults } from './faults.ts';
import { Recorder } from './recorder.ts';
import { Reply, sleep } from './reply.ts';
import { handleSpeech } from './speech.ts';
import type { SharedState } from './state.ts';
import { makeIdMaker } from './state.ts';
import { handleTranscription } from './transcriptions.ts';
import type { FakeOpenAIHttp, FakeOpenAIHttpOptions, HttpRecord } from './types.ts';

export type * from './types.ts';
export { requestIssues, responseIssues } from './schema.ts';

const DEFAULT_USER_TRANSCRIPT = 'What files are in my documents folder?';
const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;
const DEFAULT_MODELS = [
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-4o-mini',
  'gpt-5-mini',
  'gpt-audio',
  'gpt-audio-mini',
  'gpt-4o-audio-preview',
  'gpt-4o-mini-audio-preview',
  'gpt-transcribe',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'whisper-1',
  'gpt-4o-mini-tts',
  'tts-1',
];
const STREAMED_PATHS = new Set(['/v1/chat/completions', '/v1/audio/speech', '/v1/audio/transcriptions']);

type Handler = (record: HttpRecord, reply: Reply, state: SharedState) => Promise<void>;
const ROUTES: Record<string, Handler> = {
  'POST /v1/audio/transcriptions': handleTranscription,
  'POST /v1/chat/completions': handleChat,
  'POST /v1/audio/speech': handleSpeech,
};

export async function startFakeOpenAIHttp(options: FakeOpenAIHttpOptions = {}): Promise<FakeOpenAIHttp> {
  await ensureFixtures();
  const wav = readWavPcm16(fixturePath('reply.wav'));
  if (wav.sampleRate !== 24000 || wav.channels !== 1) throw new Error('fake-openai-http: the reply WAV must be 24 kHz mono PCM16');
  const replyTranscript = fixtureTranscripts()['reply.wav'] ?? 'Here is your answer.';
  const tls = options.tls ? await makeTestCert() : null;

  const recorder = new Recorder();
  const faults = new Faults();
  const startTranscript = options.userTranscript ?? DEFAULT_USER_TRANSCRIPT;
  const state: SharedState = {
    speedup: options.speedup ?? 4,
    delays: {
      transcriptionMs: options.delays?.transcriptionMs ?? 0,
      chatFirstTokenMs: options.delays?.chatFirstTokenMs ?? 0,
      chatTokenMs: options.delays?.chatTokenMs ?? 0,
      speechFirstByteMs: options.delays?.speechFirstByteMs ?? 0,
    },
    userTranscript: startTranscript,
    speechMsPerChar: options.speechMsPerChar ?? 60,
    audioIdTtlMs: options.audioIdTtlMs ?? FOUR_HOURS_MS,
    replySamples: wav.samples,
    replyTranscript,
    defaultChatText: replyTranscript,
    chatScript: [],
    audioIds: new Map(),
    models: options.models ?? DEFAULT_MODELS,
    nextId: makeIdMaker(),
  };

  const refused = new Set(options.refuseModels ?? []);
  const authError = (header: string | undefined): HttpError | null => {
    const key = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
    if (!key) return httpErrors.missingApiKey();
    if (options.apiKey != null ? key !== options.apiKey : key.startsWith('sk-bad')) return httpErrors.invalidApiKey(key);
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const record: HttpRecord = { at: 0, method, path: url.pathname, headers: { ...req.headers }, json: null, form: null, files: [], status: 0 };
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      record.at = performance.now();
      recorder.add(record);
      const reply = new Reply(res, record, recorder, null);
      reply.json(413, { error: { message: 'Maximum content size limit (26214400) exceeded.', type: 'invalid_request_error', param: null, code: null } }, 'error', { connection: 'close' });
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    let bodyError: HttpError | null = null;
    if (contentType.startsWith('multipart/form-data')) {
      try {
        const form = await parseMultipart(contentType, body);
        record.form = form.fields;
        record.files = form.files;
      } catch (e) {
        bodyError = httpErrors.schema(`Could not parse multipart form: ${e instanceof Error ? e.message : String(e)}`, null, 'invalid_multipart');
      }
    } else if (body.byteLength > 0) {
      const parsed = parseJson(body);
      if (parsed.ok) record.json = parsed.value;
      else bodyError = httpErrors.invalidJson();
    }
    record.at = performance.now();
    recorder.add(record);

    const dropAfter = STREAMED_PATHS.has(url.pathname) ? faults.takeDrop(url.pathname) : null;
    const reply = new Reply(res, record, recorder, dropAfter);
    try {
      const denied = authError(req.headers.authorization);
      if (denied) throw denied;
      const failure = faults.takeFailure(url.pathname);
      await sleep(faults.takeSlowFirstByte(url.pathname));
      if (failure) throw httpErrors.injected(failure.status, failure.code, failure.message, failure.retryAfterS);
      if (bodyError) throw bodyError;
      const model = requestedModel(record);
      if (model !== null && refused.has(model)) throw httpErrors.modelNotFound(model);
      const route = ROUTES[`${method} ${url.pathname}`];
      if (route) {
        await route(record, reply, state);
        return;
      }
      if (method === 'GET' && url.pathname === '/v1/models') {
        reply.json(200, { object: 'list', data: state.models.map(modelJson) }, 'models');
        return;
      }
      const one = /^\/v1\/models\/([^/]+)$/.exec(url.pathname);
      if (method === 'GET' && one?.[1]) {
        const id = decodeURIComponent(one[1]);
        if (!state.models.includes(id)) throw httpErrors.modelNotFound(id);
        reply.json(200, modelJson(id), 'model');
        return;
      }
      throw httpErrors.notFound(method, url.pathname);
    } catch (e) {
      if (e instanceof SchemaRefusal) recorder.schemaErrors.push({ side: 'request', path: url.pathname, body: e.body, errors: e.issues });
      const err = e instanceof SchemaRefusal ? e.error : e instanceof HttpError ? e : null;
      if (res.headersSent) {
        // Failed mid-stream: a bug in the fake (handlers validate before the first byte).
        res.destroy();
        if (!err) throw e;
        return;
      }
      if (err) reply.error(err);
      else reply.json(500, { error: { message: `fake-openai-http bug: ${e instanceof Error ? e.message : String(e)}`, type: 'server_error', param: null, code: null } }, 'error');
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    });
  };
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest) : createHttpServer(onRequest);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake-openai-http: no port');
  const port = address.port;

  return {
    baseURL: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`,
    port,
    ca: tls?.cert ?? null,
    caPath: tls?.caPath ?? null,
    replySamples: wav.samples,
    replyTranscript,
    get requests() {
      return recorder.requests;
    },
    requestsTo: (path) => recorder.to(path),
    waitForRequest: (path, predicate, timeoutMs) => recorder.waitFor(path, predicate, timeoutMs),
    get schemaErrors() {
      return recorder.schemaErrors;
    },
    setUserTranscript: (text) => {
      state.userTranscript = text;
    },
    scriptChat: (step) => {
      state.chatScript.push(step);
    },
    setDefaultChatText: (text) => {
      state.defaultChatText = text;
    },
    slowFirstByte: (path, ms) => faults.slowFirstByte(path, ms),
    failNext: (path, failure) => faults.failNext(path, failure),
    dropMidStream: (path, opts = {}) => faults.dropMidStream(path, opts.afterChunks ?? 2),
    reset: () => {
      recorder.reset();
      faults.reset();
      state.chatScript.length = 0;
      state.userTranscript = startTranscript;
      state.defaultChatText = replyTranscript;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Streams still running (or keep-alive sockets) must not keep the server open.
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 200).unref();
      });
    },
  };
}

/** The `model` a request names (JSON body or multipart field), or null. */
function requestedModel(record: HttpRecord): string | null {
  const json = record.json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const model = (json as Record<string, unknown>)['model'];
    if (typeof model === 'string') return model;
  }
  const field = record.form?.['model'];
  return typeof field === 'string' ? field : null;
}

function modelJson(id: string): Record<string, unknown> {
  return { id, object: 'model', created: 1_756_000_000, owned_by: 'system' };
}
