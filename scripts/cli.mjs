#!/usr/bin/env node
/**
 * `npm run cli -- talk …`: the headless CLI (main/cli.ts) behind a Node version check.
 *
 * main/cli.ts is TypeScript that Node runs directly by stripping types, which Node does by default
 * from 23.6 and the project requires from 24 (package.json engines). On an older Node the import dies
 * with ERR_UNKNOWN_FILE_EXTENSION before any of our code runs; this plain-JavaScript shim (no syntax
 * newer than Node 18) says which Node is needed instead and exits 2 ("cannot start", as main/cli.ts).
 * On a supported Node it imports main/cli.ts, which reads process.argv.slice(2) — the same arguments
 * this shim was given — and sets the exit code itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The lowest Node major version package.json `engines.node` (">=24", ">= 24.1.0") accepts. */
function requiredNodeMajor() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const range = pkg.engines && pkg.engines.node;
  const match = typeof range === 'string' ? /^\s*>=\s*v?(\d+)(?:\.\d+){0,2}\s*$/.exec(range) : null;
  if (!match) {
    process.stderr.write(`Earshot's CLI cannot start: package.json engines.node is "${String(range)}", not a ">=N" range.\n`);
    process.exit(2);
  }
  return Number(match[1]);
}

const needed = requiredNodeMajor();
const major = Number(process.versions.node.split('.')[0]);
if (major < needed) {
  process.stderr.write(
    `Earshot's CLI needs Node ${needed} or newer (this is Node ${process.version}). ` +
      `Install Node ${needed} LTS from https://nodejs.org or with your version manager (e.g. \`nvm install ${needed} && nvm use ${needed}\`), ` +
      `or without installing anything: \`npx -y node@${needed} main/cli.ts talk …\`.\n`,
  );
  process.exit(2);
}

await import(pathToFileURL(join(root, 'main', 'cli.ts')).href);
