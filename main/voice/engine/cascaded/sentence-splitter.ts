/**
 * Cuts streamed text into sentences as soon as each is complete, so speech can start on the first one
 * while the text model is still writing. A sentence ends at . ! ? … (with closing quotes or brackets
 * after it) once whitespace follows, or at a line break. Not an end: a decimal point ("3.5": no space
 * follows), an abbreviation ("e.g.", "Dr."), or a single-letter initial ("J. R. R.").
 */

const TERMINAL = /[.!?…]/;
const CLOSERS = /["'”’»)\]]/;
/** Lower-cased, without the final dot. "etc." is left out on purpose: it usually ends a sentence. */
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'no', 'approx', 'a.m', 'p.m', 'cf', 'fig', 'ca']);

export class SentenceSplitter {
  #buffer = '';

  /** Add streamed text; returns the sentences it completed (trimmed, never empty). */
  push(delta: string): string[] {
    this.#buffer += delta;
    const out: string[] = [];
    let start = 0;
    let i = 0;
    const b = this.#buffer;
    while (i < b.length) {
      const ch = b.charAt(i);
      if (ch === '\n') {
        const s = b.slice(start, i).trim();
        if (s) out.push(s);
        start = i + 1;
        i++;
        continue;
      }
      if (TERMINAL.test(ch)) {
        let j = i + 1;
        while (j < b.length && (TERMINAL.test(b.charAt(j)) || CLOSERS.test(b.charAt(j)))) j++;
        if (j >= b.length) break; // wait: what follows decides
        if (/\s/.test(b.charAt(j)) && !(ch === '.' && isAbbreviation(b.slice(start, i)))) {
          const s = b.slice(start, j).trim();
          if (s) out.push(s);
          start = j;
        }
        i = j;
        continue;
      }
      i++;
    }
    this.#buffer = b.slice(start);
    return out;
  }

  /** The rest when the stream ends (may be an unfinished sentence); '' when nothing is left. */
  flush(): string {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    return rest;
  }
}

/** Whether the word right before a dot is an abbreviation or an initial. */
function isAbbreviation(before: string): boolean {
  const word = /(\S+)$/.exec(before)?.[1] ?? '';
  const bare = word.replace(/^["'“‘([]+/, '').toLowerCase();
  if (bare.length === 1 && /\p{L}/u.test(bare)) return true;
  return ABBREVIATIONS.has(bare);
}
