/** "Deleted … · Undo": the bar a removal shows while it can still be taken back. */
export function UndoBar(props: { message: string; onUndo: () => void; testId: string; buttonTestId: string }): React.JSX.Element {
  return (
    <div className="notice" role="status" data-testid={props.testId}>
      <p className="notice-message">{props.message}</p>
      <button type="button" onClick={props.onUndo} data-testid={props.buttonTestId}>
        Undo
      </button>
    </div>
  );
}
