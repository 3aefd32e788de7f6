/**
 * electron-builder.yml against electron-builder 26 itself: its JSON schema, its default deb
 * dependencies, its own glob matcher for asarUnpack, and a real packaging run (electron-builder's
 * `build()` on this project, with a stand-in Electron distribution) whose output is inspected.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = join(import.meta.dirname, '..', '..', '..');
const builderLib = join(root, 'node_modules', 'app-builder-lib');
// electron-builder reads YAML configs with js-yaml's `load` (app-builder-lib/out/util/config/load.js).
const requireFromBuilder = createRequire(join(builderLib, 'out', 'util', 'config', 'load.js'));
const yaml = requireFromBuilder('js-yaml') as { load(text: string): unknown };

const configPath = join(root, 'electron-builder.yml');
const raw = yaml.load(readFileSync(configPath, 'utf8'));
const schema = JSON.parse(readFileSync(join(builderLib, 'scheme.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<Configuration>(schema);
const schemaValid = validate(raw);
const schemaErrors = ajv.errorsText(validate.errors, { separator: '\n' });
const config: Configuration = schemaValid ? raw : {};

const packageJson = z
  .object({
    name: z.string(),
    homepage: z.string().optional(),
    author: z.union([z.string(), z.object({ name: z.string(), email: z.string().optional() })]).optional(),
    desktopName: z.string().optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
    optionalDependencies: z.record(z.string(), z.string()).optional(),
  })
  .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));

/** electron-builder's own default deb dependencies (app-builder-lib/out/targets/FpmTarget.js). */
const FpmTarget = requireFromBuilder('../../targets/FpmTarget.js') as {
  default: { prototype: { getDefaultDepends(target: string): string[] } };
};
const defaultDebDepends = FpmTarget.default.prototype.getDefaultDepends('deb');

/** Debian package of each library the uiohook-napi prebuilds link (`dpkg -S` on Debian 12). */
const DEBIAN_PACKAGE_OF: Record<string, string> = {
  'libX11.so.6': 'libx11-6',
  'libXrandr.so.2': 'libxrandr2',
  'libXtst.so.6': 'libxtst6',
  'libXt.so.6': 'libxt6',
  'libc.so.6': 'libc6',
};
/** Essential in Debian and Ubuntu (Priority: required): never listed in Depends. */
const ESSENTIAL = new Set(['libc6']);

function alternatives(entry: string): string[] {
  return entry.split('|').map((name) => name.trim().replace(/\s*\(.*\)$/, ''));
}
function debDepends(): string[] {
  const depends = config.deb?.depends;
  return Array.isArray(depends) ? depends : [];
}
function satisfied(pkg: string): boolean {
  return debDepends().some((entry) => alternatives(entry).includes(pkg));
}

