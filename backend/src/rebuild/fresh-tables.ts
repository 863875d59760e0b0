import type { ClickHouse } from '../clickhouse/clickhouse';

const NAME = /^[a-z_][a-z0-9_]*$/;
const SUFFIX = '__rebuild';

/**
 * Empty twins of a read model's tables (`<table>__rebuild`, same columns, engine, TTL and
 * settings) for a rebuild to fill, then swap in. Table names come from the read-model registry,
 * never from a caller; they are checked anyway since DDL cannot bind identifiers.
 */
export class FreshTables {
  /** Live table → its fresh twin. */
  readonly names: ReadonlyMap<string, string>;

  constructor(
    private readonly ch: ClickHouse,
    tables: readonly string[],
  ) {
    for (const table of tables) if (!NAME.test(table)) throw new Error(`not a table name: ${table}`);
    this.names = new Map(tables.map((table) => [table, `${table}${SUFFIX}`]));
  }

  /** Creates the twins empty, dropping what an earlier, interrupted rebuild left. */
  async create(): Promise<void> {
    await this.drop();
    for (const [live, fresh] of this.names) await this.ch.command(`CREATE TABLE ${fresh} AS ${live}`);
  }

  /**
   * Every twin takes its live table's name and the other way round, all in one statement
   * (`EXCHANGE TABLES`, atomic on ClickHouse's Atomic databases and on chDB): readers see the old
   * tables or the new ones, never a mix, and writers go on into the new ones.
   */
  async swapIn(): Promise<void> {
    const pairs = [...this.names].map(([live, fresh]) => `${live} AND ${fresh}`);
    await this.ch.command(`EXCHANGE TABLES ${pairs.join(', ')}`);
  }

  /** Drops the twins: the half-built tables of a cancelled rebuild, or the old ones after a swap. */
  async drop(): Promise<void> {
    for (const fresh of this.names.values()) await this.ch.command(`DROP TABLE IF EXISTS ${fresh} SYNC`);
  }
}
