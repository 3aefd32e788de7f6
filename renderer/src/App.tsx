import { useCallback, useEffect, useState } from 'react';
import type { ViewName } from '../../preload/contract.ts';
import { useEarshot } from './state/use-earshot.ts';
import { useAudio } from './state/use-audio.ts';
import { readSettings, type SettingsForm } from './state/settings-form.ts';
import { StatusBar } from './components/StatusBar.tsx';
import { TranscriptView } from './components/TranscriptView.tsx';
import { ApprovalPrompts } from './components/ApprovalPrompt.tsx';
import { Notices } from './components/Notices.tsx';
import { MetricsBar } from './components/MetricsBar.tsx';
import { LevelMeters } from './components/LevelMeters.tsx';
import { SettingsView } from './components/SettingsView.tsx';
import { OnboardingView } from './components/OnboardingView.tsx';
import { HistoryView } from './components/HistoryView.tsx';

const TABS: { view: ViewName; label: string }[] = [
  { view: 'transcript', label: 'Conversation' },
  { view: 'history', label: 'History' },
  { view: 'settings', label: 'Settings' },
];

export function App(): React.JSX.Element {
  const earshot = useEarshot();
  const { bridge, store } = earshot;
  const [settings, setSettings] = useState<SettingsForm | null>(null);
  const [view, setView] = useState<ViewName>('transcript');
  const [hotkeySeen, setHotkeySeen] = useState(false);
  const audio = useAudio(bridge, settings);

  useEffect(() => {
    const apply = (raw: Record<string, unknown>): void => setSettings(readSettings(raw));
    bridge.request
      .getSettings({})
      .then((raw) => {
        apply(raw);
        if (readSettings(raw).apiKey === 'not-set') setView('onboarding');
      })
      .catch((error: unknown) => store.pushNotice({ level: 'error', message: `Settings could not be loaded: ${String(error)}` }));
    const offs = [bridge.on.settings(apply), bridge.on.view(setView)];
    return () => offs.forEach((off) => off());
  }, [bridge, store]);

  // Level meters cost CPU in the audio thread: only while someone can see them (turns always get levels).
  useEffect(() => bridge.on.windowVisibility(({ visible }) => audio.session?.setMeterVisible(visible)), [bridge, audio.session]);

  useEffect(() => {
    if (earshot.status.state === 'listening') setHotkeySeen(true);
  }, [earshot.status.state]);

  const info = useCallback((message: string) => store.pushNotice({ level: 'info', message }), [store]);
  const error = useCallback((message: string) => store.pushNotice({ level: 'error', message }), [store]);

  return (
    <main className="app">
      <StatusBar status={earshot.status} onHotkey={earshot.hotkey} />
      {view !== 'onboarding' ? (
        <nav className="tabs">
          {TABS.map((tab) => (
            <button key={tab.view} type="button" aria-current={view === tab.view ? 'page' : undefined} onClick={() => setView(tab.view)}>
              {tab.label}
            </button>
          ))}
        </nav>
      ) : null}
      <Notices notices={earshot.notices} onDismiss={(id) => store.dismissNotice(id)} />
      {audio.warning && earshot.status.state === 'listening' ? <p className="warning" data-testid="audio-warning">{audio.warning.message}</p> : null}
      <ApprovalPrompts
        approvals={earshot.approvals}
        onAnswer={(id, decision) => void bridge.request.answerApproval({ id, decision }).catch((e: unknown) => error(String(e)))}
      />
      <div className="content">
        {view === 'transcript' ? <TranscriptView entries={earshot.entries} /> : null}
        {view === 'history' ? <HistoryView bridge={bridge} onError={error} onInfo={info} /> : null}
        {view === 'settings' && settings ? <SettingsView bridge={bridge} settings={settings} audio={audio} onSaved={info} onError={error} /> : null}
        {view === 'onboarding' && settings ? (
          <OnboardingView
            bridge={bridge}
            settings={settings}
            status={earshot.status}
            audio={audio}
            hotkeySeen={hotkeySeen}
            onDone={() => setView('transcript')}
            onSaved={info}
            onError={error}
          />
        ) : null}
      </div>
      <LevelMeters session={audio.session} />
      <MetricsBar metrics={earshot.lastMetrics} cost={earshot.cost} />
    </main>
  );
}
