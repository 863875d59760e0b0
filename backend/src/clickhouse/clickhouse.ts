import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
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
  ) {}

  /**
   * The same connection, with reads and writes of the named tables going to others instead (a
   * rebuild projecting into fresh tables): in `insert`, and in SQL as `renameTables` does.
   */
  redirected(tables: ReadonlyMap<string, string>): ClickHouse {
    return new ClickHouse(this.client, tables);
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
    const connection = createChdbConnection({ path }) as unknown as ChdbAsClientConnection;
    return new ClickHouse(createClient({ connection }));
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
    await this.client.insert({
      table: this.tables.get(table) ?? table,
      values: rows as object[],
      format: 'JSONEachRow',
      clickhouse_settings: {
        date_time_input_format: 'best_effort',
        // Always set: chDB keeps per-query settings on its session, so a token must not leak into later inserts.
        insert_deduplication_token: dedupToken ? `${dedupToken}:${table}` : '',
        // A retried block is dropped in the views it feeds too (rollups), not only in its table.
        deduplicate_blocks_in_dependent_materialized_views: 1,
      },
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
