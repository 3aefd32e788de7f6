// The stand-in's "encryption" for safeStorage: a marker and a XOR, so a test can write the
// api-key.bin a previous run would have left, and so a blob that was not made by safeStorage fails
// to decrypt with Electron's message (shell/browser/api/electron_api_safe_storage.cc:
// "Error while decrypting the ciphertext provided to safeStorage.decryptString. …").
'use strict';
const MARKER = Buffer.from('v11', 'utf8'); // Chromium's OSCrypt prefixes its ciphertext with v10/v11.

function encrypt(plain) {
  const body = Buffer.from(String(plain), 'utf8').map((b) => b ^ 0x5a);
  return Buffer.concat([MARKER, body]);
}

function decrypt(data) {
  const buf = Buffer.from(data);
  if (!buf.subarray(0, MARKER.length).equals(MARKER)) {
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Ciphertext does not appear to be encrypted.');
  }
  return Buffer.from(buf.subarray(MARKER.length).map((b) => b ^ 0x5a)).toString('utf8');
}

module.exports = { encrypt, decrypt };
