export * from './envelope';
export * from './events/generation';
export * from './events/control';
export * from './registry';
export * from './validation';
export * from './normalise';
export * from './ids';
export * from './roles';
export { CLICKHOUSE_MIGRATIONS_DIR, GRAPHQL_SCHEMA_DIR } from './paths';
