import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { BudgetState, RecordedUsage, ServedBy, SightlineEvent } from '@sightline/schemas';
import { decideAndAppend } from '../auth/commands/control-command';
import { Clock } from '../common/clock';
import { BudgetExceededError } from '../common/errors';
import { SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { usdToNano } from '../costs/price-math';
import { Pricing } from '../costs/pricing';
import { EventRecorder, type EncodedEvent } from '../eventlog/event-recorder';
import { budgetAlertKey } from '../control/control-state';
import { randomId } from '../control/credentials';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import {
  applicableBudgets,
  counterSubject,
  isCurrentCounter,
  reachesSoft,
  refusal,
  spenderCounters,
  windowEnd,
  windowStart,
  type Applicable,
  type Refusal,
  type Spender,
} from './budget-rules';
import { SpendHistory } from './spend-history';
import { SpendLedger } from './spend-ledger';
import { formatUsd } from './usd';

/** How a call ended, for its spend: what served it and the usage it reported (or was estimated at). */
export interface SpendOutcome {
  readonly servedBy: ServedBy;
  readonly usage: RecordedUsage | null;
  /** Answered from Sightline's response cache: no provider was paid. */
  readonly cached: boolean;
}

/** One spender's spend in a window, nano-USD. */
export interface SpenderSpend {
  /** API key or end user id; null for the project. */
  readonly subject: string | null;
  readonly settled: bigint;
  readonly reserved: bigint;
}

/** A call's claim on its budgets while it runs. */
export interface SpendHold {
  /** The call ended (undefined: before any provider was tried): its reservation gives way to its cost. Once. */
  settle(outcome?: SpendOutcome): void;
}

const NO_HOLD: SpendHold = { settle: () => undefined };

/**
 * Budgets on the gateway path. {@link admit} runs before a call goes upstream: it reserves the
 * call's most possible cost on every budget that applies, or refuses it when a hard budget would
 * be exceeded. The check and the reservation happen in one synchronous step on an in-memory ledger,
 * so parallel calls see each other's reservations and cannot overshoot a hard budget beyond what
 * the cost estimates missed. When the call ends its reservation is replaced by its real cost.
 *
 * Only projects with a budget are counted (every call of theirs, on every window and spender, so a
 * new budget of the project starts with its spend known). Spend survives restarts: at start, and
 * when a project gets its first budget, its spend this month is loaded from the `generations` read
 * model (see `SpendHistory`), and the project's calls wait for that load ({@link ready}) so none
 * slips through on an empty ledger. A first budget's load first waits (up to 5 s) for the projector
 * to write the calls that ended before it; at start, calls ended but not yet projected are not counted.
 * Per instance: with several gateway instances, each counts its own calls after that load.
 * Generations reported through `/api/ingest` and OTLP count as completed spend as they are recorded
 * (they are not admitted: they already happened).
 */
@Injectable()
export class BudgetGuard implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Budgets');
  private readonly ledger = new SpendLedger();
  private indexedFrom: unknown;
  private byProject = new Map<string, BudgetState[]>();
  /** Projects whose past spend is being loaded: their calls wait for it (see {@link ready}). */
  private readonly loading = new Map<string, Promise<void>>();
  /** Alerts this instance asked the control plane for (it keeps one per window anyway). */
  private readonly raised = new Set<string>();
  private unhook: (() => void) | undefined;

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(Pricing) private readonly pricing: Pricing,
    @Inject(SpendHistory) private readonly history: SpendHistory,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Generations reported through ingestion and OTLP spend too: counted as they are recorded.
    this.unhook ??= this.recorder.onAppending((records) => this.countRecorded(records));
    await this.load(this.reindex());
  }

  onApplicationShutdown(): void {
    this.unhook?.();
  }

  /**
   * Settles once the project's past spend is in the ledger; undefined when it already is (or the
   * project has no budget). Awaited before {@link admit}, so that the first call after a project's
   * first budget is checked against what the project already spent, not against nothing.
   */
  ready(projectId: string): Promise<void> | undefined {
    this.budgetsOf(projectId);
    return this.loading.get(projectId);
  }

  /**
   * Reserve what the call may cost on its budgets.
   * @throws BudgetExceededError when a hard budget would be exceeded (nothing reserved then)
   */
  admit(spender: Spender, request: ChatCompletionRequest): SpendHold {
    const budgets = this.budgetsOf(spender.projectId);
    if (!budgets.length) return NO_HOLD;
    const at = this.clock.now();
    if (this.ledger.prune(windowStart('day', at), (counter) => isCurrentCounter(counter, at)))
      this.raised.clear();
    const applicable = applicableBudgets(budgets, spender, at);
    // Counting the input's tokens is the costly part: only when a hard limit needs it.
    const estimate = applicable.some((a) => a.hardNano !== null)
      ? (this.pricing.estimate(spender.projectId, request, [request.model], at)[0]?.maxNanoUsd ?? 0n)
      : 0n;
    const refused = refusal(applicable, (counter) => this.ledger.spent(spender.projectId, counter), estimate);
    if (refused) {
      this.alert(refused.applicable, 'hard', refused.spentNano);
      throw exceeded(refused, at);
    }
    // Spend already past a soft limit (a budget created or lowered below it) is alerted at the next call.
    this.alertSoft(spender.projectId, applicable);
    const counters = [...new Set(applicable.map((a) => a.counter))];
    const held = this.ledger.reserve(spender.projectId, counters, estimate);
    let done = false;
    return {
      settle: (outcome) => {
        if (done) return;
        done = true;
        this.ledger.release(held, estimate);
        try {
          this.count(spender, applicable, outcome, at);
        } catch (error) {
          this.logger.error(error); // never fails the call's recording
        }
      },
    };
  }

  /**
   * What a budget's spenders spent in the window containing `at`: the project or the target, or
   * the `top` biggest spenders of an each-one budget.
   */
  spendOf(budget: BudgetState, at: Date, top = 10): SpenderSpend[] {
    const { projectId, scope, window } = budget;
    const start = windowStart(window, at);
    const found: SpenderSpend[] = [];
    for (const [counter, spend] of this.ledger.entries(projectId)) {
      const subject = counterSubject(counter, projectId, scope, window, start);
      if (subject === undefined || (budget.target !== null && subject !== budget.target)) continue;
      found.push({ subject, settled: spend.settled, reserved: spend.reserved });
    }
    if (!found.length && (scope === 'project' || budget.target !== null))
      found.push({ subject: budget.target, settled: 0n, reserved: 0n });
    const total = (s: SpenderSpend) => s.settled + s.reserved;
    return found.sort((a, b) => (total(a) > total(b) ? -1 : total(a) < total(b) ? 1 : 0)).slice(0, top);
  }

  /** Counts what an ended call cost on every counter of its spender; alerts a soft limit it crossed. */
  private count(
    spender: Spender,
    applicable: readonly Applicable[],
    outcome: SpendOutcome | undefined,
    at: Date,
  ): void {
    const cost =
      outcome && !outcome.cached && outcome.usage
        ? this.pricing.costOf(
            spender.projectId,
            outcome.servedBy.model,
            outcome.servedBy.provider,
            outcome.usage,
            at,
          ).totalNanoUsd
        : 0n;
    if (cost <= 0n) return;
    for (const counter of spenderCounters(spender, at)) this.ledger.add(spender.projectId, counter, cost);
    this.alertSoft(spender.projectId, applicable);
  }

  /**
   * Counts generations recorded by ingestion (`span.recorded` of a complete generation) and OTLP
   * (`generation.completed`/`failed`) as completed spend, the same rows `SpendHistory` sums after a
   * restart. Gateway calls are counted by {@link admit}'s hold, not here. Over soft: alerted.
   * The key that sent them is their spender too, as for a gateway call: an ingested generation
   * names it, an OTLP one's request (recorded with its end, in the same batch) does.
   */
  private countRecorded(records: readonly EncodedEvent[]): void {
    const otlpKeys = new Map(
      records.flatMap(({ event: e }) =>
        e.type === 'generation.requested' && e.source === 'otlp' && e.data.apiKeyId
          ? [[`${e.projectId}/${e.spanId}`, e.data.apiKeyId] as const]
          : [],
      ),
    );
    for (const { event } of records) {
      const spent = ingestedSpend(event);
      if (!spent || spent.nano <= 0n || !this.budgetsOf(event.projectId).length) continue;
      const apiKeyId = spent.apiKeyId ?? otlpKeys.get(`${event.projectId}/${event.spanId}`);
      const spender = {
        projectId: event.projectId,
        ...(apiKeyId ? { apiKeyId } : {}),
        ...(event.endUserId ? { endUserId: event.endUserId } : {}),
      };
      const now = this.clock.now();
      const at = new Date(spent.startedAt);
      // Only spend of current windows: a late report of last month's call counts for no budget.
      const counters = spenderCounters(spender, at).filter((counter) => isCurrentCounter(counter, now));
      const applicable = applicableBudgets(this.budgetsOf(event.projectId), spender, at).filter((a) =>
        counters.includes(a.counter),
      );
      for (const counter of counters) this.ledger.add(spender.projectId, counter, spent.nano);
      this.alertSoft(spender.projectId, applicable);
    }
  }

  /** Alerts every soft limit the settled spend reached (once per window: see {@link alert}). */
  private alertSoft(projectId: string, applicable: readonly Applicable[]): void {
    for (const a of applicable) {
      const settled = this.ledger.settled(projectId, a.counter);
      if (reachesSoft(a, settled)) this.alert(a, 'soft', settled);
    }
  }

  /** The project's live budgets; the index follows the control state (loading spend for new projects). */
  private budgetsOf(projectId: string): readonly BudgetState[] {
    // A first budget: its project's calls that ended a moment ago are waited for (see `load`).
    if (this.control.current.budgets !== this.indexedFrom) void this.load(this.reindex(), true);
    return this.byProject.get(projectId) ?? [];
  }

  /** Rebuilds the index; returns the projects that had no budget before. */
  private reindex(): string[] {
    const all = this.control.current.budgets;
    const index = new Map<string, BudgetState[]>();
    for (const budget of all.values()) {
      if (budget.removedAt) continue;
      index.set(budget.projectId, [...(index.get(budget.projectId) ?? []), budget]);
    }
    const added = [...index.keys()].filter((p) => !this.byProject.has(p));
    for (const project of this.byProject.keys()) if (!index.has(project)) this.ledger.drop(project);
    this.byProject = index;
    this.indexedFrom = all;
    return added;
  }

  /** Adds this month's spend of `projectIds` from the read model to the ledger; {@link ready} waits for it. */
  private load(projectIds: readonly string[], waitForProjection = false): Promise<void> {
    if (!projectIds.length) return Promise.resolve();
    const loaded = this.loadHistory(projectIds, waitForProjection);
    for (const projectId of projectIds) this.loading.set(projectId, loaded);
    return loaded.finally(() => {
      for (const projectId of projectIds)
        if (this.loading.get(projectId) === loaded) this.loading.delete(projectId);
    });
  }

  /**
   * `waitForProjection`: first wait (a few seconds at most) for the projector to write every call
   * that ended before now. Not at start: the projector may only start after this instance.
   */
  private async loadHistory(projectIds: readonly string[], waitForProjection: boolean): Promise<void> {
    const now = this.clock.now();
    try {
      const projected = waitForProjection ? await this.history.projected().catch(() => false) : true;
      if (!projected)
        this.logger.warn(
          'The projector is behind: calls that ended just now are not counted in the new budget',
        );
      const rows = await this.history.since(projectIds, new Date(`${windowStart('month', now)}T00:00:00Z`));
      for (const row of rows) {
        const spender = {
          projectId: row.projectId,
          ...(row.apiKeyId ? { apiKeyId: row.apiKeyId } : {}),
          ...(row.endUserId ? { endUserId: row.endUserId } : {}),
        };
        for (const counter of spenderCounters(spender, new Date(`${row.day}T12:00:00Z`)))
          if (isCurrentCounter(counter, now)) this.ledger.add(row.projectId, counter, BigInt(row.nano));
      }
    } catch (error) {
      this.logger.error(`Could not load past spend of ${projectIds.length} project(s): ${String(error)}`);
    }
  }

  /** Asks the control plane for an alert once per budget, level, subject and window. */
  private alert(a: Applicable, level: 'soft' | 'hard', spentNano: bigint): void {
    const limit = level === 'soft' ? a.softNano : a.hardNano;
    if (limit === null) return;
    const { budgetId, projectId } = a.budget;
    // Keyed before anything is formatted: past a soft limit, every call asks again.
    const key = budgetAlertKey({ budgetId, level, subject: a.subject, windowStart: a.windowStart });
    if (this.raised.has(key) || this.control.current.budgetAlerts.has(key)) return;
    const alert = {
      budgetId,
      projectId,
      level,
      subject: a.subject,
      windowStart: a.windowStart,
      spentUsd: formatUsd(spentNano),
      limitUsd: formatUsd(limit),
    };
    this.raised.add(key);
    decideAndAppend(this.control, {
      type: 'raise-budget-alert',
      actor: SYSTEM,
      now: this.clock.now(),
      alertId: randomId('ba'),
      alert,
    }).catch((error: unknown) => this.logger.error(`Could not raise a budget alert: ${String(error)}`));
  }
}

