/**
 * Builds the browser-tier test pages (test/browser/pages/*.html, which import the real
 * renderer/audio modules) with Vite, exactly as the app is built, and serves them on
 * http://127.0.0.1 (a secure context, so getUserMedia and AudioWorklet work) with the app's strict
 * CSP as a header: worklets must load from bundled same-origin files.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';

const PAGES_DIR = resolve(import.meta.dirname, 'pages');

export const TEST_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export interface PageServer {
  origin: string;
  /** Files Vite emitted, relative to the output folder. */
  files: string[];
  close(): Promise<void>;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

export async function buildAndServePages(): Promise<PageServer> {
  const outDir = await mkdtemp(join(tmpdir(), 'earshot-pages-'));
  const htmlFiles = (await readdir(PAGES_DIR)).filter((f) => f.endsWith('.html'));
  const input = Object.fromEntries(htmlFiles.map((f) => [f.replace(/\.html$/, ''), join(PAGES_DIR, f)]));
  await build({
    root: PAGES_DIR,
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: { outDir, emptyOutDir: true, minify: false, sourcemap: false, rollupOptions: { input } },
  });
  const files = await listFiles(outDir);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const path = join(outDir, rel);
    if (!path.startsWith(outDir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(path).then(
      (body) => {
        res.writeHead(200, {
          'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
          'content-security-policy': TEST_CSP,
          'cache-control': 'no-store',
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('page server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    files,
    async close() {
      await new Promise<void>((ok) => server.close(() => ok()));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
