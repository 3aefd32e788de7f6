/**
 * Serves the built renderer (out/renderer) over http://127.0.0.1 the way the app's app:// protocol
 * does: same file mapping, same strict CSP header. Loopback is a secure context, so the microphone
 * and AudioWorklet work. The e2e test transport shares this origin, so `connect-src 'self'` holds.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppFile } from '../../main/app/origin-policy.ts';

export interface RendererServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function serveBuiltRenderer(rendererDir: string): Promise<RendererServer> {
  const server = createServer((request, response) => {
    const file = resolveAppFile(`${APP_ORIGIN}${request.url ?? '/'}`, rendererDir);
    if (!file) {
      response.writeHead(404).end('Not found');
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': mimeTypeFor(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        });
        response.end(body);
      },
      () => response.writeHead(404).end('Not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address === 'string' || address === null) throw new Error('renderer server has no port');
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
