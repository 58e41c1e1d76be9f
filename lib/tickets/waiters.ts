import "server-only";

type Outcome = "changed" | "timeout" | "aborted";

export interface Waiter {
  /** Resolves when the ticket changes, after `timeoutMs`, or when the request goes away. */
  until(timeoutMs: number): Promise<Outcome>;
  /** Removes the waiter; safe to call more than once. Always call it (in `finally`). */
  cancel(): void;
}

/**
 * The long-polls waiting in this process, by ticket id. Fed by the single
 * store subscription (events.ts); a change wakes every waiter of that ticket.
 */
export class Waiters {
  private readonly byTicket = new Map<string, Set<(outcome: Outcome) => void>>();

  /** How many long-polls are waiting now (metrics; leak tests). */
  get size(): number {
    let n = 0;
    for (const set of this.byTicket.values()) n += set.size;
    return n;
  }

  /** Wakes the ticket's waiters; returns how many there were. */
  notify(ticketId: string): number {
    const set = this.byTicket.get(ticketId);
    for (const wake of set ?? []) wake("changed");
    return set?.size ?? 0;
  }

  /** Wakes everyone: after a lost subscription, nobody knows what changed. */
  notifyAll() {
    for (const set of this.byTicket.values()) for (const wake of set) wake("changed");
  }

  /**
   * Registers a waiter for a ticket. Register first, then read the state:
   * a change that lands in between still wakes it.
   */
  watch(ticketId: string, signal?: AbortSignal): Waiter {
    let wake: (outcome: Outcome) => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    let settled: Outcome | undefined;
    const settledEarly = new Promise<Outcome>((resolve) => {
      wake = (outcome) => {
        settled ??= outcome;
        resolve(settled);
      };
    });
    const set = this.byTicket.get(ticketId) ?? new Set();
    this.byTicket.set(ticketId, set);
    set.add(wake);
    const onAbort = () => wake("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });

    const cancel = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      set.delete(wake);
      if (set.size === 0 && this.byTicket.get(ticketId) === set) this.byTicket.delete(ticketId);
    };
    return {
      until: (timeoutMs) => {
        if (signal?.aborted) wake("aborted");
        timer = setTimeout(() => wake("timeout"), Math.max(0, timeoutMs));
        return settledEarly;
      },
      cancel,
    };
  }
}
