import { useEarshot } from './state/use-earshot.ts';
import { StatusBar } from './components/StatusBar.tsx';
import { TranscriptView } from './components/TranscriptView.tsx';

export function App(): React.JSX.Element {
  const earshot = useEarshot();
  return (
    <main className="app">
      <StatusBar status={earshot.status} onHotkey={earshot.hotkey} />
      <TranscriptView entries={earshot.entries} />
    </main>
  );
}
