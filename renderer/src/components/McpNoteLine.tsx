/** A short "Saved" or error line beside a control of the MCP section, announced politely. */
export type Note = { kind: 'saved' | 'error'; text: string };

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function NoteLine(props: { id: string; note: Note | undefined }): React.JSX.Element {
  return (
    <span id={props.id} className={props.note?.kind === 'error' ? 'field-error' : 'saved'} role="status" data-testid={`note-${props.id}`}>
      {props.note?.text ?? ''}
    </span>
  );
}
