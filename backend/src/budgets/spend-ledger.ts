/** One spender's spend in one window, nano-USD: what completed calls cost, and what calls in flight hold. */
export interface Spend {
  settled: bigint;
  reserved: bigint;
}

/**
 * Spend per project, spender and window, in memory: no I/O, so the gateway's check costs a map
 * lookup per applicable budget. Counters are keyed by `counterKey` (`budget-rules.ts`); the ones of
 * windows that ended are dropped once a day.
 */
export class SpendLedger {
  private readonly projects = new Map<string, Map<string, Spend>>();
  private prunedFor = '';

  /** Settled plus reserved spend of a counter. */
  spent(projectId: string, counter: string): bigint {
    const spend = this.projects.get(projectId)?.get(counter);
    return spend ? spend.settled + spend.reserved : 0n;
  }

  settled(projectId: string, counter: string): bigint {
    return this.projects.get(projectId)?.get(counter)?.settled ?? 0n;
  }

  /** A project's counters and their spend. */
  entries(projectId: string): Iterable<[string, Readonly<Spend>]> {
    return this.projects.get(projectId)?.entries() ?? [];
  }

  /** Holds `nano` on each counter; the returned spends are what {@link release} gives back. */
  reserve(projectId: string, counters: readonly string[], nano: bigint): Spend[] {
    const held = counters.map((counter) => this.spend(projectId, counter));
    for (const spend of held) spend.reserved += nano;
    return held;
  }

  release(held: readonly Spend[], nano: bigint): void {
    for (const spend of held) spend.reserved -= nano;
  }

  /** Adds what a completed call cost (or what history says was spent) to a counter. */
  add(projectId: string, counter: string, nano: bigint): void {
    this.spend(projectId, counter).settled += nano;
  }

  /** Forgets a project's spend (it has no budget left to count it for). */
  drop(projectId: string): void {
    this.projects.delete(projectId);
  }

  /**
   * Drops the counters of windows that started before `day`'s (day) or `month`'s (month) window;
   * does the work once per day (and says so). `isCurrent` tells from a counter key whether its window is current.
   */
  prune(day: string, isCurrent: (counter: string) => boolean): boolean {
    if (this.prunedFor === day) return false;
    this.prunedFor = day;
    for (const counters of this.projects.values())
      for (const counter of counters.keys()) if (!isCurrent(counter)) counters.delete(counter);
    return true;
  }

  private spend(projectId: string, counter: string): Spend {
    let counters = this.projects.get(projectId);
    if (!counters) this.projects.set(projectId, (counters = new Map()));
    let spend = counters.get(counter);
    if (!spend) counters.set(counter, (spend = { settled: 0n, reserved: 0n }));
    return spend;
  }
}
