/**
 * Looking at the screen with consent (issue 11): the look_at_screen tool through the real tool host
 * and ApprovalService, the ScreenLooker's consent and indicator over an in-memory desktop
 * (test/support/memory-screen.ts), the sizes sent per detail level (OpenAI's sizing rules,
 * main/tools/screen/image-sizing.ts), and reading a PNG/JPEG file for --image.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, Notice, ToolCallView } from '../../../preload/contract.ts';
import { ApprovalService, createToolHost } from '../../../main/tools/index.ts';
import type { ImageDetail } from '../../../main/tools/screen/ports.ts';
import { ScreenLooker } from '../../../main/tools/screen/screen-looker.ts';
import { captureBox, imageTokens, targetSize } from '../../../main/tools/screen/image-sizing.ts';
import { ImageFileError, parseImage } from '../../../main/tools/screen/image-file.ts';
import { MemoryIndicator, MemoryScreen } from '../../support/memory-screen.ts';
import type { DesktopSource } from '../../support/memory-screen.ts';
import { encodePng, pngSize } from '../../support/png.ts';

const DESKTOP: DesktopSource[] = [
  { id: 'screen:1:0', kind: 'screen', name: 'Entire Screen', size: { width: 2880, height: 1800 } },
  { id: 'window:11:0', kind: 'window', name: 'Terminal — vim notes.md', size: { width: 1200, height: 800 } },
  { id: 'window:12:0', kind: 'window', name: 'Quarterly report.pdf — Preview', size: { width: 900, height: 1200 } },
  { id: 'window:13:0', kind: 'window', name: 'Quarterly plan — Notes', size: { width: 700, height: 500 } },
];

function setup(options: { detail?: ImageDetail; sources?: DesktopSource[] } = {}) {
  const indicator = new MemoryIndicator();
  const port = new MemoryScreen(options.sources ?? DESKTOP, indicator);
  const notices: Notice[] = [];
  let detail: ImageDetail = options.detail ?? 'auto';
  const looker = new ScreenLooker({ port, indicator, detail: () => detail, notice: (n) => notices.push(n) });
  let n = 0;
  const approvals = new ApprovalService({ newId: () => `ap_${(n += 1)}` });
  const requests: ApprovalRequest[] = [];
  approvals.onRequest((r) => requests.push(r));
  const host = createToolHost({ roots: [], approvals, screen: looker });
  const views: ToolCallView[] = [];
  host.onCallUpdate((v) => views.push(v));
  const call = (args: unknown) => host.execute({ callId: `call_${(n += 1)}`, name: 'look_at_screen', argumentsJson: JSON.stringify(args), conversationId: 'c1' });
  const setDetail = (d: ImageDetail): void => void (detail = d);
  return { indicator, port, notices, looker, approvals, requests, host, views, call, setDetail };
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

const decodeDataUrl = (url: string): Buffer => {
  const match = /^data:image\/png;base64,(.+)$/.exec(url);
  if (!match?.[1]) throw new Error(`not a PNG data URL: ${url.slice(0, 40)}`);
  return Buffer.from(match[1], 'base64');
};

describe('look_at_screen: asks first, captures only after a yes, with the indicator on', () => {
  it('asks "Look at your screen"; nothing is listed with pixels or captured until the answer; after allow-once the picture comes back', async () => {
    const s = setup();
    expect(s.host.policyOf('look_at_screen')).toBe('ask');
    const pending = s.call({ which: 'screen' });
    await until(() => s.requests.length === 1, 'the approval request');
    expect(s.requests[0]).toMatchObject({ tool: 'look_at_screen', summary: 'Look at your screen' });
    expect(s.views.at(-1)?.status).toBe('awaiting-approval');
    // Before the answer: no capture, no thumbnails, no indicator.
    expect(s.port.captures).toEqual([]);
    expect(s.port.lists).toEqual([]);
    expect(s.indicator.log).toEqual([]);
    expect(s.approvals.answer('ap_2', 'allow-once')).toBe(true);
    const result = await pending;
    // 2880 × 1800 at auto: fitted into 2048 → 2048 × 1280, then the short side to 768 → 1229 × 768.
    expect(result).toMatchObject({ status: 'done', output: 'Captured Entire Screen, 1229×768.' });
    expect(result.image?.detail).toBe('auto');
    expect(pngSize(decodeDataUrl(result.image?.dataUrl ?? ''))).toEqual({ width: 1229, height: 768 });
    expect(result.image?.about).toEqual({ label: 'Entire Screen', width: 1229, height: 768, estimatedTokens: 85 + 170 * 3 * 2 });
    // Names were listed without thumbnails (no pixels), then one capture, with the indicator on.
    expect(s.port.lists).toEqual([{ kinds: ['screen'], thumbnails: false }]);
    expect(s.port.captures).toEqual([{ sourceId: 'screen:1:0', fit: { width: 2048, height: 2048 }, sent: { width: 1229, height: 768 }, indicatorOn: true }]);
    expect(s.indicator.log).toEqual(['begin Entire Screen', 'end Entire Screen captured']);
    expect(s.indicator.on).toEqual([]);
    expect(s.notices).toEqual([{ level: 'info', message: 'Earshot looked at Entire Screen.', subject: 'screen' }]);
  });

  it('a "no" captures nothing and tells the model so', async () => {
    const s = setup();
    const pending = s.call({ which: 'window', window: 'terminal' });
    await until(() => s.requests.length === 1, 'the approval request');
    expect(s.requests[0]?.summary).toBe('Look at your window “terminal”');
    s.approvals.answer('ap_2', 'deny');
    const result = await pending;
    expect(result).toMatchObject({ status: 'denied', output: 'The user declined: Look at your window “terminal”. Nothing was done.' });
    expect(result.image).toBeUndefined();
    expect(s.port.captures).toEqual([]);
    expect(s.port.lists).toEqual([]);
    expect(s.indicator.log).toEqual([]);
    expect(s.notices).toEqual([]);
  });

  it('"always" for this run: the next look captures without asking again, still with the indicator and the notice', async () => {
    const s = setup();
    const first = s.call({ which: 'window', window: 'vim' });
    await until(() => s.requests.length === 1, 'the approval request');
    s.approvals.answer('ap_2', 'always');
    expect((await first).output).toBe('Captured Terminal — vim notes.md, 1152×768.');
    const second = await s.call({ which: 'window', window: 'Preview' });
    expect(s.requests).toHaveLength(1);
    // 900 × 1200: fits 2048; short side 900 → 768: 768 × 1024.
    expect(second.output).toBe('Captured Quarterly report.pdf — Preview, 768×1024.');
    expect(s.port.captures.map((c) => c.indicatorOn)).toEqual([true, true]);
    expect(s.notices.map((n) => n.message)).toEqual(['Earshot looked at Terminal — vim notes.md.', 'Earshot looked at Quarterly report.pdf — Preview.']);
  });

  it('macOS screen recording refused: explained before any question, with the button to open System Settings; nothing captured', async () => {
    for (const state of ['denied', 'restricted'] as const) {
      const s = setup();
      s.port.permissionState = state;
      const result = await s.call({ which: 'screen' });
      expect(result.status).toBe('error');
      expect(result.output).toMatch(state === 'denied' ? /System Settings → Privacy & Security → Screen Recording/ : /blocked on this Mac by a device policy/);
      expect(s.requests).toEqual([]);
      expect(s.port.captures).toEqual([]);
      expect(s.port.lists).toEqual([]);
      // The person is told at once, not only the model: the notice carries the button that fixes it.
      expect(s.notices).toEqual([expect.objectContaining({ level: 'error', subject: 'screen', button: 'open-screen-settings' })]);
      // And the picker says the same.
      await expect(s.looker.sources()).rejects.toThrow(/Screen Recording|device policy/);
      expect(s.notices.at(-1)).toMatchObject({ level: 'error', subject: 'screen', button: 'open-screen-settings' });
    }
  });

  it('"not-determined" is not a refusal: macOS asks at the first capture, so the look goes ahead', async () => {
    const s = setup();
    s.port.permissionState = 'not-determined';
    const pending = s.call({ which: 'screen' });
    await until(() => s.requests.length === 1, 'the approval request');
    s.approvals.answer('ap_2', 'allow-once');
    expect((await pending).status).toBe('done');
  });

  it('windows by title: unknown, ambiguous and missing names come back to the model with the open windows; the indicator never went on', async () => {
    const s = setup();
    const answerAll = s.approvals.onRequest((r) => queueMicrotask(() => s.approvals.answer(r.id, 'allow-once')));
    const missing = await s.call({ which: 'window', window: 'Spotify' });
    expect(missing.status).toBe('error');
    expect(missing.output).toBe('No open window is called “Spotify”; open windows: “Terminal — vim notes.md”, “Quarterly report.pdf — Preview”, “Quarterly plan — Notes”.');
    const ambiguous = await s.call({ which: 'window', window: 'quarterly' });
    expect(ambiguous.output).toBe('Several windows match “quarterly”: “Quarterly report.pdf — Preview”, “Quarterly plan — Notes”. Say which one.');
    const unnamed = await s.call({ which: 'window' });
    expect(unnamed.output).toMatch(/^Say which window to look at; open windows: /);
    const exact = await s.call({ which: 'window', window: 'quarterly plan — notes' });
    expect(exact.output).toBe('Captured Quarterly plan — Notes, 700×500.');
    expect(s.port.captures).toHaveLength(1);
    expect(s.indicator.log).toEqual(['begin Quarterly plan — Notes', 'end Quarterly plan — Notes captured']);
    answerAll();
  });

  it('a capture that fails turns the indicator off, warns the person and tells the model; the next one works', async () => {
    const s = setup();
    s.approvals.onRequest((r) => queueMicrotask(() => s.approvals.answer(r.id, 'always')));
    s.port.failNext = 'Failed to get sources.';
    const failed = await s.call({ which: 'screen' });
    expect(failed).toMatchObject({ status: 'error', output: 'Capturing Entire Screen failed: Failed to get sources.' });
    expect(s.indicator.log).toEqual(['begin Entire Screen', 'end Entire Screen failed']);
    expect(s.notices.at(-1)).toEqual({ level: 'warning', message: 'Earshot could not capture Entire Screen.', subject: 'screen' });
    expect((await s.call({ which: 'screen' })).status).toBe('done');
  });

  it('low detail: fitted into 512 px; the detail setting is read at each capture', async () => {
    const s = setup({ detail: 'low' });
    s.approvals.onRequest((r) => queueMicrotask(() => s.approvals.answer(r.id, 'always')));
    const low = await s.call({ which: 'screen' });
    expect(low.output).toBe('Captured Entire Screen, 512×320.');
    expect(low.image?.detail).toBe('low');
    expect(s.port.captures[0]?.fit).toEqual({ width: 512, height: 512 });
    s.setDetail('high');
    const high = await s.call({ which: 'screen' });
    expect(high.output).toBe('Captured Entire Screen, 1229×768.');
    expect(high.image?.detail).toBe('high');
  });

  it('is not offered where nothing can capture (the CLI, the e2e host)', () => {
    const withScreen = setup().host.definitions().map((d) => d.name);
    const without = createToolHost({ roots: [], approvals: new ApprovalService() }).definitions().map((d) => d.name);
    expect(withScreen).toContain('look_at_screen');
    expect(without).not.toContain('look_at_screen');
  });

  it('the picker gets thumbnails (a user-initiated capture) and a picked source by id', async () => {
    const s = setup();
    const sources = await s.looker.sources();
    expect(sources.map((x) => [x.kind, x.name])).toEqual(DESKTOP.map((x) => [x.kind, x.name]));
    expect(sources.every((x) => x.thumbnailDataUrl?.startsWith('data:image/png;base64,'))).toBe(true);
    const looked = await s.looker.look({ sourceId: 'window:12:0' });
    expect(looked).toMatchObject({ sourceName: 'Quarterly report.pdf — Preview', kind: 'window', width: 768, height: 1024, estimatedTokens: 85 + 170 * 2 * 2 });
    await expect(s.looker.look({ sourceId: 'window:99:0' })).rejects.toThrow('That screen or window is no longer there. Pick it again.');
  });
});

describe('image sizing (OpenAI vision guide, "Calculating costs")', () => {
  it('matches the guide’s worked examples and never enlarges', () => {
    expect(targetSize({ width: 1024, height: 1024 }, 'high')).toEqual({ width: 768, height: 768 });
    expect(imageTokens({ width: 1024, height: 1024 }, 'high')).toBe(765);
    expect(targetSize({ width: 2048, height: 4096 }, 'high')).toEqual({ width: 768, height: 1536 });
    expect(imageTokens({ width: 2048, height: 4096 }, 'auto')).toBe(1105);
    expect(imageTokens({ width: 4096, height: 8192 }, 'low')).toBe(85);
    expect(targetSize({ width: 500, height: 300 }, 'high')).toEqual({ width: 500, height: 300 });
    expect(imageTokens({ width: 500, height: 300 }, 'high')).toBe(255);
    expect(targetSize({ width: 3840, height: 2160 }, 'low')).toEqual({ width: 512, height: 288 });
    expect(captureBox('low')).toEqual({ width: 512, height: 512 });
    expect(() => targetSize({ width: 0, height: 10 }, 'auto')).toThrow(RangeError);
  });
});

describe('image files (--image)', () => {
  it('reads the size from real PNG headers and from a JPEG frame header; refuses anything else', () => {
    expect(parseImage(encodePng(640, 400))).toMatchObject({ mime: 'image/png', width: 640, height: 400 });
    // SOI, APP0 (JFIF, 16 bytes), SOF0 with height 480 and width 720 (ITU T.81 B.2.2).
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
      0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0xd0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    ]);
    expect(parseImage(jpeg)).toMatchObject({ mime: 'image/jpeg', width: 720, height: 480 });
    expect(() => parseImage(Buffer.from('GIF89a……'))).toThrow(ImageFileError);
    expect(() => parseImage(encodePng(640, 400).subarray(0, 20))).toThrow('is not a PNG or JPEG image');
  });
});
