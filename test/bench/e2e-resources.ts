/**
 * CPU of main and of the renderer during real turns, each beside a floor measured in the same run
 * (run: node test/bench/e2e-resources.ts).
 *
 * Processes: the fake Realtime server in one child (core-fake-child.lib.ts, audio at REAL-TIME pace:
 * a 100 ms delta every 100 ms, a 10 s reply), the main core in another (e2e-core-child.lib.ts: the
 * core, the test WebSocket transport and the built renderer's file server — nothing else), and
 * Chromium launched from here. CPU = exact thread runtimes from /proc/<pid>/task/<tid>/schedstat over
 * a window, % of one core: "main" is the core's process; "renderer" is the page's renderer process
 * (the one with the audio threads; Chromium's audio service is a separate process, printed apart).
 *
 * Chromium's own floor, first, in its own browser: a page with the same audio graph and no Earshot
 * code — a 24 kHz AudioContext, the fake microphone with the app's constraints (echo cancellation,
 * noise suppression, auto gain) into one AudioWorkletNode that ignores its input and writes a tone
 * (or silence) to a gain node → destination. Windows: microphone open with silent output (the floor
 * of "capturing"), microphone open while the tone plays (the floor of "playing").
 *
 * Then the app, for TURNS turns: key held, the microphone streaming to the server (window 1,
 * capturing), key up, the reply playing at real time (window 2, playing); and once, idle with the
 * microphone warm. "Streaming both ways" in hold mode is one after the other (a key down during the
 * reply is a barge-in); the mean of the two windows is a whole turn.
 * DESIGN §6: main ≤ 2 %, renderer ≤ 3 % of one core.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { launchChromium } from '../support/browser.ts';
import { buildTestPreload } from '../support/build-test-preload.ts';
import { ensureFixtures, fixturePath } from '../support/fixtures.ts';
import { budgetLine, sleep, spawnFake } from './core-bench.lib.ts';
import { e2eMissingReason, ensureBuiltRenderer, waitFor } from './e2e-rig.lib.ts';
import { chromiumProcesses, cpuOver, threadCpu } from './proc-cpu.lib.ts';
import { startRun, writeResults } from './bench-results.lib.ts';

const TURNS = Number(process.env['BENCH_TURNS'] ?? 2);
const WINDOW_MS = 7000;

const missing = e2eMissingReason();
if (missing) {
  console.log(`skipped: e2e-resources: ${missing}`);
  process.exit(0);
}

const FLOOR_PROCESSOR = `
class Floor extends AudioWorkletProcessor {
  constructor() { super(); this.play = false; this.phase = 0; this.port.onmessage = (e) => { this.play = e.data; }; }
  process(inputs, outputs) {
    const out = outputs[0][0];
    if (this.play) for (let i = 0; i < out.length; i++) { out[i] = 0.2 * Math.sin(this.phase); this.phase += (2 * Math.PI * 440) / sampleRate; }
    return true;
  }
}
registerProcessor('floor', Floor);`;
const FLOOR_PAGE = `<!doctype html><meta charset="utf-8"><title>floor</title><script>
window.startFloor = async () => {
  const context = new AudioContext({ sampleRate: 24000, latencyHint: 'interactive' });
  await context.audioWorklet.addModule(URL.createObjectURL(new Blob([${JSON.stringify(FLOOR_PROCESSOR)}], { type: 'text/javascript' })));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: { ideal: 1 } }, video: false });
  const node = new AudioWorkletNode(context, 'floor', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
  const gain = context.createGain();
  context.createMediaStreamSource(stream).connect(node);
  node.connect(gain);
  gain.connect(context.destination);
  await context.resume();
  window.floorNode = node;
  return context.state;
};
window.floorPlay = (on) => window.floorNode.port.postMessage(on);
</script>`;

const run = startRun();
await ensureFixtures();
ensureBuiltRenderer();
const preload = await buildTestPreload();
const micWav = fixturePath('speech-60s-44k-stereo.wav');

// ---------- Chromium's floor ----------
const floorServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(FLOOR_PAGE));
await new Promise<void>((r) => floorServer.listen(0, '127.0.0.1', r));
const floorAddress = floorServer.address();
if (floorAddress === null || typeof floorAddress === 'string') throw new Error('no floor port');
const floor = { capturing: NaN, playing: NaN, audioServicePlaying: NaN, threadsPlaying: '' };
{
  const browser = await launchChromium({ fakeMicWav: micWav });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${floorAddress.port}/`);
    await page.evaluate(() => (window as unknown as { startFloor: () => Promise<string> }).startFloor());
    await sleep(1500);
    const procs = chromiumProcesses();
    floor.capturing = await cpuOver(procs.renderer, WINDOW_MS);
    await page.evaluate(() => (window as unknown as { floorPlay: (on: boolean) => void }).floorPlay(true));
    await sleep(500);
    [floor.playing, floor.audioServicePlaying, floor.threadsPlaying] = await Promise.all([
      cpuOver(procs.renderer, WINDOW_MS),
      procs.audio.length > 0 ? cpuOver(procs.audio, WINDOW_MS) : Promise.resolve(NaN),
      threadCpu(procs.renderer, WINDOW_MS),
    ]);
  } finally {
    await browser.close();
    floorServer.close();
  }
}

// ---------- the app ----------
const fake = await spawnFake({ speedup: 1, replySeconds: 10, replyOffset: 30 });
const core = spawn(process.execPath, [join(import.meta.dirname, 'e2e-core-child.lib.ts'), '--base-url', fake.baseURL, '--ca-path', fake.caPath, '--settings', JSON.stringify({ micWarmSeconds: 120 })], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const corePid = core.pid ?? -1;
const lines = createInterface({ input: core.stdout });
const Hello = z.object({ url: z.string(), transportUrl: z.string() });
const Ack = z.object({ ack: z.number(), state: z.string(), clients: z.number() });
const hello = Hello.parse(JSON.parse(await new Promise<string>((resolve) => lines.once('line', resolve))));
const acks = new Map<number, (a: z.infer<typeof Ack>) => void>();
lines.on('line', (l) => {
  const a = Ack.safeParse(JSON.parse(l));
  if (a.success) acks.get(a.data.ack)?.(a.data);
});
let nextId = 0;
const send = (cmd: 'down' | 'up' | 'state' | 'hidden' | 'shown'): Promise<z.infer<typeof Ack>> =>
  new Promise((resolve) => {
    const id = ++nextId;
    acks.set(id, resolve);
    core.stdin.write(`${JSON.stringify({ id, cmd })}\n`);
  });
const untilState = (state: string, timeoutMs = 30_000): Promise<true> => waitFor(async () => ((await send('state')).state === state ? true : undefined), `state ${state}`, timeoutMs, 50);

const app = { idleWarmReducedMotion: NaN, idleWarmHidden: NaN, capturingHidden: NaN, idleWarm: NaN, capturing: [] as number[], playing: [] as number[], mainCapturing: [] as number[], mainPlaying: [] as number[], mainIdle: NaN, audioServicePlaying: NaN, threadsCapturing: '', threadsPlaying: '' };
const browser = await launchChromium({ fakeMicWav: micWav });
const chromiumVersion = browser.version();
try {
  const page = await browser.newPage();
  await page.addInitScript(`window.__EARSHOT_TEST_TRANSPORT_URL__ = ${JSON.stringify(hello.transportUrl)};`);
  await page.addInitScript(preload);
  await page.goto(hello.url);
  await page.getByTestId('state').waitFor();
  await waitFor(async () => ((await send('state')).clients > 0 ? true : undefined), 'the renderer to connect', 10_000, 50);
  // Warm-up turn: opens the microphone (kept warm), the connection, JIT.
  await send('down');
  await sleep(1500);
  await send('up');
  await untilState('speaking');
  await untilState('idle');
  await sleep(1000);
  const procs = chromiumProcesses();
  [app.idleWarm, app.mainIdle] = await Promise.all([cpuOver(procs.renderer, WINDOW_MS), cpuOver([corePid], WINDOW_MS)]);
  for (let t = 0; t < TURNS; t++) {
    await send('down');
    await sleep(1000);
    const last = t === TURNS - 1;
    const [r, m, threads] = await Promise.all([cpuOver(procs.renderer, WINDOW_MS), cpuOver([corePid], WINDOW_MS), last ? threadCpu(procs.renderer, WINDOW_MS) : Promise.resolve('')]);
    app.capturing.push(r);
    app.mainCapturing.push(m);
    if (last) app.threadsCapturing = threads;
    await send('up');
    await untilState('speaking');
    await sleep(800);
    const [r2, m2, a2, threads2] = await Promise.all([
      cpuOver(procs.renderer, WINDOW_MS),
      cpuOver([corePid], WINDOW_MS),
      last && procs.audio.length > 0 ? cpuOver(procs.audio, WINDOW_MS) : Promise.resolve(NaN),
      last ? threadCpu(procs.renderer, WINDOW_MS) : Promise.resolve(''),
    ]);
    if ((await send('state')).state !== 'speaking') console.log(`  note: turn ${t}: the reply ended inside the playing window`);
    app.playing.push(r2);
    app.mainPlaying.push(m2);
    if (last) {
      app.audioServicePlaying = a2;
      app.threadsPlaying = threads2;
    }
    await untilState('idle');
  }
  // Where the renderer's cost is: the same idle window with the UI's animations off (the page asks
  // for reduced motion), and with the window hidden as when it sits in the tray (the core tells the
  // renderer, which stops its meters), then a capture in that state.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await sleep(500);
  app.idleWarmReducedMotion = await cpuOver(procs.renderer, WINDOW_MS);
  await page.emulateMedia({ reducedMotion: null });
  await send('hidden');
  await sleep(500);
  app.idleWarmHidden = await cpuOver(procs.renderer, WINDOW_MS);
  await send('down');
  await sleep(1000);
  app.capturingHidden = await cpuOver(procs.renderer, WINDOW_MS);
  await send('up');
  await untilState('speaking');
  await send('shown');
} finally {
  await browser.close();
  core.kill('SIGTERM');
  await new Promise((r) => core.once('exit', r));
  await fake.close();
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (v: number): string => `${v.toFixed(2)} %`;
const mainTurn = (mean(app.mainCapturing) + mean(app.mainPlaying)) / 2;
const rendererTurn = (mean(app.capturing) + mean(app.playing)) / 2;
const floorTurn = (floor.capturing + floor.playing) / 2;
console.log(`e2e-resources: Chromium ${chromiumVersion}, built renderer, ${TURNS} turns, ${WINDOW_MS / 1000} s windows, % of one core (schedstat)`);
console.log(budgetLine('main (core process): capturing', app.mainCapturing.map(pct).join(' / '), mean(app.mainCapturing) <= 2, '≤ 2 %'));
console.log(budgetLine('main (core process): reply playing (real-time deltas)', app.mainPlaying.map(pct).join(' / '), mean(app.mainPlaying) <= 2, '≤ 2 %'));
console.log(budgetLine('main: whole turn (mean of both)', pct(mainTurn), mainTurn <= 2, '≤ 2 %'));
console.log(budgetLine('main: idle, socket open', pct(app.mainIdle), null, ''));
console.log(budgetLine('renderer: capturing', `${app.capturing.map(pct).join(' / ')}   (Chromium floor, same graph, no Earshot: ${pct(floor.capturing)})`, mean(app.capturing) <= 3, '≤ 3 %'));
console.log(budgetLine('renderer: reply playing', `${app.playing.map(pct).join(' / ')}   (floor: ${pct(floor.playing)})`, mean(app.playing) <= 3, '≤ 3 %'));
console.log(budgetLine('renderer: whole turn, and above the floor', `${pct(rendererTurn)}, ${pct(rendererTurn - floorTurn)} above Chromium's floor (${pct(floorTurn)})`, rendererTurn - floorTurn <= 3, '≤ 3 % above the floor'));
console.log(budgetLine('renderer: idle, microphone warm', pct(app.idleWarm), null, ''));
console.log(budgetLine('renderer: idle, mic warm, reduced motion (no CSS animations)', pct(app.idleWarmReducedMotion), null, ''));
console.log(budgetLine('renderer: idle, mic warm, window hidden (windowVisibility false)', pct(app.idleWarmHidden), null, ''));
console.log(budgetLine('renderer: capturing, window hidden', pct(app.capturingHidden), app.capturingHidden - floor.capturing <= 3, '≤ 3 % above the floor'));
console.log(`renderer threads capturing: ${app.threadsCapturing}`);
console.log(`renderer threads playing: ${app.threadsPlaying}`);
console.log(`floor threads playing: ${floor.threadsPlaying}`);
console.log(`Chromium audio service while playing: app ${pct(app.audioServicePlaying)}, floor ${pct(floor.audioServicePlaying)} (not the renderer; for reference)`);
const r2 = (v: number): number => Math.round(v * 100) / 100;
writeResults('e2e-resources', run, {
  setup: { chromium: chromiumVersion, turns: TURNS, windowMs: WINDOW_MS, unit: '% of one core', source: '/proc/<pid>/task/<tid>/schedstat' },
  main: { capturing: app.mainCapturing.map(r2), playing: app.mainPlaying.map(r2), wholeTurn: r2(mainTurn), idleSocketOpen: r2(app.mainIdle), budget: 2 },
  renderer: {
    capturing: app.capturing.map(r2),
    playing: app.playing.map(r2),
    wholeTurn: r2(rendererTurn),
    idleMicWarm: r2(app.idleWarm),
    idleMicWarmReducedMotion: r2(app.idleWarmReducedMotion),
    idleMicWarmWindowHidden: r2(app.idleWarmHidden),
    capturingWindowHidden: r2(app.capturingHidden),
    threadsCapturing: app.threadsCapturing,
    threadsPlaying: app.threadsPlaying,
    budget: 3,
  },
  chromiumFloor: { capturing: r2(floor.capturing), playing: r2(floor.playing), wholeTurn: r2(floorTurn), page: '24 kHz AudioContext, fake mic (AEC/NS/AGC) → one AudioWorkletNode (tone or silence) → gain → destination, no Earshot code' },
  rendererAboveFloor: r2(rendererTurn - floorTurn),
  audioServicePlaying: { app: r2(app.audioServicePlaying), floor: r2(floor.audioServicePlaying) },
});