function readelfNeeded(file: string): string[] | string {
  try {
    const out = execFileSync('readelf', ['-d', file], { encoding: 'utf8' });
    return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1] ?? '');
  } catch (error) {
    return `readelf unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

const uiohookDir = join(root, 'node_modules', 'uiohook-napi');
const prebuilds = readdirSync(join(uiohookDir, 'prebuilds')).flatMap((platform) =>
  readdirSync(join(uiohookDir, 'prebuilds', platform))
    .filter((file) => file.endsWith('.node'))
    .map((file) => `prebuilds/${platform}/${file}`),
);

describe('electron-builder.yml is a configuration electron-builder 26 accepts', () => {
  it('validates against app-builder-lib/scheme.json', () => {
    expect(schemaErrors === 'No errors' ? [] : schemaErrors.split('\n')).toEqual([]);
    expect(schemaValid).toBe(true);
  });

  it('names only files that exist (icons, entitlements, extra resources)', () => {
    const named = [
      config.linux?.icon,
      config.mac?.icon,
      config.win?.icon,
      config.mac?.entitlements,
      config.mac?.entitlementsInherit,
      config.directories?.buildResources,
      ...[config.extraResources ?? []].flat().map((entry) => (typeof entry === 'string' ? entry : (entry?.from ?? null))),
    ].filter((file): file is string => typeof file === 'string');
    expect(named.length).toBeGreaterThanOrEqual(8);
    expect(named.filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });
});

describe('installers that install', () => {
  it('skips the native rebuild: uiohook-napi N-API prebuilds ship as they are (npmRebuild: false)', () => {
    expect(config.npmRebuild).toBe(false);
  });

  it('keeps uiohook-napi in dependencies (electron-vite externalizes only those), not optionalDependencies', () => {
    expect(packageJson.dependencies?.['uiohook-napi']).toBeDefined();
    expect(packageJson.optionalDependencies?.['uiohook-napi']).toBeUndefined();
  });

  it('unpacks every uiohook-napi prebuild from app.asar, matched by electron-builder’s own asarUnpack filter', () => {
    // The same FileMatcher + createFilter electron-builder builds from asarUnpack
    // (app-builder-lib/out/platformPackager.js); node_modules files are matched by their path inside
    // the app, stat.moduleFullFilePath (out/util/NodeModuleCopyHelper.js, out/util/filter.js).
    const { FileMatcher } = requireFromBuilder('../../fileMatcher.js') as {
      FileMatcher: new (
        from: string,
        to: string,
        expand: (p: string) => string,
        patterns: string[],
      ) => { createFilter(): (file: string, stat: object) => boolean };
    };
    const unpack = [config.asarUnpack ?? []].flat().filter((p): p is string => typeof p === 'string');
    const filter = new FileMatcher(root, join(root, 'app'), (p) => p, unpack).createFilter();
    expect(prebuilds.length).toBeGreaterThanOrEqual(3);
    const packed = prebuilds.filter((file) => {
      const source = join(uiohookDir, file);
      return !filter(source, Object.assign(statSync(source), { moduleFullFilePath: `node_modules/uiohook-napi/${file}` }));
    });
    expect(packed).toEqual([]);
  });

  it('deb: author with an email and a homepage (the deb maintainer and url)', () => {
    const author = packageJson.author;
    expect(typeof author === 'object' ? author.email : author).toMatch(/<?[^@\s]+@[^@\s]+\.[a-z]{2,}>?/);
    expect(packageJson.homepage).toMatch(/^https:\/\//);
  });

  it('deb: depends keeps every electron-builder default (depends replaces them)', () => {
    expect(defaultDebDepends).toContain('libgtk-3-0');
    expect(defaultDebDepends.filter((pkg) => !satisfied(pkg))).toEqual([]);
  });

  it('deb: depends lists every library the uiohook-napi Linux prebuilds link against', (ctx) => {
    const linux = prebuilds.filter((file) => file.startsWith('prebuilds/linux-'));
    const needed = new Set<string>();
    for (const file of linux) {
      const libs = readelfNeeded(join(uiohookDir, file));
      if (typeof libs === 'string') {
        console.log(`skipped: deb depends vs uiohook-napi's linked libraries: ${libs}`);
        ctx.skip();
        return;
      }
      for (const lib of libs) needed.add(lib);
    }
    expect([...needed]).toEqual(expect.arrayContaining(['libX11.so.6', 'libXtst.so.6', 'libXt.so.6', 'libXrandr.so.2']));
    const unmapped = [...needed].filter((lib) => DEBIAN_PACKAGE_OF[lib] === undefined);
    expect(unmapped, 'a library the prebuild links that the table does not know').toEqual([]);
    const missing = [...needed]
      .map((lib) => DEBIAN_PACKAGE_OF[lib] ?? lib)
      .filter((pkg) => !ESSENTIAL.has(pkg) && !satisfied(pkg));
    expect(missing).toEqual([]);
  });

  it('deb: libraries renamed by the 64-bit time_t transition accept either name', () => {
    for (const [old, renamed] of [
      ['libasound2', 'libasound2t64'],
      ['libgtk-3-0', 'libgtk-3-0t64'],
      ['libatspi2.0-0', 'libatspi2.0-0t64'],
    ] as const) {
      expect(debDepends().find((entry) => alternatives(entry).includes(old))).toBe(`${old} | ${renamed}`);
    }
  });

  it('ships resources/icon.png as process.resourcesPath/icon.png, and the tray icons', () => {
    const extra = [config.extraResources ?? []].flat();
    expect(extra).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' });
    expect(extra).toContainEqual({ from: 'resources/tray', to: 'tray' });
  });

  it('uses the reverse-DNS app id, and installs the .desktop file under package.json desktopName', () => {
    expect(config.appId).toBe('app.earshot.Earshot');
    expect(packageJson.desktopName).toBe(`${config.appId ?? ''}.desktop`);
    // linux.syncDesktopName makes deb and AppImage name the file after desktopName
    // (app-builder-lib/out/targets/LinuxTargetHelper.js getDesktopFileName).
    expect(config.linux?.syncDesktopName).toBe(true);
  });

  it('flips the security fuses and re-signs ad hoc after flipping (unsigned arm64 macOS builds launch)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('has a macOS Template image (1x and 2x) for every tray state (the rest: test/unit/app/tray-icons.test.ts)', () => {
    const tray = readdirSync(join(root, 'resources', 'tray'));
    const states = tray.filter((f) => /^[a-z]+Template\.png$/.test(f)).map((f) => f.replace('Template.png', ''));
    expect(states).toEqual(expect.arrayContaining(['idle', 'connecting', 'listening', 'thinking', 'speaking', 'reconnecting', 'error']));
    for (const state of states) {
      for (const [suffix, size] of [['Template.png', 16], ['Template@2x.png', 32]] as const) {
        const png = readFileSync(join(root, 'resources', 'tray', `${state}${suffix}`));
        expect(png.readUInt32BE(16), `${state}${suffix} width`).toBe(size);
        expect(png.readUInt32BE(20), `${state}${suffix} height`).toBe(size);
      }
    }
  });
});

