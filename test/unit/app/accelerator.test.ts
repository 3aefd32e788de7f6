import { describe, expect, it } from 'vitest';
import { HoldTracker, keyCodesFor, parseAccelerator } from '../../../main/app/accelerator.ts';

const table = { Ctrl: 29, CtrlRight: 3613, Alt: 56, AltRight: 3640, Shift: 42, ShiftRight: 54, Meta: 3675, MetaRight: 3676, Space: 57, F9: 67, A: 30 };

describe('hotkey parsing', () => {
  it('reads the default hotkey', () => {
    expect(parseAccelerator('Control+Alt+Space', 'linux')).toEqual({ modifiers: ['ctrl', 'alt'], key: 'Space' });
  });

  it('maps CommandOrControl per platform', () => {
    expect(parseAccelerator('CommandOrControl+Shift+A', 'darwin')).toEqual({ modifiers: ['meta', 'shift'], key: 'A' });
    expect(parseAccelerator('CommandOrControl+Shift+A', 'win32')).toEqual({ modifiers: ['ctrl', 'shift'], key: 'A' });
  });

  it.each([
    ['Control+Alt', /no key/],
    ['Space', /needs a modifier/],
    ['Control+A+B', /two keys/],
    ['Control++', /empty part/],
    ['Control+Banana', /not a key/],
  ])('explains why %s cannot be a hotkey', (accelerator, message) => {
    const parsed = parseAccelerator(accelerator, 'linux');
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('accepts a lone function key', () => {
    expect(parseAccelerator('F9', 'linux')).toEqual({ modifiers: [], key: 'F9' });
  });
});

describe('hold-to-talk from press + key-up', () => {
  it('ends the hold on the first release of any key of the combination, once', () => {
    const parsed = parseAccelerator('Control+Alt+Space', 'linux');
    if ('error' in parsed) throw new Error(parsed.error);
    const codes = keyCodesFor(parsed, table);
    expect([...codes].sort((a, b) => a - b)).toEqual([29, 56, 57, 3613, 3640]);
    const log: string[] = [];
    const tracker = new HoldTracker(codes, () => log.push('down'), () => log.push('up'));
    tracker.press();
    tracker.press(); // key repeat while held
    tracker.keyUp(30); // an unrelated key
    tracker.keyUp(57); // Space released
    tracker.keyUp(29); // then Control: already up
    expect(log).toEqual(['down', 'up']);
    tracker.press();
    tracker.keyUp(3640);
    expect(log).toEqual(['down', 'up', 'down', 'up']);
  });
});
