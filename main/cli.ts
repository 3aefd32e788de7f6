/**
 * Headless runner over the same voice core: WAV in, WAV out.
 *
 *   npm run cli -- talk --input question.wav [--text "typed question" ...] [--input followup.wav ...]
 *                  [--reply voice|text] [--output reply.wav] [--json] [--fast] [--engine realtime|cascaded|chat-audio]
 *                  [--model M] [--voice V] [--reasoning-effort minimal|low|medium|high|xhigh] [--instructions TEXT]
 *                  [--transcribe-model M] [--transcribe-url URL] [--chat-url URL] [--speech-model M] [--speech-url URL]
 *                  [--speech-instructions TEXT] [--no-pipeline] [--no-key-for transcribe|chat|speech ...]
 *                  [--allow-dir DIR ...] [--allow-writes] [--interrupt-after-ms N] [--barge-in-after-ms N]
 *                  [--image FILE [--text "question about it"] ...] [--image-detail auto|low|high]
 *
 * --image FILE (PNG or JPEG, at most 10 MB) shows the model a picture, as one user message through the
 * same engine path as the window's "Ask about my screen"; an --image directly followed by --text is
 * one turn (the picture and the question), otherwise the picture is a turn of its own. The JSON
 * output gives each picture's image tokens and cost (`images`).
 *
 * --engine picks how the conversation is held (DESIGN §2); --model is that engine's main model. The
 * cascaded engine's stages may each run on another OpenAI-compatible server (--<stage>-url), with no
 * key sent to them (--no-key-for <stage>).
 *
 * Each --input is one push-to-talk turn in one session, streamed at real-time pace (--fast: as fast as
 * the socket takes it); each --text is one typed turn; they run in command-line order. --reply text
 * asks for text-only answers to the typed turns (spoken turns are answered by voice, as in the window). --barge-in-after-ms N starts every turn after the
 * first N ms after the previous answer began (playing, or for a text answer arriving), so it
 * interrupts that answer the way a key press or a message typed in the window does. Reads OPENAI_API_KEY and OPENAI_BASE_URL like the openai SDK; a custom
 * endpoint's CA comes from NODE_EXTRA_CA_CERTS. Exit codes: 0 ok, 1 a turn failed, 2 cannot start.
 */
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Notice, Status } from '../preload/contract.ts';
import { createVoiceSession, defaultVoiceConfig, VoiceConfigSchema, VOICES } from './voice/index.ts';
import { ENGINE_KINDS } from './voice/config.ts';
import type { EngineKind, VoiceConfigInput } from './voice/config.ts';
import { systemClock } from './base/clock.ts';
import { consoleLogger } from './base/logger.ts';
import { readImageFile, toDataUrl } from './tools/screen/image-file.ts';
import type { ImageFile } from './tools/screen/image-file.ts';
import { imageTokens } from './tools/screen/image-sizing.ts';
import type { ImageCost } from './voice/image-costs.ts';
import { redact } from './base/redact.ts';
import type { TurnRecord, VoiceSession } from './voice/index.ts';
import type { CapturePort } from './voice/ports.ts';
import type { Clock } from './base/clock.ts';
import { addUsage, emptyUsage } from './voice/cost/usage.ts';
import { PRICES_READ_ON } from './voice/cost/price-table.ts';
import { modelReasons, REASONING_EFFORTS } from './voice/cost/models.ts';
import type { ReasoningEffort } from './voice/cost/models.ts';
import { encodeWavPcm16 } from './voice/audio/wav.ts';
import { AUDIO } from '../preload/contract.ts';
import { loadWavAs24kMono } from './voice/headless/wav-input.ts';
import type { LoadedInput } from './voice/headless/wav-input.ts';
import { createSimulatedPlayback } from './voice/headless/simulated-playback.ts';
import { createDefaultToolHost } from './tools/index.ts';

