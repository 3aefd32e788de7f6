/**
 * The API key: encrypted with the OS secret store (Electron safeStorage, through SecretStoragePort)
 * and kept as an opaque blob (BlobStorePort), or taken from OPENAI_API_KEY when the user chose the
 * environment as the source. Never written in plain JSON; never handed to the renderer (only its
 * status is).
 */
import type { Notice } from '../../preload/contract.ts';
import { checkApiKey, type ApiKeyCheck, type ApiKeyCheckOptions, type FetchLike } from './api-key-check.ts';

export type ApiKeyStatus = 'set' | 'not-set' | 'from-environment';
export type ApiKeySource = 'settings' | 'environment';

/** Electron's safeStorage, as the core needs it (main/app implements it). */
export interface SecretStoragePort {
  /** safeStorage.isAsyncEncryptionAvailable() (or the older synchronous check). */
  isEncryptionAvailable(): boolean | Promise<boolean>;
  /** 'basic_text', 'gnome_libsecret', 'kwallet5', 'keychain', 'dpapi', … */
  backend(): string;
  encrypt(plain: string): Promise<Buffer>;
  /** The plain text, or with `shouldReEncrypt` when the OS rotated its key (the blob is then rewritten). */
  decrypt(data: Buffer): Promise<string | { plain: string; shouldReEncrypt: boolean }>;
}

/** Where the encrypted blob lives (a file under user data in the app). */
export interface BlobStorePort {
  /** Null when nothing was stored. */
  read(): Promise<Buffer | null>;
  write(data: Buffer): Promise<void>;
  remove(): Promise<void>;
}

export interface SecretsServiceOptions {
  storage: SecretStoragePort;
  blob: BlobStorePort;
  /** process.env.OPENAI_API_KEY as the app read it at start (undefined when absent). */
  environmentKey: string | undefined;
  /** The current `apiKeySource` setting. */
  source: () => ApiKeySource;
  notice?: (notice: Notice) => void;
}

export const BASIC_TEXT_WARNING =
  'No system keyring was found (Electron\'s safeStorage uses its "basic_text" fallback), so the API key is stored ' +
  'encrypted with a fixed key that other programs running as you could undo. Install and unlock a secret service ' +
  '(GNOME Keyring or KWallet) and enter the key again, or use OPENAI_API_KEY from the environment instead.';

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
}

const MIN_KEY_LENGTH = 20;
const MAX_KEY_LENGTH = 400;

/** Loose shape check: non-empty, no whitespace, printable ASCII, sane length. Returns a message or null. */
export function apiKeyShapeProblem(key: string): string | null {
  if (key.length === 0) return 'The API key is empty. Paste the key from your OpenAI dashboard.';
  if (/\s/.test(key)) return 'The API key contains spaces or line breaks. Paste the key alone, without spaces.';
  if (key.length < MIN_KEY_LENGTH) return `The API key is too short (${key.length} characters; keys are at least ${MIN_KEY_LENGTH}). Check that you copied all of it.`;
  if (key.length > MAX_KEY_LENGTH) return `The API key is too long (${key.length} characters; at most ${MAX_KEY_LENGTH}). Check that you copied only the key.`;
  if (!/^[\x21-\x7e]+$/.test(key)) return 'The API key contains characters that keys never have. Copy it again from your OpenAI dashboard.';
  return null;
}

export class SecretsService {
  readonly #options: SecretsServiceOptions;
  #storedKey: string | null = null;
  #loaded = false;

  constructor(options: SecretsServiceOptions) {
    this.#options = options;
  }

