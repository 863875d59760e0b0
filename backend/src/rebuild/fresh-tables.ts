import { renameTables, type ClickHouse } from '../clickhouse/clickhouse';

const NAME = /^[a-z_][a-z0-9_]*$/;
const SUFFIX = '__rebuild';

interface TableInfo {
  readonly name: string;
  readonly engine: string;
  readonly create_table_query: string;
}

/**
 * Empty twins of a read model's tables (`<table>__rebuild`, same columns, engine, TTL and
 * settings) for a rebuild to fill, then swap in. A materialized view gets a twin reading and
 * writing the twins, so rollups are rebuilt with their source; the views themselves are not
 * swapped: they name their tables, so after the swap the live ones feed the new tables.
 * Table names come from the read-model registry, never from a caller; they are checked anyway
 * since DDL cannot bind identifiers.
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
    const [tables, views] = await this.kinds();
    for (const { name } of tables) await this.ch.command(`CREATE TABLE ${this.names.get(name)} AS ${name}`);
    for (const view of views) await this.ch.command(renameTables(this.unqualified(view), this.names));
  }

  /** The live tables, then the materialized views, as they are now. */
  private async kinds(): Promise<[TableInfo[], TableInfo[]]> {
    const infos = await this.ch.query<TableInfo>(
      `SELECT name, engine, create_table_query FROM system.tables
       WHERE database = currentDatabase() AND name IN {names:Array(String)}`,
      { names: [...this.names.keys()] },
    );
    const isView = (t: TableInfo) => t.engine === 'MaterializedView';
    const inOrder = [...this.names.keys()].flatMap((name) => infos.filter((t) => t.name === name));
    return [inOrder.filter((t) => !isView(t)), inOrder.filter(isView)];
  }

  /** A view's DDL names tables `<database>.<table>`: the names alone, to rename them. */
  private unqualified(view: TableInfo): string {
    const database = /^CREATE MATERIALIZED VIEW ([A-Za-z0-9_]+)\./.exec(view.create_table_query)?.[1];
    return database ? view.create_table_query.replaceAll(`${database}.`, '') : view.create_table_query;
  }

  /**
   * Every twin takes its live table's name and the other way round, all in one statement
   * (`EXCHANGE TABLES`, atomic on ClickHouse's Atomic databases and on chDB): readers see the old
   * tables or the new ones, never a mix, and writers go on into the new ones.
   */
  async swapIn(): Promise<void> {
    const [tables] = await this.kinds();
    const pairs = tables.map(({ name }) => `${name} AND ${this.names.get(name)}`);
    await this.ch.command(`EXCHANGE TABLES ${pairs.join(', ')}`);
  }

  /** Drops the twins: the half-built tables of a cancelled rebuild, or the old ones after a swap. */
  async drop(): Promise<void> {
    // Views first: a twin view left without its tables would fail every insert into them.
    const fresh = [...this.names.values()].reverse();
    for (const name of fresh) await this.ch.command(`DROP TABLE IF EXISTS ${name} SYNC`);
  }
}
