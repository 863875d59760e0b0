import type { SightlineEvent } from '@sightline/schemas';
import { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { isDataRefusal } from '../clickhouse/refusal';
import type { ControlPlane } from '../control/control-plane';
import type { EventLog } from '../eventlog/event-log';
import { applyStages } from '../eventlog/stages';
import type { ReadModel } from '../projector/read-model';
import { READ_MODELS } from '../projector/read-models';
import { LLM_EVENTS } from '../projector/sources';
import { isExpired } from '../retention/retention';
import { FreshTables } from './fresh-tables';
import { archiveReplay, logReplay, type Replay } from './replay-sources';

/** Where a rebuild reads its events: the log from its first offset, or the `events` archive. */
export type RebuildFrom = 'log' | 'archive';

/** A rebuild that cannot be done: an unknown read model, one never rebuilt, or no archive of its source. */
export class RebuildRefusedError extends Error {
  override readonly name = 'RebuildRefusedError';
}

/** Events (log records or archive rows) read so far, of `total`. */
export interface RebuildProgress {
  readonly done: number;
  readonly total: number;
}

export type RebuildOutcome = 'swapped' | 'cancelled';

/** The read model of that name, if it can be rebuilt from there; throws RebuildRefusedError otherwise. */
export function rebuildable(name: string, from: RebuildFrom): ReadModel<unknown> {
  const model = READ_MODELS.find((m) => m.name === name);
  if (!model) {
    throw new RebuildRefusedError(
      `no read model ${name}; one of: ${READ_MODELS.map((m) => m.name).join(', ')}`,
    );
  }
  if (model.rebuild.from === 'nothing' || !model.projection) {
    throw new RebuildRefusedError(
      `${name} is never rebuilt: ${model.rebuild.from === 'nothing' ? model.rebuild.why : 'no projection'}`,
    );
  }
  if (from === 'archive' && model.source !== LLM_EVENTS) {
    throw new RebuildRefusedError(
      `${name} is fed by ${model.source.topic}, which the events archive does not keep`,
    );
  }
  return model;
}

/**
 * Rebuilds one read model into fresh tables from the log or the archive, then swaps them in with
 * one `EXCHANGE TABLES`. The read models it depends on are read as they are. Deleted data and
 * events past their project's retention are left out: a rebuild never brings them back. Cancelled (the
 * signal) or failed, it drops the fresh tables and leaves the live ones untouched.
 *
 * Events a projector running meanwhile projects into the live tables after the replay's start are
 * not in the rebuilt ones: run it with the projector stopped (embedded mode has to: a chDB folder
 * belongs to one process).
 */
export class Rebuilder {
  constructor(
    private readonly log: EventLog,
    private readonly ch: ClickHouse,
    private readonly control: ControlPlane,
    private readonly options: { readonly batchSize?: number; readonly now?: () => Date } = {},
  ) {}

  /** The source's own filter (deleted data), and LLM events past their project's retention. */
  private keep(model: ReadModel<unknown>, now: Date): (event: unknown) => boolean {
    const state = this.control.current;
    return (event) => {
      if (!(model.source.keep?.(event, state) ?? true)) return false;
      if (model.source !== LLM_EVENTS) return true;
      const { projectId, occurredAt } = event as SightlineEvent;
      return !isExpired(state, projectId, occurredAt, now);
    };
  }

  async rebuild(
    model: ReadModel<unknown>,
    from: RebuildFrom,
    signal: AbortSignal,
    onProgress: (progress: RebuildProgress) => void = () => {},
  ): Promise<RebuildOutcome> {
    const replay = await this.replay(model, from);
    const fresh = new FreshTables(this.ch, model.tables);
    const projection = model.projection!(this.ch.redirected(fresh.names));
    await fresh.create();
    try {
      const keep = this.keep(model, this.options.now?.() ?? new Date());
      onProgress({ done: 0, total: replay.total });
      for await (const batch of replay.batches) {
        if (signal.aborted) return 'cancelled';
        const events = batch.events.filter(keep);
        // What a projection refuses was dead-lettered when it was first projected: left out here too.
        await applyStages([projection], { events, dedupToken: `rebuild:${batch.token}` }, isDataRefusal);
        onProgress({ done: batch.done, total: replay.total });
      }
      if (signal.aborted) return 'cancelled';
      await fresh.swapIn();
      return 'swapped';
    } finally {
      await fresh.drop();
    }
  }

  private async replay(model: ReadModel<unknown>, from: RebuildFrom): Promise<Replay<unknown>> {
    const batchSize = this.options.batchSize ?? 5000;
    if (from === 'log') {
      return logReplay(this.log, model.source.topic, (bytes) => model.source.decode(bytes), batchSize);
    }
    const replay: Replay<SightlineEvent> = await archiveReplay(new EventArchive(this.ch), batchSize);
    return replay;
  }
}
