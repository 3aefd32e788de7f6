/**
 * Events main emits while no page is listening (before the first page said hello, or while the page
 * reloads). An event sent to a page that is not listening yet is lost, so they wait here, in order,
 * and go to the next page that says hello. Bounded: the oldest go first.
 */
export interface HeldEvent {
  channel: string;
  payload: unknown;
}

export class EventBacklog {
  private readonly held: HeldEvent[] = [];
  private readonly limit: number;

  constructor(limit = 200) {
    this.limit = limit;
  }

  hold(channel: string, payload: unknown): void {
    if (this.held.length >= this.limit) this.held.shift();
    this.held.push({ channel, payload });
  }

  /** Everything held, oldest first; the backlog is empty afterwards. */
  drain(): HeldEvent[] {
    return this.held.splice(0);
  }

  get size(): number {
    return this.held.length;
  }
}
