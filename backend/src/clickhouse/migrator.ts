import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { ClickHouse, type ClickHouseOptions } from './clickhouse';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
  readonly checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** `NNNN_name.sql` files, in order; statements separated by a `;` at the end of a line. */
export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort()
    .map((file) => {
      const [, version, name] = FILE.exec(file)!;
      const text = readFileSync(join(dir, file), 'utf8');
      const statements = text
        .split(/;\s*$/m)
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter(Boolean);
      return {
        version: Number(version),
        name,
        statements,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/** Apply what has not run yet and record it; refuse if an applied migration was edited. */
export async function migrate(ch: ClickHouse, migrations: readonly Migration[]): Promise<Migration[]> {
  await ch.command(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`);
  const applied = new Map(
    (
      await ch.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')
    ).map((r) => [Number(r.version), r.checksum]),
  );
  const ran: Migration[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new MigrationError(
          `migration ${migration.version}_${migration.name} changed after it was applied`,
        );
      }
      continue;
    }
    for (const statement of migration.statements) await ch.command(statement);
    await ch.insert('schema_migrations', [
      { version: migration.version, name: migration.name, checksum: migration.checksum },
    ]);
    ran.push(migration);
  }
  return ran;
}

/** Connect and bring the schema up to date with the shipped migrations: what every process does first. */
export async function openClickHouse(
  options: ClickHouseOptions,
): Promise<{ ch: ClickHouse; ran: Migration[] }> {
  const ch = ClickHouse.connect(options);
  return { ch, ran: await migrate(ch, loadMigrations(CLICKHOUSE_MIGRATIONS_DIR)) };
}
