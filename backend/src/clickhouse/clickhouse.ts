import { createClient, parseError, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ClickHouseOptions {
  /** ClickHouse server URL; unset → chDB in this process under `dataDir`. */
  readonly url?: string;
  readonly database: string;
  readonly username?: string;
  readonly password?: string;
  readonly dataDir: string;
}

type ChdbAsClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

/** chDB's own insert of a ready payload (`connection.chdb.rawInsert`): no SQL text built around it. */
type RawInsert = (insert: {
  table: string;
  values: Buffer;
  format: 'JSONEachRow';
  settings: RawInsertSettings;
}) => Promise<unknown>;
type RawInsertSettings = Record<string, string | number>;

/** chDB's insert errors carry ClickHouse's message; parsed, they get the client's `type` (see `isDataRefusal`). */
function asClickHouseError(error: unknown): Error {
  const parsed = parseError((error as Error).message ?? String(error));
  parsed.cause = error;
  return parsed;
}

/**
 * Rows for JSONEachRow, which also reads a JSON array of rows: one `JSON.stringify` of the whole
 * block costs under half of one per row joined by newlines.
 */
const jsonRows = (rows: readonly object[]): Buffer => Buffer.from(JSON.stringify(rows));

export type QueryParams = Record<string, unknown>;

/**
 * `sql` with the tables of `renames` renamed where it names a table (after FROM, JOIN, INTO, TABLE,
 * VIEW or TO); a column or alias of the same name is left alone.
 */
export function renameTables(sql: string, renames: ReadonlyMap<string, string>): string {
  return sql.replace(
    /\b(FROM|JOIN|INTO|TABLE|VIEW|TO)(\s+)([A-Za-z_][A-Za-z0-9_]*)\b/gi,
    (whole, keyword, space, name) => (renames.has(name) ? `${keyword}${space}${renames.get(name)}` : whole),
  );
}

/**
 * The one door to ClickHouse. Values always travel as `{name:Type}` parameters, never in SQL text.
 * Same SQL against a server or against chDB.
 */
export class ClickHouse {
  private constructor(
    private readonly client: ClickHouseClient,
    private readonly tables: ReadonlyMap<string, string> = new Map(),
    /** On chDB: inserts skip the client, whose SQL-text path copies each block twice more. */
    private readonly rawInsert?: RawInsert,
  ) {}

  /**
   * The same connection, with reads and writes of the named tables going to others instead (a
   * rebuild projecting into fresh tables): in `insert`, and in SQL as `renameTables` does.
   */
  redirected(tables: ReadonlyMap<string, string>): ClickHouse {
    return new ClickHouse(this.client, tables, this.rawInsert);
  }

  private sql(sql: string): string {
    return this.tables.size ? renameTables(sql, this.tables) : sql;
  }

  static connect(options: ClickHouseOptions): ClickHouse {
    if (options.url) {
      return new ClickHouse(
        createClient({
          url: options.url,
          database: options.database,
          username: options.username,
          password: options.password,
        }),
      );
    }
    const path = join(options.dataDir, 'chdb');
    mkdirSync(path, { recursive: true });
    // chdb ships the same Connection interface, typed against its own copy of client-common.
    const connection = createChdbConnection({ path });
    return new ClickHouse(
      createClient({ connection: connection as unknown as ChdbAsClientConnection }),
      new Map(),
      (insert) =>
        connection.chdb.rawInsert(insert).catch((error: unknown) => Promise.reject(asClickHouseError(error))),
    );
  }

  async query<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.client.query({
      query: this.sql(sql),
      query_params: params,
      format: 'JSONEachRow',
    });
    return result.json<T>();
  }

  async command(sql: string, params: QueryParams = {}, settings: ClickHouseSettings = {}): Promise<void> {
    await this.client.command({ query: this.sql(sql), query_params: params, clickhouse_settings: settings });
  }

  /**
   * Insert rows as one block. With a `dedupToken`, inserting the same block again is a no-op
   * (tables keep a `non_replicated_deduplication_window`).
   */
  async insert(table: string, rows: readonly object[], dedupToken?: string): Promise<void> {
    if (!rows.length) return;
    const target = this.tables.get(table) ?? table;
    const settings: ClickHouseSettings & RawInsertSettings = {
      date_time_input_format: 'best_effort',
      // An object given for a String column is stored as its JSON text (the archive's `data`).
      input_format_json_read_objects_as_strings: 1,
      // Always set: the client's SETs stay on chDB's session, so a token must not leak into later inserts.
      insert_deduplication_token: dedupToken ? `${dedupToken}:${table}` : '',
      // A retried block is dropped in the views it feeds too (rollups), not only in its table.
      deduplicate_blocks_in_dependent_materialized_views: 1,
    };
    if (this.rawInsert) {
      await this.rawInsert({ table: target, values: jsonRows(rows), format: 'JSONEachRow', settings });
      return;
    }
    await this.client.insert({
      table: target,
      values: rows as object[],
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
