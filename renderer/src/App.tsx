import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApprovalDecision, SettingsView as SettingsViewData, ViewName } from '../../preload/contract.ts';
import { useEarshot } from './state/use-earshot.ts';
import { useAudio } from './state/use-audio.ts';
import { readSettings, type SettingsForm } from './state/settings-form.ts';
import { useEscape } from './state/use-escape.ts';
import { Stage } from './components/Stage.tsx';
import { Conversation } from './components/Conversation.tsx';
import { Notices } from './components/Notices.tsx';
import { MetricsBar } from './components/MetricsBar.tsx';
import { LevelMeters } from './components/LevelMeters.tsx';
import { SettingsView } from './components/SettingsView.tsx';
import { OnboardingView } from './components/OnboardingView.tsx';
import { HistoryView } from './components/HistoryView.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { ScreenPicker, type PickerOutcome } from './components/ScreenPicker.tsx';

const TABS: { view: ViewName; label: string }[] = [
  { view: 'transcript', label: 'Conversation' },
  { view: 'history', label: 'History' },
  { view: 'settings', label: 'Settings' },
];

const same = (a: string, b: string): boolean => a.replace(/[.…\s]+$/u, '').toLowerCase() === b.replace(/[.…\s]+$/u, '').toLowerCase();

export function App(): React.JSX.Element {
  const earshot = useEarshot();
  const { bridge, store } = earshot;
  const [settings, setSettings] = useState<SettingsForm | null>(null);
  const [view, setView] = useState<ViewName>('transcript');
  const audio = useAudio(bridge, settings);

  useEffect(() => {
    const apply = (raw: SettingsViewData): void => setSettings(readSettings(raw));
    bridge.request
      .getSettings({})
      .then((raw) => {
        apply(raw);
        if (raw.apiKey === 'not-set') setView('onboarding');
      })
      .catch((error: unknown) => store.pushNotice({ level: 'error', message: `Settings could not be loaded: ${String(error)}` }));
    const offs = [bridge.on.settings(apply), bridge.on.view(setView)];
    return () => offs.forEach((off) => off());
  }, [bridge, store]);

  // The screen picker opens from the control beside the text box and from the tray (`screenPicker`);
  // it is a modal dialog over the conversation, where the answer will appear.
  const [picker, setPicker] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  const openPicker = useCallback(() => {
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
    setView('transcript');
    setPicker(true);
  }, []);
  const closedWith = useRef<PickerOutcome | null>(null);
  const closePicker = useCallback((outcome: PickerOutcome) => {
    closedWith.current = outcome;
    setPicker(false);
  }, []);
  // Once the dialog has left (it made the rest inert until then): back where the person was (the
  // text box when the tray opened it), or on the notice's button when main refused with one (macOS
  // screen recording: "Open System Settings").
  useEffect(() => {
    const outcome = closedWith.current;
    if (picker || outcome === null) return;
    closedWith.current = null;
    const target =
      (outcome === 'noticed' ? document.querySelector<HTMLElement>('[data-testid="open-screen-settings"]') : null) ??
      (opener.current?.isConnected ? opener.current : null) ??
      document.querySelector<HTMLElement>('[data-testid="text-input"]');
    target?.focus();
  }, [picker]);
  useEffect(() => bridge.on.screenPicker(openPicker), [bridge, openPicker]);

  // Level meters cost CPU in the audio thread: only while someone can see them (turns always get levels).
  useEffect(() => bridge.on.windowVisibility(({ visible }) => audio.session?.setMeterVisible(visible)), [bridge, audio.session]);

  const info = useCallback((message: string) => store.pushNotice({ level: 'info', message }), [store]);
  const error = useCallback((message: string) => store.pushNotice({ level: 'error', message }), [store]);
  const answer = useCallback(
    (id: string, decision: ApprovalDecision) => void bridge.request.answerApproval({ id, decision }).catch((e: unknown) => error(String(e))),
    [bridge, error],
  );
  useEscape(earshot, answer);

  const newConversation = (): void => {
    bridge.request
      .newConversation({})
      .then(() => store.clearConversation())
      .catch((e: unknown) => error(String(e)));
  };

  // Said once: a request waiting for approval is the card, not also a notice and a status line.
  const approvalOpen = earshot.approvals.length > 0;
  const notices = earshot.notices.filter((n) => !(approvalOpen && n.subject === 'approval'));
  const rawMessage = earshot.status.message;
  const message =
    rawMessage && !(approvalOpen && rawMessage.startsWith('Waiting for your approval')) && !notices.some((n) => same(n.message, rawMessage) || (n.hint !== null && same(n.hint, rawMessage)))
      ? rawMessage
      : null;
  const busy = earshot.status.state !== 'idle' && earshot.status.state !== 'error';
  const lastUser = [...earshot.entries].reverse().find((e) => e.kind === 'transcript' && e.transcript.role === 'user');
  const partial = lastUser?.kind === 'transcript' && !lastUser.transcript.final && lastUser.transcript.text ? lastUser.transcript.text : null;
  const hotkey = settings?.hotkey ?? 'the hotkey';

  return (
    <div className="app" data-view={view}>
      <header className="topbar">
        <h1 className="brand">Earshot</h1>
        {view !== 'onboarding' ? (
          <nav className="tabs" aria-label="Views">
            {TABS.map((tab) => (
              <button key={tab.view} type="button" aria-current={view === tab.view ? 'page' : undefined} onClick={() => setView(tab.view)}>
                {tab.label}
              </button>
            ))}
          </nav>
        ) : null}
      </header>
      <Stage
        status={earshot.status}
        hotkey={hotkey}
        listeningSince={earshot.listeningSince}
        partial={partial}
        message={message}
        onHotkey={earshot.hotkey}
        compact={view !== 'transcript'}
      />
      <Notices
        notices={notices}
        onDismiss={(id) => store.dismissNotice(id)}
        onOpenSettings={() => setView('settings')}
        onOpenScreenSettings={() => void bridge.request.openScreenSettings({}).catch((e: unknown) => error(String(e)))}
        onTryAgain={() => {
          // Starts listening as Talk does; Talk (now "Send") takes the focus so Enter sends.
          earshot.hotkey('down');
          document.querySelector<HTMLButtonElement>('[data-testid="talk"]')?.focus();
        }}
      />
      <UpdateBanner bridge={bridge} />
      {audio.warning && earshot.status.state === 'listening' ? (
        <p className="warning" data-testid="audio-warning">
          {audio.warning.message}
        </p>
      ) : null}
      <main className="content">
        {view === 'transcript' ? (
          <>
            <h2 className="visually-hidden">Conversation</h2>
            <Conversation entries={earshot.entries} busy={busy} onAnswer={answer} emptyHint={`Press ${hotkey} or Talk, and speak. Your conversation appears here.`} onAskScreen={openPicker} />
            <div className="composer">
              <LevelMeters session={audio.session} />
              <button type="button" className="quiet" onClick={newConversation} data-testid="new-conversation">
                New conversation
              </button>
            </div>
          </>
        ) : null}
        {view === 'history' ? (
          <HistoryView
            bridge={bridge}
            onError={error}
            onInfo={info}
            onResumed={(conversation) => {
              store.showResumed(conversation.id, conversation.entries);
              setView('transcript');
            }}
          />
        ) : null}
        {view === 'settings' && settings ? <SettingsView bridge={bridge} settings={settings} audio={audio} onSaved={info} onError={error} /> : null}
        {view === 'onboarding' && settings ? (
          <OnboardingView
            bridge={bridge}
            settings={settings}
            status={earshot.status}
            audio={audio}
            onDone={() => setView('transcript')}
            onSaved={info}
            onError={error}
          />
        ) : null}
      </main>
      <MetricsBar metrics={earshot.lastMetrics} cost={earshot.cost} />
      {picker ? <ScreenPicker onClose={closePicker} /> : null}
    </div>
  );
}
