/**
 * Two small rules of the desktop glue: which view a start opens (a login start stays in the tray),
 * and the events main holds while no page listens (in order, bounded).
 */
import { describe, expect, it } from 'vitest';
import { HIDDEN_ARG, startView } from '../../../main/app/launch.ts';
import { EventBacklog } from '../../../main/ipc/event-backlog.ts';

describe('the view a start opens', () => {
  it('stays in the tray when started at login, shows the window when the person starts it', () => {
    expect(startView({ argv: ['/opt/Earshot/earshot', HIDDEN_ARG], openedAtLogin: false, firstLaunch: false })).toBeNull();
    expect(startView({ argv: ['/Applications/Earshot.app/Contents/MacOS/Earshot'], openedAtLogin: true, firstLaunch: false })).toBeNull();
    expect(startView({ argv: ['/opt/Earshot/earshot'], openedAtLogin: false, firstLaunch: false })).toBe('transcript');
  });

  it('opens onboarding on a first start, even from login', () => {
    expect(startView({ argv: ['earshot', HIDDEN_ARG], openedAtLogin: true, firstLaunch: true })).toBe('onboarding');
  });
});

describe('events held while no page listens', () => {
  it('hands them over oldest first, once', () => {
    const backlog = new EventBacklog();
    backlog.hold('earshot:evt:notice', { message: 'a' });
    backlog.hold('earshot:evt:view', 'onboarding');
    expect(backlog.drain()).toEqual([
      { channel: 'earshot:evt:notice', payload: { message: 'a' } },
      { channel: 'earshot:evt:view', payload: 'onboarding' },
    ]);
    expect(backlog.drain()).toEqual([]);
  });

  it('drops the oldest beyond its bound', () => {
    const backlog = new EventBacklog(3);
    for (let i = 0; i < 5; i++) backlog.hold('c', i);
    expect(backlog.drain().map((e) => e.payload)).toEqual([2, 3, 4]);
  });
});
