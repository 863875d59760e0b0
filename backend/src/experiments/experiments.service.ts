import { Logger } from '@nestjs/common';
import type {
  Actor,
  ExperimentConfiguration,
  ExperimentState,
  GenerationRequested,
} from '@sightline/schemas';
import { createHash } from 'node:crypto';
import { compileFilter } from '../analytics/filter-sql';
import type { Filter } from '../analytics/filter';
import type { EventArchive } from '../archive/event-archive';
import type { ProjectAccess } from '../auth/caller';
import { decideAndAppend } from '../auth/commands/control-command';
import { formatUsd, parseUsd } from '../budgets/usd';
import type { Clock } from '../common/clock';
import { ConflictError, InvalidInputError, NotFoundError, UnknownModelError } from '../common/errors';
import { controlEvent, SYSTEM } from '../control/control-events';
import { randomId } from '../control/credentials';
import type { ControlPlane } from '../control/control-plane';
import {
  cancelExperiment,
  claimExperimentRun,
  ExperimentNotFoundError,
  runHolder,
  startExperiment,
  type ExperimentDefinition,
  type StartExperiment,
} from '../control/decide/experiments';
import type { Pricing } from '../costs/pricing';
import { planRun, type PlannedRun } from './experiment-estimate';
import {
  addTally,
  comparisonOf,
  EMPTY_TALLY,
  progressOf,
  type ComparisonRow,
  type ExperimentProgress,
  type RunMark,
  type Tally,
} from './experiment-progress';
import { ExperimentRun, type ItemResult, type RunItem, type RunOutcome } from './experiment-run';
import type { ExperimentStore } from './experiment-store';
import { RequestWindow } from './request-window';
import { checkOverrides } from '../replay/replay-overrides';
import { MissingVariablesError } from '../replay/replay-request';
import type { Replayer, ReplayOverrides } from './replay-port';

export interface ExperimentsDependencies {
  readonly control: ControlPlane;
  readonly store: ExperimentStore;
  readonly replayer: Replayer;
  readonly pricing: Pricing;
  readonly archive: Pick<EventArchive, 'findRequests'>;
  readonly clock: Clock;
  /** Most generations one experiment replays. */
  readonly maxItems?: number;
}

/**
 * Append the claim of an experiment's run if it wins at the control topic's current version (a
 * conditional append: of two instances claiming at once, one wins). True when `runnerId` holds it.
 */
export function claimRun(
  control: ControlPlane,
  claim: Parameters<typeof claimExperimentRun>[0],
): Promise<boolean> {
  return control.execute((state) => {
    const events = claimExperimentRun(claim, state);
    return { events: events.map((e) => controlEvent(SYSTEM, claim.now, e)), result: events.length > 0 };
  });
}

/** What a caller asks for, before the idempotency key and the measured items. */
export type ExperimentRequest = Omit<ExperimentDefinition, 'idempotencyKey' | 'configurations'> & {
  readonly configurations: readonly Omit<ExperimentConfiguration, 'configurationId'>[];
};

/** An experiment with its progress, as this process knows it. */
export interface ExperimentSnapshot {
  readonly state: ExperimentState;
  readonly progress: ExperimentProgress;
  /** Whether this process runs it now. */
  readonly active: boolean;
}

export interface ExperimentEstimate {
  readonly generations: number;
  readonly requests: number;
  readonly estimateNanoUsd: bigint;
  readonly unpriced: number;
}

interface Active {
  readonly controller: AbortController;
  readonly done: Promise<void>;
  mark: RunMark | null;
  base: Tally;
  run: Tally;
  notifiedAt: number;
}

const DEFAULT_MAX_ITEMS = 100_000;
const WATCH_POLL_MS = 1000;
const NOTIFY_EVERY_MS = 250;
/** How long a process holds an experiment's run without renewing it (renewed every third of it). */
export const RUN_LEASE_MS = 30_000;
const REQUEST_CHUNK = 2000;
const MAX_COMPARED_PAIRS = 50_000;
/** How long an ending run waits for its last replays to reach the generations table. */
const PROJECTION_WAIT_MS = 15_000;
const PROJECTION_POLL_MS = 100;

