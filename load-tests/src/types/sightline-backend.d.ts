/**
 * The few backend modules the load tests use, as built in `backend/dist` (the backend build emits no
 * declarations). Loaded at runtime from `@sightline/backend/dist/...` (the workspace link to
 * `backend/`); these declarations mirror `backend/src` and cover only what the scenarios call.
 */

declare module '@sightline/backend/dist/providers/testing/fake-openai-server' {
  export interface FakeOpenAiServerOptions {
    readonly port?: number;
    readonly host?: string;
    readonly tokenIntervalMs?: number;
    readonly apiKey?: string;
  }
  export interface FakeOpenAiServer {
    /** Base URL including `/v1`. */
    readonly url: string;
    readonly port: number;
    /** Every request received (the bench clears it between rounds). */
    readonly requests: unknown[];
    close(): Promise<void>;
  }
  export function startFakeOpenAiServer(options?: FakeOpenAiServerOptions): Promise<FakeOpenAiServer>;
}

declare module '@sightline/backend/dist/eventlog/event-log' {
  export interface TopicSpec {
    readonly name: string;
    readonly partitions: number;
    readonly compacted?: boolean;
    readonly retentionMs?: number;
  }
  export interface AppendRecord {
    readonly key: string;
    readonly value: Buffer;
  }
  export interface EventLog {
    ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
    append(topic: string, records: readonly AppendRecord[]): Promise<void>;
    endOffsets(topic: string): Promise<number[]>;
    close(): Promise<void>;
  }
}

declare module '@sightline/backend/dist/eventlog/lmdb/lmdb-event-log' {
  import type { AppendRecord, EventLog, TopicSpec } from '@sightline/backend/dist/eventlog/event-log';
  export class LmdbEventLog implements EventLog {
    static open(path: string): LmdbEventLog;
    ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
    append(topic: string, records: readonly AppendRecord[]): Promise<void>;
    endOffsets(topic: string): Promise<number[]>;
    close(): Promise<void>;
  }
}

declare module '@sightline/backend/dist/eventlog/topics' {
  import type { TopicSpec } from '@sightline/backend/dist/eventlog/event-log';
  export const TOPICS: {
    readonly llm: 'sightline.llm-events';
    readonly control: 'sightline.control';
    readonly deadLetter: 'sightline.dead-letter';
  };
  export function topicSpecs(llmPartitions: number): TopicSpec[];
}

declare module '@sightline/backend/dist/clickhouse/clickhouse' {
  export interface ClickHouseOptions {
    readonly url?: string;
    readonly database: string;
    readonly username?: string;
    readonly password?: string;
    readonly dataDir: string;
  }
  export type QueryParams = Record<string, unknown>;
  export class ClickHouse {
    static connect(options: ClickHouseOptions): ClickHouse;
    query<T>(sql: string, params?: QueryParams): Promise<T[]>;
    command(sql: string, params?: QueryParams): Promise<void>;
    insert(table: string, rows: readonly object[], dedupToken?: string): Promise<void>;
    close(): Promise<void>;
  }
}

declare module '@sightline/backend/dist/clickhouse/migrator' {
  import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
  export interface Migration {
    readonly version: number;
    readonly name: string;
  }
  export function loadMigrations(dir: string): Migration[];
  export function migrate(ch: ClickHouse, migrations: readonly Migration[]): Promise<Migration[]>;
}

declare module '@sightline/backend/dist/projector/projection' {
  import type { SightlineEvent } from '@sightline/schemas';
  export interface EventBatch {
    readonly events: readonly SightlineEvent[];
    readonly dedupToken: string;
  }
  export interface Projection {
    readonly name: string;
    apply(batch: EventBatch): Promise<void>;
  }
}

declare module '@sightline/backend/dist/archive/archive.projection' {
  import type { SightlineEvent } from '@sightline/schemas';
  import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
  import type { EventBatch, Projection } from '@sightline/backend/dist/projector/projection';
  export function toArchiveRow(event: SightlineEvent): object;
  export class ArchiveProjection implements Projection {
    readonly name: string;
    constructor(ch: ClickHouse);
    apply(batch: EventBatch): Promise<void>;
  }
}

declare module '@sightline/backend/dist/archive/event-archive' {
  import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
  export class EventArchive {
    constructor(ch: ClickHouse);
  }
}

declare module '@sightline/backend/dist/generations/generations.projection' {
  import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
  import type { EventArchive } from '@sightline/backend/dist/archive/event-archive';
  import type { EventBatch, Projection } from '@sightline/backend/dist/projector/projection';
  export class GenerationsProjection implements Projection {
    readonly name: string;
    constructor(ch: ClickHouse, archive: EventArchive);
    apply(batch: EventBatch): Promise<void>;
  }
}

declare module '@sightline/backend/dist/generations/pair-generations' {
  import type { GenerationRequested, SightlineEvent } from '@sightline/schemas';
  export function requestsBySpan(events: readonly SightlineEvent[]): Map<string, GenerationRequested>;
  export function generationRows(
    events: readonly SightlineEvent[],
    requests: ReadonlyMap<string, GenerationRequested>,
  ): object[];
}

declare module '@sightline/backend/dist/projector/projector.service' {
  import type { EventLog } from '@sightline/backend/dist/eventlog/event-log';
  import type { Projection } from '@sightline/backend/dist/projector/projection';
  export const PROJECTOR_GROUP: string;
  export class ProjectorService {
    constructor(log: EventLog, projections: readonly Projection[]);
    readonly batchesApplied: number;
    onApplicationBootstrap(): Promise<void>;
    onModuleDestroy(): Promise<void>;
  }
}

declare module '@sightline/backend/dist/testing/events' {
  import type { SightlineEvent } from '@sightline/schemas';
  export function generationEvents(
    projectId: string,
    overrides?: { model?: string; startedAt?: Date; output?: string },
  ): [SightlineEvent, SightlineEvent];
}
