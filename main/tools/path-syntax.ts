/**
 * The first gate of the path sandbox: refuses path *strings* that are tricks before the file system
 * is touched. The real decision is made later on real paths (path-sandbox.ts); this gate exists so
 * that forms which mean something else on another platform, in a URL, or to a person reading the
 * approval prompt never get that far.
 *
 * Refused everywhere: empty or very long paths, control characters (NUL included), `..` segments,
 * URLs (`file://…`), percent-encoded dots, slashes, backslashes and NUL (`%2e`, `%2f`, `%5c`, `%00`,
 * `%25`, overlong `%c0`/`%c1`), look-alike dots and slashes (fullwidth `．` `／` `＼`, U+2024/2025
 * leaders, fraction and division slashes…), invisible and direction-changing characters, `~user`.
 * Refused on POSIX: backslashes (Windows separators) and drive letters (`C:`).
 * Refused on Windows: UNC (`\\server\share`), device and verbatim prefixes (`\\?\`, `\\.\`, `\??\`),
 * drive-relative paths (`C:foo`), alternate data streams (`a.txt:x`), reserved device names
 * (`CON`, `NUL`, `COM1`, `LPT1`…), and names ending in a dot or a space.
 */
import path from 'node:path';

export type PathSyntaxResult = { ok: true; path: string } | { ok: false; reason: string };

const MAX_PATH_CHARS = 4096;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
/** Characters that look like a dot or a slash and that some layers (Windows "best fit") turn into one. */
const LOOKALIKE = /[\uff0e\u2024\u2025\u2026\ufe52\u3002\uff61\uff0f\uff3c\u2044\u2215\u29f8\u29f9\ufe68\u2216]/;
const ENCODED = /%(2e|2f|5c|00|25|c0|c1|e0|ef)/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]+:\/\//i;
const DRIVE = /^[a-zA-Z]:/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

function refuse(reason: string): PathSyntaxResult {
  return { ok: false, reason };
}

/**
 * Checks a path the model gave and expands a leading `~/` to `homeDir`. Returns the path to resolve
 * (still relative if it was relative) or the reason it was refused.
 */
export function checkPathSyntax(input: string, homeDir: string, platform: NodeJS.Platform = process.platform): PathSyntaxResult {
  if (input.length === 0) return refuse('the path is empty');
  if (input.length > MAX_PATH_CHARS) return refuse('the path is too long');
  if (CONTROL.test(input)) return refuse('the path contains control characters (a NUL byte or similar)');
  if (INVISIBLE.test(input)) return refuse('the path contains invisible or text-direction characters');
  if (LOOKALIKE.test(input)) return refuse('the path contains characters that imitate dots or slashes');
  if (ENCODED.test(input)) return refuse('the path contains percent-encoded characters; give a plain path');
  if (URL_LIKE.test(input)) return refuse('give a plain path, not a URL');

  const windows = platform === 'win32';
  if (!windows) {
    if (input.includes('\\')) return refuse('backslashes are not allowed in paths here; use /');
    if (DRIVE.test(input)) return refuse('drive letters (C:) do not exist on this computer');
  } else {
    const slashed = input.replace(/\//g, '\\');
    if (slashed.startsWith('\\\\') || slashed.startsWith('\\??\\')) {
      return refuse('network (UNC) and device paths are not allowed');
    }
    if (DRIVE.test(slashed) && slashed.length > 2 && slashed[2] !== '\\') {
      return refuse('drive-relative paths (C:folder) are not allowed; give the full path');
    }
    if (slashed.slice(DRIVE.test(slashed) ? 2 : 0).includes(':')) {
      return refuse('colons are not allowed in names (alternate data streams)');
    }
  }

  let expanded = input;
  if (input === '~' || input.startsWith('~/') || (windows && input.startsWith('~\\'))) {
    expanded = path.join(homeDir, input.slice(1));
  } else if (input.startsWith('~')) {
    return refuse("only '~/' (your home folder) is understood, not '~user'");
  }

  const segments = expanded.split(windows ? /[\\/]/ : /\//);
  for (const segment of segments) {
    if (segment === '..') return refuse("'..' is not allowed in paths");
    if (windows && segment !== '' && !(segment.length === 2 && DRIVE.test(segment))) {
      if (WINDOWS_DEVICE.test(segment.trim())) return refuse(`'${segment}' is a reserved device name`);
      if (/[. ]$/.test(segment) && segment !== '.') return refuse('names may not end in a dot or a space');
    }
  }
  return { ok: true, path: expanded };
}
