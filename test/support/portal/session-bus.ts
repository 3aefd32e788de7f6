/**
 * A private D-Bus session bus for one test: Debian's dbus-daemon (package dbus-daemon), started with
 * its own configuration so that nothing on the machine can be activated on it (no servicedirs: a
 * name is on this bus only if the test put it there), listening on a fresh socket in a temp folder.
 * `--print-address --nofork` prints the address once the socket is listening (dbus-daemon(1)).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const dbusDaemonPath: string | null = (() => {
  const found = spawnSync('sh', ['-c', 'command -v dbus-daemon'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || null : null;
})();

export interface PrivateBus {
  /** The bus address, as DBUS_SESSION_BUS_ADDRESS would carry it. */
  address: string;
  stop(): Promise<void>;
}

const CONFIG = (socketDir: string): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${socketDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

export async function startPrivateBus(): Promise<PrivateBus> {
  if (!dbusDaemonPath) throw new Error('dbus-daemon is not installed (apt-get install dbus-daemon)');
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bus-'));
  const config = join(dir, 'bus.conf');
  writeFileSync(config, CONFIG(dir));
  const child: ChildProcess = spawn(dbusDaemonPath, [`--config-file=${config}`, '--print-address', '--nofork'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dbus-daemon printed no address in 5 s: ${stderr}`)), 5000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited with ${code}: ${stderr}`));
    });
  });
  return {
    address,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
