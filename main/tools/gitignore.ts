/**
 * .gitignore rules for the search tool, following git's documented rules: blank lines and `#`
 * comments are skipped, `!` re-includes, a trailing `/` matches folders only, a pattern with a `/`
 * at its start or in its middle is anchored to the folder of its .gitignore file, otherwise it
 * matches a name at any depth; `**` spans folders; the last matching rule wins. As in git, nothing
 * inside an ignored folder can be re-included (the search does not descend into it).
 */
import { globSource } from './glob-pattern.ts';

interface Rule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export interface IgnoreRules {
  /** Rules relative to `base` ('' for the searched folder, 'a/b' for a nested .gitignore). */
  base: string;
  rules: Rule[];
}

export function parseGitignore(text: string, base: string): IgnoreRules {
  const rules: Rule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    const body = globSource(line.replace(/^\//, ''));
    const re = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
    rules.push({ re, negate, dirOnly });
  }
  return { base, rules };
}

/**
 * Whether `relPath` (relative to the searched folder, '/'-separated) is ignored by the stack of rule
 * sets that apply to it, outermost first.
 */
export function isIgnored(stack: readonly IgnoreRules[], relPath: string, isDir: boolean): boolean {
  let ignored = false;
  for (const set of stack) {
    if (set.base !== '' && !relPath.startsWith(`${set.base}/`)) continue;
    const local = set.base === '' ? relPath : relPath.slice(set.base.length + 1);
    for (const rule of set.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.re.test(local)) ignored = !rule.negate;
    }
  }
  return ignored;
}
