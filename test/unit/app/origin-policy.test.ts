import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  isExternalLinkAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  isTrustedFrame,
  resolveAppFile,
  trustedOrigins,
} from '../../../main/app/origin-policy.ts';

const origins = trustedOrigins(undefined);
const root = '/opt/earshot/out/renderer';

describe('who may talk to main', () => {
  it('trusts only the top frame of our own origin', () => {
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, isMainFrame: true }, origins)).toBe(true);
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, isMainFrame: false }, origins)).toBe(false);
    expect(isTrustedFrame({ url: 'https://evil.example/index.html', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedFrame({ url: 'file:///etc/passwd', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedFrame({ url: 'app://earshot.evil/index.html', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedFrame({ url: '', isMainFrame: true }, origins)).toBe(false);
  });

  it('trusts the dev server only when one is named', () => {
    const dev = trustedOrigins('http://localhost:5173/');
    expect(isTrustedFrame({ url: 'http://localhost:5173/index.html', isMainFrame: true }, dev)).toBe(true);
    expect(isTrustedFrame({ url: 'http://localhost:5173/index.html', isMainFrame: true }, origins)).toBe(false);
  });
});

describe('permissions', () => {
  it('grant the microphone to our origin only, and nothing else', () => {
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: `${APP_ORIGIN}/`, mediaTypes: ['audio'] }, origins)).toBe(true);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: `${APP_ORIGIN}/`, mediaTypes: ['video'] }, origins)).toBe(false);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: `${APP_ORIGIN}/`, mediaTypes: ['audio', 'video'] }, origins)).toBe(false);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }, origins)).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal']) {
      expect(isPermissionAllowed({ permission, requestingUrl: `${APP_ORIGIN}/` }, origins)).toBe(false);
    }
  });

  it('let our page pick the speaker', () => {
    expect(isPermissionAllowed({ permission: 'speaker-selection', requestingUrl: `${APP_ORIGIN}/` }, origins)).toBe(true);
  });
});

describe('navigation', () => {
  it('stays on our origin', () => {
    expect(isNavigationAllowed(`${APP_ORIGIN}/index.html#settings`, origins)).toBe(true);
    expect(isNavigationAllowed('https://example.com', origins)).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)', origins)).toBe(false);
  });
});

describe('links that may open in the browser', () => {
  it('only OpenAI platform pages over https', () => {
    expect(isExternalLinkAllowed('https://platform.openai.com/api-keys')).toBe(true);
    for (const url of ['http://platform.openai.com/', 'https://platform.openai.com.evil.example/', 'https://user:pw@platform.openai.com/', 'file:///etc/passwd', 'https://example.com', 'not a url']) {
      expect(isExternalLinkAllowed(url)).toBe(false);
    }
  });
});

describe('app:// file mapping', () => {
  it('maps pages and assets inside the renderer folder', () => {
    expect(resolveAppFile(`${APP_ORIGIN}/`, root)).toBe(`${root}/index.html`);
    expect(resolveAppFile(`${APP_ORIGIN}/assets/index-abc.js`, root)).toBe(`${root}/assets/index-abc.js`);
  });

  it.each([
    `${APP_ORIGIN}/../main/index.js`,
    `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
    `${APP_ORIGIN}/assets/..%2f..%2fpackage.json`,
    `${APP_ORIGIN}/%2e%2e%5cwindows`,
    `${APP_ORIGIN}/x%00.html`,
    `${APP_ORIGIN}/%E0%A4%A`,
    'app://other/index.html',
    'file:///etc/passwd',
  ])('never leaves the renderer folder for %s', (url) => {
    const file = resolveAppFile(url, root);
    // The URL parser already folds dot segments at the origin; what is left must stay inside root.
    if (file !== null) expect(file.startsWith(`${root}/`)).toBe(true);
  });

  it.each([`${APP_ORIGIN}/x%00.html`, `${APP_ORIGIN}/%E0%A4%A`, `${APP_ORIGIN}/a%5c..%5c..%5cb`, 'app://other/index.html', 'file:///etc/passwd'])(
    'refuses %s outright',
    (url) => {
      expect(resolveAppFile(url, root)).toBeNull();
    },
  );
});
