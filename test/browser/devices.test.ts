/**
 * Devices in real Chromium (its fake devices: "Fake Default Audio Input", "Fake Audio Input 1",
 * … and the same for outputs): listing with labels, choosing and persisting by label, falling back
 * to the default when the saved device is gone, and following devicechange live.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumMissingReason } from '../support/browser.ts';
import { openHarness } from './browser-page.ts';
import { buildAndServePages, type PageServer } from './page-server.ts';

const skip = chromiumMissingReason();
if (skip) console.log(`browser device tests skipped: ${skip}`);

let server: PageServer;
beforeAll(async () => {
  if (skip) return;
  server = await buildAndServePages();
});
afterAll(async () => {
  await server?.close();
});

describe.skipIf(skip)('audio devices in Chromium', () => {
  test('lists labelled inputs and outputs; a choice is persisted by label and restored in a new session', async () => {
    const first = await openHarness(server, {}, {});
    let chosenIn: string;
    let chosenOut: string;
    try {
      const list = await first.page.evaluate(() => window.harness.listDevices());
      if (!list) throw new Error('no session');
      console.log(`devices: inputs=${JSON.stringify(list.inputs.map((d) => d.label))} outputs=${JSON.stringify(list.outputs.map((d) => d.label))}`);
      expect(list.inputs.length).toBeGreaterThan(0);
      expect(list.outputs.length).toBeGreaterThan(0);
      expect([...list.inputs, ...list.outputs].every((d) => d.label.length > 0)).toBe(true);
      expect(list.inputs.some((d) => d.isDefault)).toBe(true);
      const input = list.inputs.find((d) => !d.isDefault);
      const output = list.outputs.find((d) => !d.isDefault);
      if (!input || !output) throw new Error('Chromium listed no non-default fake devices');
      chosenIn = input.label;
      chosenOut = output.label;

      await first.page.evaluate(() => window.harness.warmUp());
      await first.page.evaluate((l) => window.harness.setInputDevice(l), chosenIn);
      await first.page.evaluate((l) => window.harness.setOutputDevice(l), chosenOut);
      const stats = await first.page.evaluate(() => window.harness.stats());
      const choices = await first.page.evaluate(() => window.harness.choices());
      console.log(`devices: switched live to input "${stats?.inputDeviceLabel}", output "${stats?.outputDeviceLabel}"; persisted ${JSON.stringify(choices)}`);
      expect(stats?.inputDeviceLabel).toBe(chosenIn);
      expect(stats?.outputDeviceLabel).toBe(chosenOut);
      expect(choices).toEqual([
        { kind: 'input', label: chosenIn },
        { kind: 'output', label: chosenOut },
      ]);
    } finally {
      await first.close();
    }

    // A new browser profile: device ids change, labels do not.
    const second = await openHarness(server, {}, { inputDeviceLabel: chosenIn, outputDeviceLabel: chosenOut });
    try {
      await second.page.evaluate(() => window.harness.warmUp());
      const stats = await second.page.evaluate(() => window.harness.stats());
      const warnings = await second.page.evaluate(() => window.harness.warnings());
      console.log(`devices: restored input "${stats?.inputDeviceLabel}", output "${stats?.outputDeviceLabel}", warnings=${warnings.length}`);
      expect(stats?.inputDeviceLabel).toBe(chosenIn);
      expect(stats?.outputDeviceLabel).toBe(chosenOut);
      expect(warnings).toEqual([]);
    } finally {
      await second.close();
    }
  });

  test('a saved device that is gone falls back to the default with a warning', async () => {
    const h = await openHarness(server, {}, { inputDeviceLabel: 'USB Headset (unplugged)', outputDeviceLabel: 'HDMI (unplugged)' });
    try {
      await h.page.evaluate(() => window.harness.warmUp());
      const stats = await h.page.evaluate(() => window.harness.stats());
      const warnings = await h.page.evaluate(() => window.harness.warnings());
      console.log(`devices: fallback input "${stats?.inputDeviceLabel}", output ${JSON.stringify(stats?.outputDeviceLabel)}, warnings ${JSON.stringify(warnings.map((w) => w.code))}`);
      expect(stats?.micOpen).toBe(true);
      expect(stats?.inputDeviceLabel).not.toBe('USB Headset (unplugged)');
      expect(stats?.outputDeviceLabel).toBeNull();
      expect(warnings.map((w) => w.code).sort()).toEqual(['input-device-missing', 'output-device-missing']);
    } finally {
      await h.close();
    }
  });

  test('devicechange: the chosen devices disappear mid-session and the session moves to the defaults', async () => {
    const h = await openHarness(server, {}, { inputDeviceLabel: 'Fake Audio Input 1', outputDeviceLabel: 'Fake Audio Output 1' });
    try {
      await h.page.evaluate(() => window.harness.warmUp());
      const before = await h.page.evaluate(() => window.harness.stats());
      expect(before?.inputDeviceLabel).toBe('Fake Audio Input 1');
      expect(before?.outputDeviceLabel).toBe('Fake Audio Output 1');
      await h.page.evaluate(() => window.harness.hideDevice('Fake Audio Input 1'));
      await h.page.evaluate(() => window.harness.hideDevice('Fake Audio Output 1'));
      await h.page.waitForFunction(() => {
        const s = window.harness.stats();
        return s !== undefined && s.inputDeviceLabel !== 'Fake Audio Input 1' && s.outputDeviceLabel === null;
      });
      const after = await h.page.evaluate(() => window.harness.stats());
      const warnings = await h.page.evaluate(() => window.harness.warnings());
      console.log(`devices: after unplug input "${after?.inputDeviceLabel}" output ${JSON.stringify(after?.outputDeviceLabel)} warnings ${JSON.stringify(warnings.map((w) => w.code))}`);
      expect(after?.micOpen).toBe(true);
      expect(warnings.map((w) => w.code)).toContain('input-device-missing');
      expect(warnings.map((w) => w.code)).toContain('output-device-missing');
    } finally {
      await h.close();
    }
  });
});
