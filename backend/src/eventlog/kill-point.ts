/**
 * Where a consumer's batch can be cut short by a crash, in order: its offset range is noted in the
 * group (`range-noted`), each stage took it (`stage-applied`, once per stage), every stage took it
 * (`batch-applied`), its end is committed (`committed`).
 */
export type KillPoint = 'range-noted' | 'stage-applied' | 'batch-applied' | 'committed';

const KILL_POINTS: readonly KillPoint[] = ['range-noted', 'stage-applied', 'batch-applied', 'committed'];

/**
 * The fault test's hook: `SIGHTLINE_KILL_AT=<point>:<n>` SIGKILLs this process the n-th time it
 * reaches `<point>`. Unset (always, outside that test): `reached` does nothing.
 */
export class KillPoints {
  private passed = 0;

  constructor(private readonly at: { readonly point: KillPoint; readonly nth: number } | undefined) {}

  static fromEnv(value = process.env.SIGHTLINE_KILL_AT): KillPoints {
    if (!value) return new KillPoints(undefined);
    const [point, nth] = value.split(':');
    if (!KILL_POINTS.includes(point as KillPoint) || !(Number(nth) >= 1)) {
      throw new Error(`SIGHTLINE_KILL_AT must be <${KILL_POINTS.join('|')}>:<n ≥ 1>, got "${value}"`);
    }
    return new KillPoints({ point: point as KillPoint, nth: Number(nth) });
  }

  reached(point: KillPoint): void {
    if (this.at?.point === point && ++this.passed === this.at.nth) process.kill(process.pid, 'SIGKILL');
  }
}

/** This process's kill points (from its environment). */
export const killPoints = KillPoints.fromEnv();
