/**
 * The Electron security checklist, applied once at startup (DESIGN §5): the app:// protocol that
 * serves the built renderer with a strict CSP, permission request and check handlers that allow
 * only the microphone for our origin, and no new windows, navigation or webviews.
 */
import { readFile } from 'node:fs/promises';
import { app, protocol, session, shell, type Session } from 'electron';
import {
  isExternalLinkAllowed,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isNavigationAllowed,
  isPermissionAllowed,
  mimeTypeFor,
  resolveAppFile,
} from './origin-policy.ts';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function serveRenderer(target: Session, rendererDir: string): void {
  target.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': mimeTypeFor(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

export function applySecurityPolicy(target: Session, origins: Set<string>): void {
  target.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionAllowed({ permission, requestingUrl: details.requestingUrl || webContents.getURL(), mediaTypes }, origins));
  });
  target.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    const mediaType = 'mediaType' in details ? details.mediaType : undefined;
    return isPermissionAllowed(
      { permission, requestingUrl: requestingOrigin, mediaTypes: mediaType && mediaType !== 'unknown' ? [mediaType] : [] },
      origins,
    );
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // No window ever opens in the app. The one kind of link we show ("get an API key" on OpenAI's
      // platform site) opens in the person's browser; anything else is refused outright.
      if (isExternalLinkAllowed(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: isExternalLinkAllowed admits only the OpenAI platform https URL
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, origins)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url, origins)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function defaultSession(): Session {
  return session.defaultSession;
}
