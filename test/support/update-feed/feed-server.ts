/**
 * A release feed on loopback, laid out like electron-builder's generic provider publishes one: the
 * channel file `latest-linux.yml` (version, files with url/sha512/size, path, sha512, releaseDate:
 * app-builder-lib/out/publish/updateInfoBuilder.js) next to the AppImage it names. electron-updater's
 * GenericProvider reads `<url>/latest-linux.yml` and downloads the file relative to it.
 *
 * The "AppImage" is a real executable (a shell script): when electron-updater installs it
 * (AppImageUpdater.doInstall moves it over $APPIMAGE and starts it), it writes `marker`, so a test
 * can see that the downloaded, sha512-verified file was the one that ran.
 *
 * Faults: `mode` 'ok' | 'server-error' (HTTP 500) | 'garbage' (a channel file that is not YAML an
 * update can be read from) | 'bad-checksum' (the blob differs from the sha512 the channel file
 * promises).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FeedMode = 'ok' | 'server-error' | 'garbage' | 'bad-checksum';

export interface UpdateFeed {
  url: string;
  port: number;
  version: string;
  fileName: string;
  /** Every request path, in order ("/latest-linux.yml?noCache=…" included as sent). */
  requests: string[];
  mode: FeedMode;
  /** Milliseconds each 64 KiB chunk of the AppImage waits (a download that takes a while). */
  chunkDelayMs: number;
  close(): Promise<void>;
}

/** The installed "AppImage": writes what it was started with to `marker`, then exits. */
export function appImageScript(version: string, marker: string): Buffer {
  const script = `#!/bin/sh\nprintf 'earshot %s installed silent=%s\\n' '${version}' "$APPIMAGE_SILENT_INSTALL" > '${marker}'\n`;
  // Padding makes the download long enough to report progress in several steps.
  return Buffer.concat([Buffer.from(script), Buffer.from(`# ${'x'.repeat(78)}\n`.repeat(12_000))]);
}

export async function startUpdateFeed(options: { version: string; blob: Buffer; mode?: FeedMode }): Promise<UpdateFeed> {
  const fileName = `Earshot-${options.version}.AppImage`;
  const sha512 = createHash('sha512').update(options.blob).digest('base64');
  const channel = [
    `version: ${options.version}`,
    'files:',
    `  - url: ${fileName}`,
    `    sha512: ${sha512}`,
    `    size: ${options.blob.length}`,
    `path: ${fileName}`,
    `sha512: ${sha512}`,
    `releaseDate: '2026-03-01T10:00:00.000Z'`,
    '',
  ].join('\n');

  const feed: UpdateFeed = {
    url: '',
    port: 0,
    version: options.version,
    fileName,
    requests: [],
    mode: options.mode ?? 'ok',
    chunkDelayMs: 0,
    close: async () => undefined,
  };

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    feed.requests.push(path);
    const name = new URL(path, 'http://feed').pathname.slice(1);
    if (feed.mode === 'server-error') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('the release server is having a bad day');
      return;
    }
    if (name === 'latest-linux.yml') {
      const body = feed.mode === 'garbage' ? '<html><body>Moved to our new site!</body></html>\n' : channel;
      res.writeHead(200, { 'content-type': 'text/yaml', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    if (name === fileName) {
      const blob = feed.mode === 'bad-checksum' ? Buffer.concat([options.blob.subarray(0, -1), Buffer.from('!')]) : options.blob;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
      void (async () => {
        for (let offset = 0; offset < blob.length; offset += 65_536) {
          if (feed.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, feed.chunkDelayMs));
          if (!res.write(blob.subarray(offset, offset + 65_536))) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
      })();
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  feed.port = port;
  feed.url = `http://127.0.0.1:${port}/`;
  feed.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return feed;
}

/** A port on loopback that nothing listens on (connection refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
