/**
 * Glob patterns as regular expressions, for file-name search and .gitignore lines.
 * `*` any run within a name, `?` one character, `[abc]`/`[!abc]` a class, `**` any number of folders.
 */

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** The regex source for a glob matched against a '/'-separated relative path (no anchors). */
export function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] ?? '';
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const before = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2] === '/' || i + 2 === glob.length;
        if (before && after) {
          if (glob[i + 2] === '/') {
            out += '(?:.*/)?';
            i += 2;
          } else {
            out += '.*';
            i += 1;
          }
          continue;
        }
      }
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]')}]`;
      i = close;
    } else if (ch === '\\' && i + 1 < glob.length) {
      i += 1;
      out += escapeRegex(glob[i] ?? '');
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

/**
 * A name filter for search: a pattern without '/' matches the file name at any depth, one with '/'
 * matches the path relative to the searched folder. Case-insensitive, as people say names.
 */
export function nameMatcher(glob: string): (relPath: string, name: string) => boolean {
  const hasSlash = glob.includes('/');
  const source = globSource(hasSlash ? glob.replace(/^\//, '') : glob);
  const re = new RegExp(`^${source}$`, 'i');
  return hasSlash ? (relPath) => re.test(relPath) : (_relPath, name) => re.test(name);
}
