/**
 * An error whose message is written for the model (and, through it, the user). Tools throw it; the
 * tool host turns it into an error result with that text. Anything else is mapped by describeError.
 */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** A path the sandbox will not touch. */
export class PathRefused extends ToolError {
  override name = 'PathRefused';
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Turns a file-system error into one sentence about `what` (a display path). */
export function describeFsError(error: unknown, what: string): string {
  switch (codeOf(error)) {
    case 'ENOENT':
      return `${what} does not exist.`;
    case 'EACCES':
    case 'EPERM':
      return `No permission to use ${what}.`;
    case 'ELOOP':
    case 'EMLINK':
      return `Refused: ${what} is or goes through a link that changed or points elsewhere.`;
    case 'ENOTDIR':
      return `${what} is not a folder.`;
    case 'EISDIR':
      return `${what} is a folder, not a file.`;
    case 'EEXIST':
      return `${what} already exists.`;
    case 'ENOSPC':
      return 'The disk is full.';
    case 'EROFS':
      return `${what} is on a read-only disk.`;
    case 'ENAMETOOLONG':
      return `The name is too long: ${what}.`;
    case 'EBUSY':
    case 'ENXIO':
      return `Refused: ${what} is a device or pipe, not a normal file.`;
    default:
      return `Could not use ${what}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export function isFsCode(error: unknown, ...codes: string[]): boolean {
  const code = codeOf(error);
  return code !== undefined && codes.includes(code);
}