// A real electron-builder run on this project (Linux targets), with a stand-in Electron distribution:
// the real packer, asar writer, extraResources copier and target code, stopped by electron-builder's own
// `effectiveOptionComputed` hook just before fpm / appimagetool would run (they are downloaded tools).
// Fuses are left out here only because the stand-in binary has no fuse wire to flip.
const builtMain = join(root, 'out', 'main', 'index.js');
const skipPack =
  process.platform !== 'linux'
    ? 'the stand-in Electron distribution is a Linux one'
    : !existsSync(builtMain)
      ? 'out/main/index.js is missing (run `npm run build` first)'
      : null;
if (skipPack) console.log(`skipped: electron-builder packaging run: ${skipPack}`);

describe.skipIf(skipPack !== null)('what electron-builder packs for Linux', () => {
  const work = mkdtempSync(join(tmpdir(), 'earshot-pack-'));
  const computed: unknown[] = [];
  let unpacked = '';

  beforeAll(async () => {
    const dist = join(work, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dist, 'electron'), 0o755);
    const electronVersion = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'))).version;
    const { build, Platform, Arch } = await import('electron-builder');
    await build({
      projectDir: root,
      publish: 'never',
      targets: Platform.LINUX.createTarget(['dir', 'deb', 'AppImage'], Arch.x64),
      // Only overrides: electron-builder loads electron-builder.yml from projectDir itself and merges
      // these in (app-builder-lib/out/util/config/config.js getConfig), then validates the result.
      config: {
        electronDist: dist,
        electronVersion,
        electronFuses: null,
        directories: { output: join(work, 'release') },
      },
      effectiveOptionComputed: async (options: unknown) => {
        computed.push(options);
        return true;
      },
    });
    unpacked = join(work, 'release', 'linux-unpacked');
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('unpacks uiohook-napi byte for byte beside app.asar, so its prebuild loads', () => {
    const moduleDir = join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', 'uiohook-napi');
    expect(prebuilds.filter((file) => !existsSync(join(moduleDir, file)))).toEqual([]);
    const linux = 'prebuilds/linux-x64/uiohook-napi.node';
    expect(readFileSync(join(moduleDir, linux)).equals(readFileSync(join(uiohookDir, linux)))).toBe(true);
    // npmRebuild: false — nothing was compiled into build/.
    expect(existsSync(join(moduleDir, 'build'))).toBe(false);
    expect(existsSync(join(unpacked, 'resources', 'app.asar'))).toBe(true);
  });

  it('puts icon.png and every tray icon (colour and Template) in the resources folder', () => {
    const resources = join(unpacked, 'resources');
    expect(readFileSync(join(resources, 'icon.png')).equals(readFileSync(join(root, 'resources', 'icon.png')))).toBe(true);
    expect(readdirSync(join(resources, 'tray')).sort()).toEqual(readdirSync(join(root, 'resources', 'tray')).sort());
  });

  it('installs the deb .desktop file as /usr/share/applications/<desktopName>, maintainer with email', () => {
    const fpm = computed.find((c): c is [string[], string] => Array.isArray(c) && Array.isArray(c[0]));
    expect(fpm).toBeDefined();
    const args = fpm?.[0] ?? [];
    expect(args.filter((a) => a.includes('/usr/share/applications/'))).toEqual([
      expect.stringMatching(new RegExp(`=/usr/share/applications/${(packageJson.desktopName ?? '?').replace(/\./g, '\\.')}$`)),
    ]);
    expect(args[args.indexOf('--maintainer') + 1]).toMatch(/<[^@\s]+@[^@\s]+>/);
    expect(args[args.indexOf('--url') + 1]).toBe(packageJson.homepage);
  });

  it('names the AppImage .desktop file <desktopName>, with StartupWMClass matching Electron’s app_id', () => {
    const appImage = z.object({ desktop: z.string(), desktopFileName: z.string() }).safeParse(computed.find((c) => !Array.isArray(c)));
    expect(appImage.success).toBe(true);
    expect(appImage.data?.desktopFileName).toBe(packageJson.desktopName);
    expect(appImage.data?.desktop).toContain(`StartupWMClass=${(packageJson.desktopName ?? '').replace(/\.desktop$/, '')}`);
  });
});
