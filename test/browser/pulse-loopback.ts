/**
 * A private PulseAudio daemon that lets Chromium hear its own speakers: a null sink `speakers`
 * (the default output) and a remap of its monitor, `loopmic`, as the default microphone. What
 * Chromium plays comes back on its microphone sample-exact, with only the server's latency in
 * between: a room with no acoustic loss, the worst case for echo. The daemon lives in a temp dir
 * (its own socket, HOME and runtime dir), so it never touches a desktop's sound server.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

export interface PulseLoopback {
  /** Environment for clients (Chromium, pactl, paplay): PULSE_SERVER and friends. */
  env: Record<string, string>;
  pactl(...args: string[]): Promise<string>;
  /** Sets the volume of every stream Chromium plays into the speakers (the echo path), in dB. */
  setBrowserPlaybackDb(db: number): Promise<number>;
  /** Plays a WAV file into the speakers (another talker in the room); resolves when it ends. */
  play(wavPath: string): Promise<void>;
  close(): Promise<void>;
}

/** Why the loopback cannot run here, or null when it can. */
export function pulseMissingReason(): string | null {
  for (const tool of ['pulseaudio', 'pactl', 'paplay']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status !== 0) return `${tool} is not installed (apt install pulseaudio pulseaudio-utils)`;
  }
  return null;
}

const SinkInputs = z.array(z.object({ index: z.number(), properties: z.record(z.string(), z.unknown()) }));

export async function startPulseLoopback(): Promise<PulseLoopback> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-pulse-'));
  const socket = join(dir, 'native');
  const config = join(dir, 'loopback.pa');
  writeFileSync(
    config,
    [
      `load-module module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      'load-module module-null-sink sink_name=speakers rate=48000 channels=2',
      'load-module module-remap-source master=speakers.monitor source_name=loopmic',
      'set-default-sink speakers',
      'set-default-source loopmic',
      '',
    ].join('\n'),
  );
  const env = { PULSE_SERVER: `unix:${socket}`, HOME: dir, XDG_RUNTIME_DIR: dir };
  const daemon: ChildProcess = spawn(
    'pulseaudio',
    ['-n', '-F', config, '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--disallow-exit', '--log-target=stderr'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  daemon.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const clientEnv = { ...process.env, ...env };
  const pactl = async (...args: string[]): Promise<string> => (await run('pactl', args, { env: clientEnv })).stdout;

  const close = async (): Promise<void> => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      const exited = new Promise<void>((ok) => daemon.once('exit', () => ok()));
      daemon.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 2000))]);
      if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const info = await pactl('info');
      if (info.includes('Default Source: loopmic')) break;
    } catch {
      // not listening yet
    }
    if (daemon.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`pulseaudio did not start: ${log}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }

  return {
    env,
    pactl,
    async setBrowserPlaybackDb(db) {
      // Chromium's output stream registers with PulseAudio some time after the page's audio starts
      // (later on a loaded machine): wait for it rather than adjust nothing.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const inputs = SinkInputs.parse(JSON.parse(await pactl('--format=json', 'list', 'sink-inputs')));
        const browser = inputs.filter((i) => String(i.properties['application.name'] ?? '').toLowerCase().includes('chrom'));
        if (browser.length > 0 || Date.now() > deadline) {
          for (const input of browser) await pactl('set-sink-input-volume', String(input.index), `${db}dB`);
          return browser.length;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async play(wavPath) {
      await run('paplay', ['--device=speakers', wavPath], { env: clientEnv });
    },
    close,
  };
}
