import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../../preload/contract.ts';
import { createFileBlobStore } from '../../../main/settings/blob-file-store.ts';
import { BASIC_TEXT_WARNING, SecretsService, type ApiKeySource, type SecretStoragePort } from '../../../main/settings/secrets-service.ts';
import { defaultSettings } from '../../../main/settings/settings-schema.ts';
import { settingsView } from '../../../main/settings/settings-view.ts';
import { resolveEndpoint } from '../../../main/settings/endpoint-url.ts';
import { createSafeStoragePort } from '../../../main/app/safe-storage-port.ts';
import type { SafeStorage } from 'electron';

const KEY = 'sk-proj-Zx81kQ2mW7vR4tY9pL3nB6cD0fH5jK8sA1eG';

/** A SecretStoragePort with real AES-GCM, standing in for safeStorage. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SecretStoragePort {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    backend: () => backend,
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function make(options: { storage?: SecretStoragePort; env?: string; source?: ApiKeySource } = {}) {
  const notices: Notice[] = [];
  const source = { value: options.source ?? ('settings' as ApiKeySource) };
  const service = new SecretsService({
    storage: options.storage ?? fakeSafeStorage(),
    blob: createFileBlobStore(join(dir, 'api-key.bin')),
    environmentKey: options.env,
    source: () => source.value,
    notice: (n) => notices.push(n),
  });
  return { service, notices, source };
}

describe('SecretsService', () => {
  it('stores the key encrypted, never in plain text, and finds it again after a restart', async () => {
    const storage = fakeSafeStorage();
    const { service, notices } = make({ storage });
    await service.load();
    expect(service.status()).toBe('not-set');
    const result = await service.setKey(`  ${KEY}\n`);
    expect(result).toEqual({ apiKey: 'set' });
    expect(notices).toEqual([]);
    const blob = readFileSync(join(dir, 'api-key.bin'));
    expect(blob.includes(Buffer.from(KEY))).toBe(false);
    expect(blob.toString('latin1')).not.toContain('sk-');

    const again = new SecretsService({ storage, blob: createFileBlobStore(join(dir, 'api-key.bin')), environmentKey: undefined, source: () => 'settings' });
    await again.load();
    expect(again.status()).toBe('set');
    expect(again.getKey()).toBe(KEY);

    expect(await again.clearKey()).toBe('not-set');
    expect(again.getKey()).toBeNull();
  });

  it('warns (returned and as a notice) when safeStorage falls back to basic_text', async () => {
    const { service, notices } = make({ storage: fakeSafeStorage('basic_text') });
    const result = await service.setKey(KEY);
    expect(result.apiKey).toBe('set');
    expect(result.warning).toBe(BASIC_TEXT_WARNING);
    expect(result.warning).toContain('basic_text');
    expect(notices).toEqual([expect.objectContaining({ level: 'warning', message: BASIC_TEXT_WARNING })]);
    expect(make({ storage: fakeSafeStorage('keychain') }).service.storageWarning()).toBeNull();
  });

  it('refuses to store the key when no encryption is available, and writes nothing', async () => {
    const { service } = make({ storage: fakeSafeStorage('basic_text', false) });
    await expect(service.setKey(KEY)).rejects.toThrow(/cannot be stored safely.*OPENAI_API_KEY/s);
    expect(() => readFileSync(join(dir, 'api-key.bin'))).toThrow(/ENOENT/);
  });

  it('refuses a "storage" that hands the key back unencrypted', async () => {
    const plain: SecretStoragePort = { ...fakeSafeStorage(), encrypt: async (s) => Buffer.from(`v10${s}`) };
    const { service } = make({ storage: plain });
    await expect(service.setKey(KEY)).rejects.toThrow(/unencrypted/);
    expect(() => readFileSync(join(dir, 'api-key.bin'))).toThrow(/ENOENT/);
  });

  it('explains what is wrong with a key that has the wrong shape', async () => {
    const { service } = make();
    await expect(service.setKey('')).rejects.toThrow('The API key is empty');
    await expect(service.setKey('sk-abc def-ghijklmnopqrstuvw')).rejects.toThrow('contains spaces');
    await expect(service.setKey('sk-short')).rejects.toThrow(/too short \(8 characters/);
    await expect(service.setKey(`sk-${'a'.repeat(500)}`)).rejects.toThrow(/too long \(503 characters/);
    await expect(service.setKey('sk-ünïcödé-ünïcödé-ünïcödé')).rejects.toThrow('characters that keys never have');
    expect(service.status()).toBe('not-set');
  });

  it('uses OPENAI_API_KEY when the source is the environment', async () => {
    const env = make({ env: 'sk-env-0123456789abcdefghij', source: 'environment' });
    await env.service.load();
    expect(env.service.status()).toBe('from-environment');
    expect(env.service.getKey()).toBe('sk-env-0123456789abcdefghij');
    // Source 'settings' with no saved key falls back to the environment; a saved key then wins.
    env.source.value = 'settings';
    expect(env.service.status()).toBe('from-environment');
    expect(env.service.environmentKeyAvailable()).toBe(true);
    await env.service.setKey(KEY);
    expect(env.service.status()).toBe('set');
    expect(env.service.getKey()).toBe(KEY);

    const none = make({ env: '   ', source: 'environment' });
    expect(none.service.status()).toBe('not-set');
    expect(none.service.getKey()).toBeNull();
  });

  it('reports a stored key that no longer decrypts instead of crashing', async () => {
    const first = make();
    await first.service.setKey(KEY);
    const other = make({ storage: fakeSafeStorage() });
    await other.service.load();
    expect(other.service.status()).toBe('not-set');
    expect(other.notices[0]?.message).toContain('could not be decrypted');
  });
});

describe('createSafeStoragePort (the app adapter) over a safeStorage stand-in', () => {
  it('uses the async API, reports the Linux backend, and rewrites the blob when the OS rotated its key', async () => {
    const inner = fakeSafeStorage();
    let rotated = false;
    const safeStorage = {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'kwallet6' as const,
      encryptStringAsync: (plain: string) => inner.encrypt(plain),
      decryptStringAsync: async (data: Buffer) => ({ result: String(await inner.decrypt(data)), shouldReEncrypt: !rotated && (rotated = true) }),
    } as unknown as SafeStorage;
    const port = createSafeStoragePort(safeStorage, 'linux');
    expect(port.backend()).toBe('kwallet6');
    expect(createSafeStoragePort(safeStorage, 'darwin').backend()).toBe('keychain');
    const { service } = make({ storage: port });
    await service.setKey(KEY);
    const before = readFileSync(join(dir, 'api-key.bin'));
    const again = make({ storage: port });
    await again.service.load();
    expect(again.service.getKey()).toBe(KEY);
    const after = readFileSync(join(dir, 'api-key.bin'));
    expect(after.equals(before)).toBe(false);
    expect(await inner.decrypt(after)).toBe(KEY);
  });
});

describe('settingsView', () => {
  it('never carries the key, only its status, even when the key was pasted into a setting', async () => {
    const { service } = make();
    await service.setKey(KEY);
    const settings = { ...defaultSettings(), instructions: `My key is ${KEY}, keep it safe.` };
    const view = settingsView(settings, service.status(), service.secrets());
    const text = JSON.stringify(view);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(8));
    expect(view.apiKey).toBe('set');
    expect(view.instructions).toBe('My key is [redacted], keep it safe.');
    expect(view.voice).toBe('marin');
    expect(view.apiKeySource).toBe('settings');
    expect(settingsView(defaultSettings(), 'from-environment').apiKey).toBe('from-environment');
  });
});

describe('testKey against a local HTTP server', () => {
  let server: Server;
  let baseURL: string;
  const seen: Array<{ url: string | undefined; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      const auth = req.headers.authorization;
      if (req.url !== '/v1/models') {
        res.writeHead(404).end();
      } else if (auth === `Bearer ${KEY}` || req.headers['api-key'] === KEY) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
      } else if (auth === 'Bearer sk-ratelimited-0123456789abcdef') {
        res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Rate limit for sk-ratelimited-0123456789abcdef reached' } }));
      } else {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Incorrect API key provided"}}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('says the key works on 200 and sends it as a Bearer token to /models', async () => {
    const { service } = make();
    await service.setKey(KEY);
    const result = await service.testKey(fetch, { baseURL: `${baseURL}/` });
    expect(result).toMatchObject({ ok: true, kind: 'ok', status: 200 });
    expect(result.message).toContain('works');
    expect(seen.at(-1)).toMatchObject({ url: '/v1/models', headers: { authorization: `Bearer ${KEY}` } });
  });

  it('sends an Azure key in the api-key header, to the URL the endpoint setting resolves to', async () => {
    const { service } = make();
    await service.setKey(KEY);
    expect(resolveEndpoint({ ...defaultSettings().endpoint, kind: 'azure', azureResource: 'contoso', azureDeployment: 'rt' })).toEqual({
      baseURL: 'https://contoso.openai.azure.com/openai/v1',
      auth: 'api-key',
    });
    expect(resolveEndpoint(defaultSettings().endpoint)).toEqual({ baseURL: 'https://api.openai.com/v1', auth: 'bearer' });
    const local = resolveEndpoint({ ...defaultSettings().endpoint, kind: 'compatible', baseURL: `${baseURL}/` });
    expect(local.baseURL).toBe(baseURL);
    expect(await service.testKey(fetch, { ...local, auth: 'api-key' })).toMatchObject({ ok: true });
    expect(seen.at(-1)?.headers['api-key']).toBe(KEY);
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('says the key was rejected on 401', async () => {
    const { service } = make();
    await service.setKey('sk-wrong-0123456789abcdefghijkl');
    const result = await service.testKey(fetch, { baseURL });
    expect(result).toMatchObject({ ok: false, kind: 'invalid-key', status: 401 });
    expect(result.message).toMatch(/rejected the API key \(401\)/);
  });

  it('reports other statuses with the server message, without echoing the key', async () => {
    const { service } = make();
    await service.setKey('sk-ratelimited-0123456789abcdef');
    const result = await service.testKey(fetch, { baseURL });
    expect(result).toMatchObject({ ok: false, kind: 'http-error', status: 429 });
    expect(result.message).toContain('HTTP 429');
    expect(result.message).toContain('Rate limit for [redacted] reached');
    expect(result.message).not.toContain('sk-ratelimited');
  });

  it('says the network is unreachable when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { service } = make();
    await service.setKey(KEY);
    const result = await service.testKey(fetch, { baseURL: `http://127.0.0.1:${port}/v1` });
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(result.message).toContain('ECONNREFUSED');
    expect(result.message).toContain(`127.0.0.1:${port}`);
  });

  it('says there is no key to test', async () => {
    const { service } = make();
    expect(await service.testKey(fetch, { baseURL })).toMatchObject({ ok: false, kind: 'no-key' });
  });
});