  /** Read and decrypt the stored key once at start. A blob that cannot be decrypted is kept and reported. */
  async load(): Promise<void> {
    this.#loaded = true;
    const data = await this.#options.blob.read();
    if (data === null || data.length === 0) {
      this.#storedKey = null;
      return;
    }
    try {
      const decrypted = await this.#options.storage.decrypt(data);
      const key = typeof decrypted === 'string' ? decrypted : decrypted.plain;
      this.#storedKey = apiKeyShapeProblem(key) === null ? key : null;
      if (this.#storedKey === null) throw new Error('decrypted value is not a key');
      if (typeof decrypted !== 'string' && decrypted.shouldReEncrypt) {
        await this.#options.blob.write(await this.#options.storage.encrypt(key)).catch(() => undefined);
      }
      const warning = this.storageWarning();
      if (warning) this.#options.notice?.({ level: 'warning', message: warning, action: 'Install a system keyring, or use OPENAI_API_KEY.', subject: 'key-storage' });
    } catch {
      this.#storedKey = null;
      this.#options.notice?.({
        level: 'warning',
        message: 'The saved API key could not be decrypted (the system keyring may have changed).',
        action: 'Enter your API key again in Settings.',
        subject: 'api-key',
        button: 'open-settings',
      });
    }
  }

  /**
   * Source 'environment' uses OPENAI_API_KEY only. Source 'settings' uses the saved key, and falls
   * back to OPENAI_API_KEY while none is saved, so a user who exported the variable can start at once.
   */
  status(): ApiKeyStatus {
    if (this.#options.source() === 'settings' && this.#storedKey) return 'set';
    return this.#environmentKey() ? 'from-environment' : 'not-set';
  }

  /** The key the session should use, or null. */
  getKey(): string | null {
    if (this.#options.source() === 'settings' && this.#storedKey) return this.#storedKey;
    return this.#environmentKey();
  }

  /** Whether OPENAI_API_KEY holds something usable (for onboarding: "use the key from your environment?"). */
  environmentKeyAvailable(): boolean {
    return this.#environmentKey() !== null;
  }

  /** Every secret the redactor should hide (stored and environment key). */
  secrets(): string[] {
    return [this.#storedKey, this.#options.environmentKey?.trim()].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  /** A warning when the backend is basic_text (also sent as a notice), otherwise null. */
  storageWarning(): string | null {
    return this.#options.storage.backend() === 'basic_text' ? BASIC_TEXT_WARNING : null;
  }

  /** Validates, encrypts and stores the key. Throws ApiKeyError with a clear message. */
  async setKey(input: string): Promise<{ apiKey: ApiKeyStatus; warning?: string }> {
    const key = input.trim();
    const problem = apiKeyShapeProblem(key);
    if (problem) throw new ApiKeyError(problem);
    if (!(await this.#options.storage.isEncryptionAvailable())) {
      throw new ApiKeyError(
        'The API key cannot be stored safely: no encryption is available on this system right now. ' +
          'Set OPENAI_API_KEY in the environment and choose "environment" as the key source instead.',
      );
    }
    const blob = await this.#options.storage.encrypt(key);
    if (blob.includes(Buffer.from(key, 'utf8'))) {
      throw new ApiKeyError('The API key cannot be stored safely: the system encryption returned the key unencrypted.');
    }
    await this.#options.blob.write(blob);
    this.#storedKey = key;
    this.#loaded = true;
    const warning = this.storageWarning();
    if (warning) {
      this.#options.notice?.({ level: 'warning', message: warning, action: 'Install a system keyring, or use OPENAI_API_KEY.', subject: 'key-storage' });
      return { apiKey: this.status(), warning };
    }
    return { apiKey: this.status() };
  }

  async clearKey(): Promise<ApiKeyStatus> {
    await this.#options.blob.remove();
    this.#storedKey = null;
    return this.status();
  }

  /** GET {baseURL}/models with the current key; never throws. */
  async testKey(fetchFn: FetchLike, options: ApiKeyCheckOptions = {}): Promise<ApiKeyCheck> {
    if (!this.#loaded && this.#options.source() === 'settings') await this.load();
    const key = this.getKey();
    if (!key) {
      const message =
        this.#options.source() === 'environment'
          ? 'No API key to test: the key source is "environment" but OPENAI_API_KEY is not set.'
          : 'No API key to test. Enter your API key first.';
      return { ok: false, kind: 'no-key', message };
    }
    return checkApiKey(fetchFn, key, options);
  }

  #environmentKey(): string | null {
    const key = this.#options.environmentKey?.trim();
    return key ? key : null;
  }
}