class CliError extends Error {
  exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

const USAGE = `usage: npm run cli -- talk --input question.wav [--text "typed question" ...] [--input followup.wav ...]
                      [--reply voice|text] [--output reply.wav] [--json] [--fast] [--engine realtime|cascaded|chat-audio]
                      [--model M] [--voice V] [--reasoning-effort minimal|low|medium|high|xhigh] [--instructions TEXT]
                      [--transcribe-model M] [--transcribe-url URL] [--chat-url URL] [--speech-model M] [--speech-url URL]
                      [--speech-instructions TEXT] [--no-pipeline] [--no-key-for transcribe|chat|speech ...]
                      [--allow-dir DIR ...] [--allow-writes] [--interrupt-after-ms N] [--barge-in-after-ms N]
  --model names the engine's main model: the Realtime model, the cascaded text model, or the chat-audio model.`;

const isReasoningEffort = (value: string): value is ReasoningEffort => (REASONING_EFFORTS as readonly string[]).includes(value);
const isEngine = (value: string): value is EngineKind => (ENGINE_KINDS as readonly string[]).includes(value);
const STAGES = ['transcribe', 'chat', 'speech'] as const;
type Stage = (typeof STAGES)[number];

/** The engine sections of the config from the command line: --model is the engine's main model. */
function engineConfig(args: ReturnType<typeof parse>): Partial<VoiceConfigInput> {
  const base = defaultVoiceConfig.cascaded;
  const stage = (name: Stage) => {
    const flags = args.stageFlags[name];
    const model = name === 'chat' && args.engine === 'cascaded' && args.model ? args.model : (flags.model ?? base[name].model);
    return { baseURL: flags.url, model, keySource: args.noKeyFor.includes(name) ? ('none' as const) : ('openai' as const) };
  };
  return {
    engine: args.engine,
    cascaded: {
      transcribe: stage('transcribe'),
      chat: stage('chat'),
      speech: stage('speech'),
      speechInstructions: args.speechInstructions ?? base.speechInstructions,
      pipelineSentences: args.pipeline,
    },
    chatAudio: { ...defaultVoiceConfig.chatAudio, ...(args.engine === 'chat-audio' && args.model ? { model: args.model } : {}) },
    ...(args.engine === 'realtime' && args.model ? { model: args.model } : {}),
    // The transcription model of the cascaded engine is also what the Realtime engine transcribes with.
    ...(args.stageFlags.transcribe.model ? { transcription: { ...defaultVoiceConfig.transcription, model: args.stageFlags.transcribe.model } } : {}),
  };
}

/** One turn of the run, in command-line order. */
type PlannedTurn = { kind: 'voice'; path: string } | { kind: 'text'; text: string } | { kind: 'image'; path: string; text: string | null };

/** The same bounds as the window's text box (preload/contract.ts, `sendText`). */
const MAX_TEXT_CHARS = 4000;

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      tokens: true,
      options: {
        input: { type: 'string', multiple: true },
        text: { type: 'string', multiple: true },
        image: { type: 'string', multiple: true },
        'image-detail': { type: 'string', default: 'auto' },
        reply: { type: 'string', default: 'voice' },
        'barge-in-after-ms': { type: 'string' },
        output: { type: 'string' },
        json: { type: 'boolean', default: false },
        fast: { type: 'boolean', default: false },
        model: { type: 'string' },
        engine: { type: 'string', default: 'realtime' },
        'transcribe-model': { type: 'string' },
        'transcribe-url': { type: 'string' },
        'chat-url': { type: 'string' },
        'speech-model': { type: 'string' },
        'speech-url': { type: 'string' },
        'speech-instructions': { type: 'string' },
        'no-pipeline': { type: 'boolean', default: false },
        'no-key-for': { type: 'string', multiple: true },
        'reasoning-effort': { type: 'string' },
        voice: { type: 'string' },
        instructions: { type: 'string' },
        'allow-dir': { type: 'string', multiple: true },
        'allow-writes': { type: 'boolean', default: false },
        'interrupt-after-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new CliError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`, 2);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals[0] !== 'talk') throw new CliError(`Unknown command ${positionals[0] ?? '(none)'}.\n${USAGE}`, 2);
  // --input and --text interleave: the tokens keep their command-line order.
  const plan: PlannedTurn[] = [];
  let lastOption: string | null = null;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const previousOption = lastOption;
    lastOption = token.name;
    if (token.value === undefined) continue;
    if (token.name === 'input') plan.push({ kind: 'voice', path: token.value });
    else if (token.name === 'image') plan.push({ kind: 'image', path: token.value, text: null });
    else if (token.name === 'text') {
      const text = token.value.trim();
      if (text.length === 0 || text.length > MAX_TEXT_CHARS) throw new CliError(`--text takes 1 to ${MAX_TEXT_CHARS} characters.`, 2);
      // --image FILE --text "…": the question goes in the same message as the picture.
      const previous = plan.at(-1);
      if (previous?.kind === 'image' && previous.text === null && previousOption === 'image') previous.text = text;
      else plan.push({ kind: 'text', text });
    }
  }
  if (plan.length === 0) throw new CliError(`Give at least one --input WAV file, --text message or --image file.\n${USAGE}`, 2);
  const detailFlag = values['image-detail'];
  if (detailFlag !== 'auto' && detailFlag !== 'low' && detailFlag !== 'high') throw new CliError(`--image-detail takes auto, low or high, not ${String(detailFlag)}.`, 2);
  const imageDetail: 'auto' | 'low' | 'high' = detailFlag;
  if (values.reply !== 'voice' && values.reply !== 'text') throw new CliError(`--reply takes voice or text, not ${String(values.reply)}.`, 2);
  const reply: 'voice' | 'text' = values.reply;
  const millis = (name: 'interrupt-after-ms' | 'barge-in-after-ms'): number | null => {
    const raw = values[name];
    if (raw === undefined) return null;
    const ms = Number(raw);
    if (!Number.isFinite(ms) || ms < 0) throw new CliError(`--${name} takes a number of milliseconds ≥ 0.`, 2);
    return ms;
  };
  const interruptAfterMs = millis('interrupt-after-ms');
  const bargeInAfterMs = millis('barge-in-after-ms');
  if (values.voice && !(VOICES as readonly string[]).includes(values.voice)) {
    throw new CliError(`Unknown voice ${values.voice}. Voices: ${VOICES.join(', ')}.`, 2);
  }
  const effort = values['reasoning-effort'];
  if (effort !== undefined && !isReasoningEffort(effort)) {
    throw new CliError(`--reasoning-effort takes ${REASONING_EFFORTS.join(', ')}, not ${effort}.`, 2);
  }
  const engine = values.engine ?? 'realtime';
  if (!isEngine(engine)) throw new CliError(`--engine takes ${ENGINE_KINDS.join(', ')}, not ${engine}.`, 2);
  const noKeyFor = values['no-key-for'] ?? [];
  for (const stage of noKeyFor) if (!STAGES.includes(stage as Stage)) throw new CliError(`--no-key-for takes ${STAGES.join(', ')}, not ${stage}.`, 2);
  const url = (name: 'transcribe-url' | 'chat-url' | 'speech-url'): string | null => {
    const raw = values[name];
    if (raw === undefined) return null;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw new CliError(`--${name} takes an http(s) URL such as http://localhost:8000/v1, not ${raw}.`, 2);
    }
    return raw;
  };
  const stageFlags = {
    transcribe: { url: url('transcribe-url'), model: values['transcribe-model'] ?? null },
    chat: { url: url('chat-url'), model: null },
    speech: { url: url('speech-url'), model: values['speech-model'] ?? null },
  };
  return {
    plan,
    reply,
    imageDetail,
    engine,
    stageFlags,
    noKeyFor: noKeyFor as Stage[],
    speechInstructions: values['speech-instructions'],
    pipeline: !(values['no-pipeline'] ?? false),
    reasoningEffort: effort,
    bargeInAfterMs,
    output: values.output ?? null,
    json: values.json ?? false,
    fast: values.fast ?? false,
    model: values.model,
    voice: values.voice,
    instructions: values.instructions,
    allowDirs: values['allow-dir'] ?? [],
    allowWrites: values['allow-writes'] ?? false,
    interruptAfterMs,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runTalk(argv: string[]): Promise<number> {
  const args = parse(argv);
  // A cascaded run whose three stages all take no key (local servers) needs none.
  const keyless = args.engine === 'cascaded' && STAGES.every((s) => args.noKeyFor.includes(s));
  const apiKey = process.env.OPENAI_API_KEY?.trim() || (keyless ? 'none' : undefined);
  if (!apiKey) throw new CliError('OPENAI_API_KEY is not set. Export your OpenAI API key, e.g. OPENAI_API_KEY=sk-… npm run cli -- talk …', 2);
  const baseURL = process.env.OPENAI_BASE_URL?.trim() || undefined;

  const turnsToRun: ({ kind: 'voice'; input: LoadedInput } | { kind: 'text'; text: string } | { kind: 'image'; path: string; text: string | null; file: ImageFile })[] = [];
  for (const planned of args.plan) {
    if (planned.kind === 'text') {
      turnsToRun.push(planned);
      continue;
    }
    if (planned.kind === 'image') {
      try {
        turnsToRun.push({ ...planned, file: await readImageFile(resolve(planned.path)) });
      } catch (err) {
        throw new CliError(`Image ${planned.path}: ${err instanceof Error ? err.message : String(err)}`, 2);
      }
      continue;
    }
    try {
      turnsToRun.push({ kind: 'voice', input: await loadWavAs24kMono(resolve(planned.path)) });
    } catch (err) {
      throw new CliError(`Input ${planned.path}: ${err instanceof Error ? err.message : String(err)}`, 2);
    }
  }

  const logger = consoleLogger(process.env.EARSHOT_LOG === 'debug' ? 'debug' : 'warn');
  const clock: Clock = systemClock;
  const config = VoiceConfigSchema.parse({
    ...defaultVoiceConfig,
    turnMode: 'hold',
    ...engineConfig(args),
    ...(args.reasoningEffort ? { reasoningEffort: args.reasoningEffort } : {}),
    ...(args.voice ? { voice: args.voice } : {}),
    ...(args.instructions ? { instructions: args.instructions } : {}),
    reconnectMaxAttempts: 3,
  });
  const tools = createDefaultToolHost({ roots: args.allowDirs.map((d) => resolve(d)), allowWrites: args.allowWrites, logger });

  const turnEnded = new Map<string, (r: TurnRecord) => void>();
  const notices: Notice[] = [];
  const imageCosts: ImageCost[] = [];
  let lastStatus: Status | null = null;
  let session: VoiceSession | null = null;
  let currentTurnId: string | null = null;
  let flushTotal = 0;
  const say = (line: string): void => {
    if (!args.json) process.stdout.write(`${line}\n`);
  };
  if (args.reasoningEffort && (config.engine !== 'realtime' || !modelReasons(config.model))) {
    process.stderr.write(`note: ${config.model} does not take a reasoning effort; --reasoning-effort is not sent.\n`);
  }

  const playback = createSimulatedPlayback(clock, (r) => session?.reportPlayback(r), !args.fast);
  // "The answer began": a new assistant item started playing (or, for a text answer, arrived).
  const answerItems = new Set<string>();
  let answerStarted: ((at: number) => void) | null = null;
  const answerBegan = (itemId: string): void => {
    if (answerItems.has(itemId)) return;
    answerItems.add(itemId);
    answerStarted?.(clock.epochMs());
  };
  playback.onFirstSample((itemId) => answerBegan(itemId));
  const capture: CapturePort = {
    start(turnId) {
      currentTurnId = turnId;
    },
    stop(turnId) {
      // The "renderer" flushes its last partial frame: everything was pushed already.
      const total = flushTotal;
      queueMicrotask(() => session?.captureFlushed(turnId, total));
    },
    release() {},
  };

  session = createVoiceSession(config, {
    events: {
      status: (s) => {
        lastStatus = s;
      },
      transcript: (t) => {
        if (t.role === 'assistant' && args.reply === 'text' && t.text.length > 0) answerBegan(t.itemId);
        if (t.final) say(`${t.role === 'user' ? 'you' : 'assistant'}${t.truncated ? ' (cut)' : ''}: ${t.text}`);
      },
      toolCall: (v) => {
        if (v.status !== 'running') say(`tool ${v.name} ${v.status}`);
      },
      approval: () => {},
      turnMetrics: () => {},
      notice: (n) => {
        notices.push(n);
        process.stderr.write(`${n.level}: ${redact(n.message)}${n.action ? ` — ${n.action}` : ''}\n`);
      },
      turnEnded: (r) => turnEnded.get(r.turnId)?.(r),
      imageCost: (c) => imageCosts.push(c),
    },
    capture,
    playback,
    tools,
    clock,
    logger,
    credentials: async () => ({ apiKey, ...(baseURL ? { baseURL } : {}) }),
  });

  const records: Promise<TurnRecord>[] = [];
  const timeoutMs = 120_000;
  const answerOf = (n: number, done: Promise<TurnRecord>): Promise<TurnRecord> =>
    Promise.race([
      done,
      sleep(timeoutMs).then((): TurnRecord => {
        throw new CliError(`Turn ${n + 1} got no answer within ${timeoutMs / 1000} s (state ${lastStatus?.state ?? 'unknown'}).`, 1);
      }),
    ]);
  try {
    for (let n = 0; n < turnsToRun.length; n++) {
      const turn = turnsToRun[n] as (typeof turnsToRun)[number];
      const last = n === turnsToRun.length - 1;
      const interrupt = last && args.interruptAfterMs != null;
      const bargeNext = !last && args.bargeInAfterMs != null;
      playback.setRealtime(!args.fast || interrupt || bargeNext);
      const began = new Promise<number>((res) => (answerStarted = res));
      let turnId: string | null;
      if (turn.kind === 'text' || turn.kind === 'image') {
        // A picture is sent as it is (no image library here): the service scales it for the detail chosen.
        const sent =
          turn.kind === 'text'
            ? session.sendText(turn.text, args.reply)
            : session.sendImage(
                {
                  image: { dataUrl: toDataUrl(turn.file), detail: args.imageDetail },
                  label: basename(turn.path),
                  width: turn.file.width,
                  height: turn.file.height,
                  estimatedTokens: imageTokens(turn.file, args.imageDetail),
                },
                turn.text,
                args.reply,
              );
        if (!sent.sent) throw new CliError(`Could not send turn ${n + 1}: ${sent.reason}`, 1);
        turnId = sent.turnId;
      } else {
        session.hotkeyDown();
        turnId = currentTurnId;
        if (!turnId || session.status().state === 'error') {
          throw new CliError(`Could not start turn ${n + 1}: ${session.status().message ?? 'unknown reason'}`, 1);
        }
      }
      const id = turnId;
      const done = new Promise<TurnRecord>((res) => turnEnded.set(id, res));
      let stopInterrupt = (): void => {};
      if (interrupt) {
        const ms = args.interruptAfterMs ?? 0;
        void began.then((at) => {
          const t = clock.setTimeout(() => session?.stopSpeaking(), Math.max(0, at + ms - clock.epochMs()));
          stopInterrupt = () => t.cancel();
        });
      }
      if (turn.kind === 'voice') {
        // Stream the file as 20 ms frames.
        const input = turn.input;
        const frame = AUDIO.frameSamples;
        const t0 = clock.now();
        flushTotal = input.pcm.length;
        for (let i = 0, k = 0; i < input.pcm.length; i += frame, k++) {
          session.pushCapture(id, input.pcm.subarray(i, Math.min(i + frame, input.pcm.length)));
          if (!args.fast) {
            const wait = t0 + (k + 1) * AUDIO.frameMs - clock.now();
            if (wait > 0) await sleep(wait);
          } else if (k % 25 === 24) await sleep(0);
        }
        session.hotkeyUp();
      }
      const answered = answerOf(n, done);
      records.push(answered);
      if (bargeNext) {
        // The next turn interrupts this answer N ms after it began (or follows it if it ended sooner).
        const ms = args.bargeInAfterMs ?? 0;
        const interruptAt = began.then((at) => sleep(Math.max(0, at + ms - clock.epochMs())));
        await Promise.race([answered, interruptAt]);
        continue;
      }
      const record = await answered;
      stopInterrupt();
      if (record.outcome === 'failed' || record.outcome === 'too-short' || record.outcome === 'cancelled') break;
    }
    await Promise.all(records);
  } finally {
    // Give the last transcription a moment, then close.
    await sleep(50);
  }
  const log = session.turnLog();
  await session.dispose();

  if (args.output) {
    await writeFile(resolve(args.output), encodeWavPcm16(playback.heardAudio(), AUDIO.sampleRate));
  }

  const byId = new Map(log.map((r) => [r.turnId, r]));
  const turns = (await Promise.all(records)).map((r) => byId.get(r.turnId) ?? r);
  const usage = turns.reduce((u, r) => addUsage(u, r.usage), emptyUsage());
  // Each engine priced its own responses; a turn with an unpriced model makes the total unknown, not lower.
  const cost = { usd: turns.some((r) => r.costUsd == null) ? null : turns.reduce((sum, r) => sum + (r.costUsd ?? 0), 0) };
  const models = [...new Set(turns.map((r) => r.model))];
  const failed = turns.filter((r) => r.outcome === 'failed' || r.outcome === 'too-short' || r.outcome === 'cancelled');
  const summary = {
    ok: failed.length === 0 && turns.length === turnsToRun.length,
    engine: config.engine,
    model: models.length === 1 ? models[0] : config.engine === 'realtime' ? config.model : (models.join(' | ') || config.engine),
    // Sent only for models that reason (main/voice/cost/models.ts); null: none was sent.
    reasoning_effort: config.engine === 'realtime' && modelReasons(config.model) ? config.reasoningEffort : null,
    conversation_id: session.conversationId(),
    turns: turns.map((r, i) => ({
      turn: i + 1,
      turn_id: r.turnId,
      kind: r.input.kind,
      reply_as: r.input.replyAs,
      input: (() => {
        const planned = turnsToRun[i];
        return planned?.kind === 'voice' ? planned.input.path : null;
      })(),
      text: (() => {
        const planned = turnsToRun[i];
        return planned?.kind === 'text' || planned?.kind === 'image' ? planned.text : null;
      })(),
      image: (() => {
        const planned = turnsToRun[i];
        return planned?.kind === 'image' ? { path: resolve(planned.path), mime: planned.file.mime, width: planned.file.width, height: planned.file.height, detail: args.imageDetail } : null;
      })(),
      image_tokens: r.usage.inputImageTokens ?? 0,
      outcome: r.outcome,
      engine: r.engine,
      model: r.model,
      error: r.error,
      user_transcript: r.userText,
      user_picture: r.userPicture,
      assistant_transcript: r.assistantText,
      tool_calls: r.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, status: c.status, output: c.output, duration_ms: c.durationMs })),
      truncated_at_ms: r.truncatedAtMs,
      usage: r.usage,
      cost_usd: r.costUsd,
      cost_estimated: r.costEstimated,
      latency: r.latency,
    })),
    usage,
    // Each picture with the image tokens the response that read it reported, and their cost.
    images: imageCosts.map((c) => ({ turn_id: c.turnId, label: c.label, width: c.width, height: c.height, detail: c.detail, estimated_tokens: c.estimatedTokens, image_tokens: c.imageTokens, cost_usd: c.costUsd })),
    cost_usd: cost.usd,
    cost_known: cost.usd != null,
    // Part of it estimated: a turn cut off before its usage was reported (Cost.estimated).
    cost_estimated: turns.some((r) => r.costEstimated),
    prices_read_on: PRICES_READ_ON,
    rate_limits: session.rateLimits(),
    output: args.output ? resolve(args.output) : null,
    notices,
  };
  if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    for (const t of summary.turns) {
      const l = t.latency;
      say(
        `turn ${t.turn}: ${t.outcome}; key-up→commit ${l.keyUpToCommitMs ?? '–'} ms, commit→first audio ${l.commitToFirstAudioMs ?? '–'} ms, total ${l.totalMs ?? '–'} ms, cost ${t.cost_usd == null ? 'unknown' : `${t.cost_estimated ? '≈ ' : ''}$${t.cost_usd.toFixed(5)}${t.cost_estimated ? ' (estimated)' : ''}`}`,
      );
    }
    say(`session cost: ${cost.usd == null ? 'unknown (model not in the price table)' : `$${cost.usd.toFixed(5)}`}`);
  }
  if (!summary.ok) {
    const why = failed[0]?.error ?? (failed[0]?.outcome === 'too-short' ? 'the recording was shorter than 100 ms' : 'not every turn ran');
    process.stderr.write(`error: turn ${turns.indexOf(failed[0] as TurnRecord) + 1 || turns.length + 1} failed: ${redact(why)}\n`);
    return 1;
  }
  return 0;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  try {
    const code = await runTalk([command ?? '', ...rest]);
    process.exitCode = code;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${redact(err.message)}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`error: ${redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
      process.exitCode = 1;
    }
  }
  // Timers of a failed session must not keep the process alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
}

await main();