/** The same project and key always name the same experiment: a retried start finds the first. */
export function experimentId(projectId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`experiment\0${projectId}\0${idempotencyKey}`).digest('hex');
  return `exp_${hex.slice(0, 24)}`;
}

/** The metadata and tag every replay of an experiment carries. */
export const EXPERIMENT_METADATA = 'sightline.experiment';
export const CONFIGURATION_METADATA = 'sightline.configuration';

const overridesOf = (c: ExperimentConfiguration): ReplayOverrides => ({
  ...(c.model !== undefined ? { model: c.model } : {}),
  ...(c.params !== undefined ? { params: c.params } : {}),
  ...(c.system !== undefined ? { system: c.system } : {}),
  ...(c.prompt !== undefined ? { prompt: c.prompt } : {}),
  ...(c.variables !== undefined ? { variables: c.variables } : {}),
});

function sampleOf(sample: ExperimentState['sample']): { rateMillionths: number; count: number | null } {
  switch (sample.kind) {
    case 'all':
      return { rateMillionths: 1_000_000, count: null };
    case 'rate':
      return { rateMillionths: Math.round(sample.rate * 1_000_000), count: null };
    case 'count':
      return { rateMillionths: 1_000_000, count: sample.count };
  }
}

const canonical = (d: ExperimentDefinition) =>
  JSON.stringify([d.filter, d.sample, d.configurations, d.concurrency, parseUsd(d.budgetUsd)?.toString()]);

/**
 * Bulk replay: starts, cancels and resumes experiments and runs those this process started. The
 * definition and status are control events; the items, the checkpoint and the comparison are in
 * ClickHouse ({@link ExperimentStore}); the replays go through {@link Replayer}.
 */
