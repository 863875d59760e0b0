import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { ClickHouse } from './clickhouse';
import { loadMigrations, migrate, MigrationError } from './migrator';

describe('ClickHouse migrations (chDB)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-ch-'));
  let ch: ClickHouse;
  beforeAll(() => {
    ch = ClickHouse.connect({ database: 'default', dataDir });
  });
  afterAll(() => ch.close());

  it('applies the shipped migrations once and records them', async () => {
    const migrations = loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
    // Numbers are reserved per change, so gaps are fine; the order is strict.
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect((await migrate(ch, migrations)).length).toBe(migrations.length);
    expect(await migrate(ch, migrations)).toEqual([]);
    const recorded = await ch.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(recorded.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
    const tables = await ch.query<{ name: string }>(
      'SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}',
      { names: ['events', 'generations'] },
    );
    expect(tables.map((t) => t.name).sort()).toEqual(['events', 'generations']);
  });

  it('refuses an applied migration that was edited afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-mig-'));
    writeFileSync(
      join(dir, '9001_t.sql'),
      'CREATE TABLE IF NOT EXISTS edited_t (a UInt8) ENGINE = Memory;\n',
    );
    await migrate(ch, loadMigrations(dir));
    writeFileSync(
      join(dir, '9001_t.sql'),
      'CREATE TABLE IF NOT EXISTS edited_t (a UInt16) ENGINE = Memory;\n',
    );
    await expect(migrate(ch, loadMigrations(dir))).rejects.toBeInstanceOf(MigrationError);
  });
});
