import type { DataTombstone } from '@sightline/schemas';
import type { ClickHouse } from '../clickhouse/clickhouse';
import type { ControlState } from '../control/control-state';
import type { Projection } from './projection';

/** A log topic the projector consumes, and how its records become events. */
export interface Source<T> {
  readonly topic: string;
  /** The projector's consumer group on it. Renaming it means projecting the topic again from the start. */
  readonly group: string;
  decode(bytes: Buffer): T;
  /** Whether to project an event at all (e.g. not once its data was deleted). Default: yes. */
  keep?(event: T, control: ControlState): boolean;
}

/** Rows to delete for one tombstone: `where` may use `{target:String}`; `project_id` is always bound. */
export interface PurgeRule {
  readonly table: string;
  readonly where: string;
}

/** How a read model is refilled from scratch. */
export type Rebuild =
  /** Truncate its tables, then project its source topic again from offset 0 under a fresh group. */
  | { readonly from: 'log' }
  /** It is a record in its own right (it outlives the log's retention or compaction): never rebuilt. */
  | { readonly from: 'nothing'; readonly why: string };

/**
 * Everything about one read model, declared once. The projector, the purger, the tests and the
 * benchmark read these from the registry (`read-models.ts`).
 */
export interface ReadModel<T> {
  readonly name: string;
  readonly source: Source<T>;
  /** The ClickHouse tables it owns; every table of the migrations has exactly one owner. */
  readonly tables: readonly string[];
  /** Read models it reads while projecting: they take each batch before it, from the same source. */
  readonly dependsOn: readonly string[];
  /** Its writer, fed by the projector; null when a command writes its tables instead (restatements). */
  readonly projection: ((ch: ClickHouse) => Projection<T>) | null;
  /** Per deletion scope, the rows a tombstone removes; an empty list says it holds no such data. */
  readonly purge: Readonly<Record<DataTombstone['scope'], readonly PurgeRule[]>>;
  readonly rebuild: Rebuild;
}
