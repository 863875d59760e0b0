import { join } from 'node:path';

/** Numbered ClickHouse migrations, applied in order at start (same path from src/ and dist/). */
export const CLICKHOUSE_MIGRATIONS_DIR = join(__dirname, '..', 'clickhouse');

/** The GraphQL contract: every `*.graphql` file here. */
export const GRAPHQL_SCHEMA_DIR = join(__dirname, '..', 'graphql');
