/**
 * Pure rules behind the Electron security checklist (DESIGN §5), kept free of Electron so they are
 * unit-tested: which origin is ours, which frames may talk to main, which permissions are granted,
 * and how app:// URLs map to files inside the built renderer folder.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'earshot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The strict CSP of the built app. Worklets count as scripts: they load from 'self'. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === `${APP_SCHEME}:`) return `${parsed.protocol}//${parsed.host}`;
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}

/** Origins allowed to talk to main: ours, plus the dev server in development only. */
export function trustedOrigins(devServerUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  if (dev) origins.add(dev);
  return origins;
}

export function isTrustedFrame(sender: { url: string; isMainFrame: boolean }, origins: Set<string>): boolean {
  const origin = originOf(sender.url);
  return sender.isMainFrame && origin !== null && origins.has(origin);
}

export interface PermissionQuery {
  permission: string;
  requestingUrl: string;
  mediaTypes?: readonly string[];
}

/** Only the microphone, only for our own pages. Everything else (camera, notifications, geolocation…) is denied. */
export function isPermissionAllowed(query: PermissionQuery, origins: Set<string>): boolean {
  const origin = originOf(query.requestingUrl);
  if (!origin || !origins.has(origin)) return false;
  if (query.permission !== 'media' && query.permission !== 'speaker-selection') return false;
  if (query.permission === 'speaker-selection') return true;
  const types = query.mediaTypes ?? [];
  return types.every((type) => type === 'audio');
}

/** Navigation inside the app stays on our origin; everything else is refused. */
export function isNavigationAllowed(url: string, origins: Set<string>): boolean {
  const origin = originOf(url);
  return origin !== null && origins.has(origin);
}

/** Sites a link in the app may open in the person's browser. */
const EXTERNAL_LINK_HOSTS = new Set(['platform.openai.com']);

export function isExternalLinkAllowed(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && EXTERNAL_LINK_HOSTS.has(parsed.hostname) && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/**
 * Map an app:// request to a file inside `rendererDir`, or null when it would leave that folder.
 * `app://earshot/` is index.html.
 */
export function resolveAppFile(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = resolve(rendererDir);
  const target = resolve(root, `.${pathname}`);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return target;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.woff2': 'font/woff2',
};

export function mimeTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 ? MIME[path.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}
