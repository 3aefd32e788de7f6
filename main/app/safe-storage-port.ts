/**
 * SecretStoragePort on Electron's safeStorage (the app's implementation).
 * Takes safeStorage as an argument so this file needs no Electron at run time and can be tested
 * with a stand-in. Call its methods only after app 'ready' (the Linux backend is 'unknown' before).
 */
import type { SafeStorage } from 'electron';
import type { SecretStoragePort } from '../settings/secrets-service.ts';

export function createSafeStoragePort(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): SecretStoragePort {
  return {
    isEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    backend: () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : 'unknown'),
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    async decrypt(data) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
      return { plain: result, shouldReEncrypt };
    },
  };
}