export class Experiments {
  private readonly logger = new Logger('Experiments');
  private readonly active = new Map<string, Active>();
  private readonly listeners = new Set<(id: string) => void>();
  /** This process, as the holder of the runs it leases. */
  private readonly runnerId = randomId('runner');
  private sweep: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ExperimentsDependencies) {}

  /**
   * What the run that `idempotencyKey` would start would replay and cost (the same sample), nothing written.
   * @throws InvalidInputError `invalid_filter`, `too_many_generations`
   */
  async estimate(
    projectId: string,
    request: ExperimentRequest,
    idempotencyKey: string,
  ): Promise<ExperimentEstimate> {
    const plan = await this.plan(projectId, experimentId(projectId, idempotencyKey), request);
    return {
      generations: plan.generations,
      requests: plan.items.length,
      estimateNanoUsd: plan.estimateNanoUsd,
      unpriced: plan.unpriced,
    };
  }

  /**
   * Start an experiment over the generations the filter matches now, or return the one this key
   * started. Refused before anything is sent or written when its estimate is over its budget.
   * @throws InvalidInputError `over_budget` and the rest of `startExperiment`'s; ConflictError
   *   `idempotency_key_reused` for the same key with another definition
   */
  async start(
    access: ProjectAccess,
    actor: Actor,
    request: ExperimentRequest,
    idempotencyKey: string,
  ): Promise<ExperimentSnapshot> {
    const { projectId } = access;
    const id = experimentId(projectId, idempotencyKey);
    const definition = { ...request, idempotencyKey, configurations: configured(request.configurations) };
    const existing = this.state(projectId, id);
    if (existing) {
      if (canonical(existing) !== canonical(definition))
        throw new ConflictError('This idempotency key started another experiment', 'idempotency_key_reused');
      return this.snapshot(existing);
    }
    const plan = await this.plan(projectId, id, definition);
    const command: StartExperiment = {
      type: 'start-experiment',
      actor,
      now: this.deps.clock.now(),
      experimentId: id,
      projectId,
      definition,
      items: plan.generations,
      estimateNanoUsd: plan.estimateNanoUsd,
      estimateUnpriced: plan.unpriced,
    };
    startExperiment(command, this.deps.control.current); // refuses (over_budget...) before anything is written
    await this.deps.store.insertItems(projectId, id, plan.items);
    await decideAndAppend(this.deps.control, command);
    const started = this.required(projectId, id);
    await this.launch(started, access);
    return this.snapshot(started);
  }

  /**
   * Start nothing more; those in flight end and are written, then it is marked cancelled.
   * @throws ExperimentNotFoundError, ConflictError `not_running`
   */
  async cancel(access: ProjectAccess, actor: Actor, id: string): Promise<ExperimentSnapshot> {
    const command = {
      type: 'cancel-experiment' as const,
      actor,
      now: this.deps.clock.now(),
      experimentId: id,
      projectId: access.projectId,
    };
    cancelExperiment(command, this.deps.control.current);
    const active = this.active.get(id);
    active?.controller.abort();
    await active?.done;
    await this.projected(access.projectId, id).catch(() => undefined);
    await decideAndAppend(this.deps.control, { ...command, now: this.deps.clock.now() });
    this.notify(id, true);
    return this.snapshot(this.required(access.projectId, id));
  }

  /**
   * Go on from the checkpoint: replays only what has no result yet.
   * @throws ExperimentNotFoundError, ConflictError `not_resumable`
   */
  async resume(access: ProjectAccess, actor: Actor, id: string): Promise<ExperimentSnapshot> {
    await decideAndAppend(this.deps.control, {
      type: 'resume-experiment',
      actor,
      now: this.deps.clock.now(),
      experimentId: id,
      projectId: access.projectId,
      active: runHolder(this.deps.control.current, id, this.deps.clock.now()) !== undefined,
    });
    const resumed = this.required(access.projectId, id);
    // Read the progress so far before launching: the run's own tally starts at zero until it has loaded it.
    const before = await this.snapshot(resumed);
    const launched = await this.launch(resumed, access);
    return { ...before, active: launched };
  }

  /** @throws ExperimentNotFoundError */
  async experiment(projectId: string, id: string): Promise<ExperimentSnapshot> {
    return this.snapshot(this.required(projectId, id));
  }

  /** The project's newest experiments first. */
  async experiments(projectId: string, first: number): Promise<ExperimentSnapshot[]> {
    const states = [...this.deps.control.current.experiments.values()]
      .filter((e) => e.projectId === projectId)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, first);
    return Promise.all(states.map((s) => this.snapshot(s)));
  }

  /** The originals beside each configuration's replays, from what is recorded so far. */
  async comparison(
    projectId: string,
    id: string,
  ): Promise<{ rows: ComparisonRow[]; configurations: readonly ExperimentConfiguration[] }> {
    const { configurations } = this.required(projectId, id);
    const [metrics, pairs] = await Promise.all([
      this.deps.store.metrics(projectId, id),
      this.deps.store.outputs(projectId, id, MAX_COMPARED_PAIRS),
    ]);
    const rows = comparisonOf(
      configurations.map((c) => c.configurationId),
      metrics,
      pairs,
    );
    return { rows, configurations };
  }

  /** Replays recorded so far, newest first. */
  async replays(projectId: string, id: string, first: number): Promise<ItemResult[]> {
    this.required(projectId, id);
    return this.deps.store.results(projectId, id, first);
  }

  /** The experiment now, then as it changes (at most 4 times a second), until it ends. */
  async *watch(projectId: string, id: string): AsyncGenerator<ExperimentSnapshot> {
    let snapshot = await this.experiment(projectId, id);
    yield snapshot;
    while (snapshot.state.status === 'running') {
      await this.nextChange(id);
      snapshot = await this.experiment(projectId, id);
      yield snapshot;
    }
  }

  /**
   * Resume what was running when its process stopped: now, and then every lease period, for the
   * runs whose process died without letting go (their lease lapses).
   */
  async resumeUnfinished(): Promise<void> {
    this.sweep ??= setInterval(
      () => void this.resumeUnfinished().catch(() => undefined),
      RUN_LEASE_MS,
    ).unref();
    const now = this.deps.clock.now();
    const running = [...this.deps.control.current.experiments.values()].filter(
      (e) =>
        e.status === 'running' &&
        !this.active.has(e.experimentId) &&
        !runHolder(this.deps.control.current, e.experimentId, now),
    );
    for (const e of running) {
      if (await this.launch(e, { projectId: e.projectId, role: 'member' }))
        this.logger.log(`going on with experiment ${e.experimentId} from its checkpoint`);
    }
  }

  /** Stop every run (in-flight replays end and are written), leaving them running in the record, their leases let go. */
  async stopAll(): Promise<void> {
    clearInterval(this.sweep);
    const runs = [...this.active.entries()];
    runs.forEach(([, r]) => r.controller.abort());
    await Promise.all(runs.map(([, r]) => r.done));
    await Promise.all(runs.map(([id]) => this.claim(id, 0).catch(() => false)));
  }

  /**
   * Take or renew the lease on experiment `id`'s run for `leaseMs` (0 lets it go). False when another
   * process holds it, or it is no longer running.
   */
  private claim(id: string, leaseMs = RUN_LEASE_MS): Promise<boolean> {
    const now = this.deps.clock.now();
    return claimRun(this.deps.control, { experimentId: id, runnerId: this.runnerId, now, leaseMs });
  }

  private async plan(projectId: string, id: string, request: ExperimentRequest): Promise<PlannedRun> {
    const max = this.deps.maxItems ?? DEFAULT_MAX_ITEMS;
    const filter = compileFilter(projectId, request.filter as Filter, 'generations');
    const matched = await this.deps.store.matches(
      id,
      filter,
      sampleOf(request.sample),
      max + 1,
      !asksForReplays(request.filter as Filter),
    );
    if (matched.length > max)
      throw new InvalidInputError(
        `The filter matches more than ${max} generations: narrow it or sample`,
        'too_many_generations',
        'filter',
      );
    const requests = new Map<string, GenerationRequested>();
    for (let i = 0; i < matched.length; i += REQUEST_CHUNK) {
      const spans = matched.slice(i, i + REQUEST_CHUNK).map((m) => ({ projectId, spanId: m.generationId }));
      for (const r of await this.deps.archive.findRequests(spans)) requests.set(r.spanId, r);
    }
    const configurations = configured(request.configurations);
    const models = await this.checkModelFeatures(projectId, requests, configurations);
    return planRun(
      this.deps.pricing,
      projectId,
      matched,
      requests,
      configurations,
      this.deps.clock.now(),
      (r, c) => models.get(`${c.configurationId}\0${kindOf(r)}`),
    );
  }

  /**
   * Refuses, before anything is sent, a configuration whose model lacks a feature (tools,
   * structured output) that matched requests use, or whose prompt override cannot be applied: else
   * every such replay would fail on its own. Checked once per kind of request (model, features,
   * prompt version), not per request.
   * @returns the model each configuration replays each kind on, by `<configuration id>\0<kind>`
   * @throws InvalidInputError naming the configuration, the model and the feature, param
   *   `configurations.<i>`; NotFoundError for a prompt override that does not exist;
   *   UnknownModelError `model_not_found` naming the configuration, with the catalog's closest models
   */
  private async checkModelFeatures(
    projectId: string,
    requests: ReadonlyMap<string, GenerationRequested>,
    configurations: readonly ExperimentConfiguration[],
  ): Promise<Map<string, string>> {
    const models = new Map<string, string>();
    const kinds = new Map<string, { request: GenerationRequested; count: number }>();
    for (const request of requests.values()) {
      const key = kindOf(request);
      const kind = kinds.get(key);
      if (kind) kind.count++;
      else kinds.set(key, { request, count: 1 });
    }
    for (const [i, configuration] of configurations.entries()) {
      checkConfiguration(configuration, i);
      let refused: { error: InvalidInputError; count: number } | undefined;
      for (const [kind, { request, count }] of kinds.entries()) {
        try {
          models.set(
            `${configuration.configurationId}\0${kind}`,
            await this.deps.replayer.checkModelFeatures(projectId, request, overridesOf(configuration)),
          );
        } catch (error) {
          if (error instanceof UnknownModelError)
            throw new UnknownModelError(
              error.model,
              error.suggestions,
              `Configuration ${i + 1} (${configuration.configurationId}): ${error.message} Every replay of it would fail; nothing was sent`,
            );
          if (error instanceof NotFoundError) throw error;
          if (!(error instanceof InvalidInputError)) throw error;
          // Said for a single replay ("give them in variables"): here they go in the configuration.
          const refusal =
            error instanceof MissingVariablesError
              ? new MissingVariablesError(error.prompt, error.missing, "the configuration's variables")
              : error;
          if (!refused) refused = { error: refusal, count };
          else if (refused.error.reason === refusal.reason) refused.count += count;
        }
      }
      if (refused)
        throw new InvalidInputError(
          `Configuration ${i + 1} (${configuration.configurationId}): ${refused.error.message}. ${refused.count} of the ${requests.size} requests matched would fail; nothing was sent`,
          refused.error.reason,
          refused.error instanceof MissingVariablesError
            ? `configurations.${i}.variables`
            : `configurations.${i}`,
        );
    }
    return models;
  }

  private state(projectId: string, id: string): ExperimentState | undefined {
    const state = this.deps.control.current.experiments.get(id);
    return state?.projectId === projectId ? state : undefined;
  }

  private required(projectId: string, id: string): ExperimentState {
    const state = this.state(projectId, id);
    if (!state) throw new ExperimentNotFoundError();
    return state;
  }

  private async snapshot(state: ExperimentState): Promise<ExperimentSnapshot> {
    const active = this.active.get(state.experimentId);
    // A run just launched has not loaded what earlier runs did (no mark yet): its own tally would
    // read 0/N (the CLI's first line after --resume), so read the store until it has.
    const tally = active?.mark
      ? addTally(active.base, active.run)
      : (await this.deps.store.counts(state.projectId, state.experimentId)).reduce<Tally>(
          (sum, c) =>
            addTally(sum, {
              done: c.done,
              failed: c.failed,
              spentNanoUsd: c.spentNanoUsd,
              unpriced: c.unpriced,
            }),
          EMPTY_TALLY,
        );
    const total = state.items * state.configurations.length;
    const mark = active?.mark ?? null;
    return { state, progress: progressOf(total, tally, mark, this.deps.clock.now()), active: !!active };
  }

  /**
   * Run it here if this process wins its lease (false: another one runs it). The lease is renewed
   * while it runs; losing it (cancelled or taken over elsewhere) stops the run.
   */
  private async launch(state: ExperimentState, access: ProjectAccess): Promise<boolean> {
    if (this.active.has(state.experimentId)) return false;
    // A busy control plane: not now; the sweep tries again within a lease period.
    if (!(await this.claim(state.experimentId).catch(() => false))) return false;
    const controller = new AbortController();
    const renew = setInterval(() => {
      this.claim(state.experimentId)
        .then((held) => held || controller.abort())
        .catch(() => controller.abort());
    }, RUN_LEASE_MS / 3).unref();
    const entry: Active = {
      controller,
      done: Promise.resolve(),
      mark: null,
      base: EMPTY_TALLY,
      run: EMPTY_TALLY,
      notifiedAt: 0,
    };
    this.active.set(state.experimentId, entry);
    (entry as { done: Promise<void> }).done = this.runOnce(state, access, entry)
      .catch((error: Error) => this.end(state, { code: 'run_failed', message: error.message }))
      .catch((error: Error) => this.logger.error(`experiment ${state.experimentId}: ${error.message}`))
      .finally(() => {
        clearInterval(renew);
        this.active.delete(state.experimentId);
        this.notify(state.experimentId, true);
      });
    return true;
  }

  private async runOnce(state: ExperimentState, access: ProjectAccess, entry: Active): Promise<void> {
    const { projectId, experimentId: id } = state;
    const [pending, counts] = await Promise.all([
      this.deps.store.pending(projectId, id),
      this.deps.store.counts(projectId, id),
    ]);
    entry.base = counts.reduce<Tally>((sum, c) => addTally(sum, { ...c }), EMPTY_TALLY);
    entry.mark = { at: this.deps.clock.now(), done: entry.base.done };
    const configurations = new Map(state.configurations.map((c) => [c.configurationId, c]));
    const requests = new RequestWindow(
      this.deps.archive,
      projectId,
      pending.map((item) => item.generationId),
    );
    const run = new ExperimentRun(
      {
        replay: async (item: RunItem) =>
          this.deps.replayer.replay(
            access,
            item.generationId,
            overridesOf(configurations.get(item.configurationId)!),
            {
              tags: [`experiment:${id}`],
              metadata: { [EXPERIMENT_METADATA]: id, [CONFIGURATION_METADATA]: item.configurationId },
              recorded: await requests.get(item.generationId),
            },
          ),
        record: (results) => this.deps.store.insertResults(projectId, id, results),
        onResult: (result: ItemResult) => {
          entry.run = addTally(entry.run, {
            done: 1,
            failed: result.status === 'failed' ? 1 : 0,
            spentNanoUsd: result.costNanoUsd ?? 0n,
            unpriced: result.status !== 'failed' && result.costNanoUsd === null ? 1 : 0,
          });
          this.notify(id, false);
        },
        now: () => this.deps.clock.now(),
      },
      {
        items: pending,
        concurrency: state.concurrency,
        budgetNanoUsd: parseUsd(state.budgetUsd) ?? 0n,
        spentNanoUsd: entry.base.spentNanoUsd,
      },
    );
    const outcome: RunOutcome = await run.run(entry.controller.signal);
    if (outcome === 'finished') await this.end(state, null);
    if (outcome === 'budget') {
      const spent = addTally(entry.base, entry.run).spentNanoUsd;
      await this.end(state, {
        code: 'budget_reached',
        message: `Stopped before passing the budget of $${state.budgetUsd}: $${formatUsd(spent)} spent; the next replays would pass it`,
      });
    }
  }

  /**
   * Waits (at most {@link PROJECTION_WAIT_MS}) until the generations table holds every replay the
   * run recorded, so that the comparison read when it shows as ended counts them all.
   */
  private async projected(projectId: string, id: string): Promise<void> {
    const until = Date.now() + PROJECTION_WAIT_MS;
    while ((await this.deps.store.unprojected(projectId, id)) > 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, PROJECTION_POLL_MS));
  }

  private async end(state: ExperimentState, error: ExperimentState['error']): Promise<void> {
    await this.projected(state.projectId, state.experimentId).catch(() => undefined);
    await decideAndAppend(this.deps.control, {
      type: 'end-experiment',
      actor: SYSTEM,
      now: this.deps.clock.now(),
      experimentId: state.experimentId,
      projectId: state.projectId,
      error,
    });
  }

  private notify(id: string, force: boolean): void {
    const entry = this.active.get(id);
    const now = Date.now();
    if (!force && entry && now - entry.notifiedAt < NOTIFY_EVERY_MS) return;
    if (entry) entry.notifiedAt = now;
    this.listeners.forEach((listener) => listener(id));
  }

  private nextChange(id: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve();
      }, WATCH_POLL_MS);
      const off = this.onChange((changed) => {
        if (changed !== id) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  private onChange(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Whether a filter explicitly selects replays: source `replay`, an experiment's tag or metadata.
 * Otherwise a bulk replay takes originals only, so running it again never replays its own replays.
 */
export function asksForReplays(filter: Filter): boolean {
  return (
    !!filter.sources?.includes('replay') ||
    !!filter.tags?.some((t) => t.startsWith('experiment:')) ||
    !!filter.metadata?.some((m) => m.key === EXPERIMENT_METADATA)
  );
}

/** What decides whether a configuration can replay a request: its model, features and prompt version. */
function kindOf({ data }: GenerationRequested): string {
  const format = (data.responseFormat as { type?: unknown } | null | undefined)?.type;
  return JSON.stringify([
    data.model,
    !!data.tools?.length,
    format === 'json_schema',
    data.metadata['prompt.name'] ?? '',
    data.metadata['prompt.version'] ?? '',
  ]);
}

/** A configuration's overrides as a single replay checks them, the refusal naming the configuration. */
function checkConfiguration(configuration: ExperimentConfiguration, i: number): void {
  try {
    checkOverrides(overridesOf(configuration));
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(
      `Configuration ${i + 1} (${configuration.configurationId}): ${error.message}; nothing was sent`,
      error.reason,
      `configurations.${i}${error.param ? error.param.replace(/^overrides/, '') : ''}`,
    );
  }
}

/** Configurations get ids `c1`, `c2`... in the order given. */
function configured(
  configurations: readonly Omit<ExperimentConfiguration, 'configurationId'>[],
): ExperimentConfiguration[] {
  return configurations.map((c, i) => ({ ...c, configurationId: `c${i + 1}` }));
}