/**
 * What a generation reported outside the gateway cost, when it started and (ingested) the key that
 * sent it; undefined for any other event.
 */
function ingestedSpend(
  event: SightlineEvent,
): { nano: bigint; startedAt: string; apiKeyId?: string } | undefined {
  switch (event.type) {
    case 'span.recorded': {
      const d = event.data;
      // A complete ingested generation is a `generations` row (see `ingestedGeneration`).
      if (event.source !== 'ingest' || d.kind !== 'generation' || !d.startedAt || !d.endedAt || !d.cost)
        return undefined;
      return {
        nano: usdToNano(d.cost.totalUsd),
        startedAt: d.startedAt,
        ...(d.apiKeyId ? { apiKeyId: d.apiKeyId } : {}),
      };
    }
    case 'generation.completed':
    case 'generation.failed':
      if (event.source !== 'otlp') return undefined;
      return event.data.cost
        ? { nano: usdToNano(event.data.cost.totalUsd), startedAt: event.data.startedAt }
        : undefined;
    default:
      return undefined;
  }
}

const WHOSE = { project: 'this project', 'api-key': 'API key', 'end-user': 'end user' } as const;

function exceeded({ applicable: a, spentNano, estimateNano }: Refusal, at: Date): BudgetExceededError {
  const { budget } = a;
  const whose = a.subject === null ? WHOSE[budget.scope] : `${WHOSE[budget.scope]} '${a.subject}'`;
  const resets = windowEnd(budget.window, at);
  const when = budget.window === 'day' ? 'today' : 'this month';
  const message =
    `Budget '${budget.name}' of ${whose} is used up ${when} (UTC): USD ${formatUsd(spentNano)} of ` +
    `USD ${budget.hardLimitUsd} spent or reserved, and this call may cost up to USD ${formatUsd(estimateNano)}. ` +
    `It resets at ${resets.toISOString()}.`;
  const seconds = Math.max(1, Math.ceil((resets.getTime() - at.getTime()) / 1000));
  return new BudgetExceededError(message, budget.budgetId, seconds);
}
