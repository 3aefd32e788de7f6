// The stand-in's desktopCapturer and the pixel side of nativeImage (resize, toPNG, toDataURL), as
// strict as Electron 45 where Earshot's screen capture (main/app/screen-capture.ts) depends on it.
// Sources (electron/electron @ 96f3996 unless named):
// - lib/browser/api/desktop-capturer.ts: `types` must be an array or the promise rejects with
//   Error('Invalid options'); thumbnailSize defaults to 150 × 150; fetchWindowIcons defaults false.
// - shell/browser/api/electron_api_desktop_capturer.cc: on macOS `ui::TryPromptUserForScreenCapture()`
//   false → HandleFailure → `_onerror("Failed to get sources.")`, i.e. the promise rejects with that
//   STRING (no Error); need_thumbnails = !thumbnail_size.IsEmpty() (0 in either side: no pixels).
// - docs/api/structures/desktop-capturer-source.md: ids `screen:ZZ:0` / `window:XX:YY`; screen names
//   "Entire Screen" or "Screen <index>"; window names are titles; the thumbnail size "depends on the
//   scale of the screen or window".
// - Chromium chrome/browser/media/webrtc/native_desktop_media_list.cc ScaleDesktopFrame: the
//   thumbnail bitmap is media::ComputeLetterboxRegion(thumbnailSize, frame size): the largest size of
//   the source's aspect that fits thumbnailSize (so it may be larger than the source).
// - docs/api/native-image.md: resize({ width?, height?, quality? }) keeps the aspect ratio when only
//   one side is given; toPNG() → Buffer; toDataURL() → data URL.
// - Linux with PipeWire returns a single source for a combined request (docs, "Caveats"): not modelled
//   (the stand-in models X11-style lists); a test that needs it sets the desktop to one source.
'use strict';
const { deflateSync } = require('node:zlib');

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A real RGB PNG of this size; `seed` varies the pixels so two sources differ. */
function encodePng(width, height, seed) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      raw[at] = (x + seed * 40) & 0xff;
      raw[at + 1] = y & 0xff;
      raw[at + 2] = (seed * 90) & 0xff;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** media::ComputeLetterboxRegion: the largest size with the content's aspect that fits the bounds. */
function letterbox(bounds, content) {
  const scale = Math.min(bounds.width / content.width, bounds.height / content.height);
  return { width: Math.max(1, Math.round(content.width * scale)), height: Math.max(1, Math.round(content.height * scale)) };
}

/**
 * @param {object} deps
 * @param {(path: string, size: {width:number,height:number}|null, seed?: number) => object} deps.makeImage  a NativeImage
 * @param {() => object} deps.record   globalThis.__standin
 * @param {string} deps.platform
 */
function createDesktopCapturer({ makeImage, record, platform, strict }) {
  // The desktop the stand-in shows (tests replace it: record.desktop = [...]).
  record.desktop ??= [
    { id: 'screen:0:0', name: 'Entire Screen', size: { width: 2560, height: 1440 } },
    { id: 'window:4200:0', name: 'Terminal — build', size: { width: 1280, height: 800 } },
  ];
  // macOS screen-recording consent (systemPreferences.getMediaAccessStatus('screen')).
  record.screenAccess = process.env.STANDIN_SCREEN_ACCESS ?? 'granted';
  record.capturerCalls ??= [];
  record.screenPrompts ??= 0;

  const desktopCapturer = strict('desktopCapturer', {
    async getSources(options) {
      if (!Array.isArray(options?.types)) throw new Error('Invalid options');
      const thumbnailSize = options.thumbnailSize ?? { width: 150, height: 150 };
      record.capturerCalls.push({ types: [...options.types], thumbnailSize: { ...thumbnailSize } });
      if (platform === 'darwin' && record.screenAccess !== 'granted') {
        // TryPromptUserForScreenCapture: not yet determined shows the system prompt once; the call fails either way.
        if (record.screenAccess === 'not-determined') record.screenPrompts += 1;
        return Promise.reject('Failed to get sources.');
      }
      const needThumbnails = thumbnailSize.width > 0 && thumbnailSize.height > 0;
      const wanted = (s) => (s.id.startsWith('screen:') ? options.types.includes('screen') : options.types.includes('window'));
      return record.desktop.filter(wanted).map((s, index) =>
        strict('DesktopCapturerSource', {
          id: s.id,
          name: s.name,
          display_id: s.id.startsWith('screen:') ? String(index + 1) : '',
          appIcon: null,
          thumbnail: needThumbnails ? makeImage(`desktop:${s.id}`, letterbox(thumbnailSize, s.size), index + 1) : makeImage('', null),
        }),
      );
    },
  });
  return desktopCapturer;
}

module.exports = { createDesktopCapturer, encodePng, letterbox };
