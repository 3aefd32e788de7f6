/**
 * Tells the user when an MCP server fails to start, stops, or comes back, with the reason, once per
 * failure (not at every retry of a server that keeps failing). One notice subject, "tool", so a
 * "is back" replaces the "stopped" in place.
 */
import type { Notice } from '../../preload/contract.ts';
import type { McpServerStatus } from '../tools/mcp/index.ts';

export function mcpStatusNotices(notice: (n: Notice) => void): (status: McpServerStatus) => void {
  /** Servers whose current trouble was already announced. */
  const announced = new Set<string>();
  /** Servers that have been ready at least once since they were configured. */
  const wasReady = new Set<string>();
  return (status) => {
    if (status.state === 'stopped') {
      announced.delete(status.id);
      wasReady.delete(status.id);
      return;
    }
    if (status.state === 'ready') {
      if (announced.delete(status.id)) notice({ level: 'info', message: `The MCP server "${status.name}" is working again.`, subject: 'tool' });
      wasReady.add(status.id);
      return;
    }
    if (status.state !== 'retrying' || announced.has(status.id)) return;
    announced.add(status.id);
    const why = status.lastError ?? 'no reason given';
    notice({
      level: 'warning',
      message: wasReady.has(status.id) ? `The MCP server "${status.name}" stopped: ${why}.` : `The MCP server "${status.name}" did not start: ${why}.`,
      action: 'Earshot keeps trying to start it. Check the server in Settings if this goes on.',
      subject: 'tool',
      button: 'open-settings',
    });
  };
}
