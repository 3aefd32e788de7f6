/**
 * A self-signed certificate for 127.0.0.1 / localhost, made at test time with the openssl CLI.
 * Clients trust it through the `ws`/`https` `ca` option, or child processes through
 * NODE_EXTRA_CA_CERTS=caPath. Made once per process; files live in a temp folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCert {
  /** PEM certificate (also the CA to trust: it signs itself). */
  cert: string;
  /** PEM private key. */
  key: string;
  /** Path of the PEM certificate, for NODE_EXTRA_CA_CERTS. */
  caPath: string;
}

let pending: Promise<TestCert> | null = null;

/** Makes (once per process) a self-signed certificate valid for IP 127.0.0.1 and DNS localhost. */
export function makeTestCert(): Promise<TestCert> {
  pending ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-tls-'));
    const keyPath = join(dir, 'key.pem');
    const caPath = join(dir, 'cert.pem');
    await run(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', caPath, '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
        '-addext', 'extendedKeyUsage=serverAuth',
      ],
      { timeout: 20_000 },
    );
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { cert: readFileSync(caPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), caPath };
  })();
  return pending;
}
