import type { INestApplication } from '@nestjs/common';
import { GRAPHQL_SCHEMA_DIR } from '@sightline/schemas';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every root field of the GraphQL contract: `Query.project`, `Mutation.createApiKey`, ... */
export function schemaRootFields(): string[] {
  const files = readdirSync(GRAPHQL_SCHEMA_DIR).filter((f) => f.endsWith('.graphql'));
  if (!files.length) throw new Error(`no *.graphql under ${GRAPHQL_SCHEMA_DIR}`);
  const schema = buildSchema(files.map((f) => readFileSync(join(GRAPHQL_SCHEMA_DIR, f), 'utf8')).join('\n'));
  const roots: (GraphQLObjectType | null | undefined)[] = [
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ];
  return roots.flatMap((type) => (type ? Object.keys(type.getFields()).map((f) => `${type.name}.${f}`) : []));
}

/** Middleware that only parses bodies: mounted on a path, but no endpoint of its own. */
/** Middleware in front of endpoints (body parsing, its errors, rate limits): not endpoints themselves. */
const MIDDLEWARE = new Set([
  'jsonParser',
  'urlencodedParser',
  'rawParser',
  'textParser',
  'jsonBodyError',
  'apiRateLimiter',
]);

interface Layer {
  readonly name?: string;
  readonly rawPath?: unknown;
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/**
 * Every HTTP endpoint of the running app, from Express 5's router: routes as `GET /auth/session`,
 * and handlers mounted with `app.use(path, ...)` (Apollo's `/graphql`) as `* /graphql`.
 * Nested routers are walked. Middleware mounted at `/` (Nest's hooks, error handlers) is not an endpoint.
 */
export function httpEndpoints(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: readonly Layer[] } };
  const found = new Set<string>();
  const walk = (stack: readonly Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${String(layer.route.path)}`;
        Object.keys(layer.route.methods)
          .filter((m) => layer.route!.methods[m] && m !== '_all')
          .forEach((m) => found.add(`${m.toUpperCase()} ${path}`));
        if (layer.route.methods._all) found.add(`* ${path}`);
        continue;
      }
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      if (layer.handle?.stack) {
        walk(layer.handle.stack, mount === '/' ? prefix : `${prefix}${mount}`);
        continue;
      }
      if (mount !== '/' && !MIDDLEWARE.has(layer.name ?? '')) found.add(`* ${prefix}${mount}`);
    }
  };
  walk(express.router.stack, '');
  return [...found].sort();
}

/** Whether a row's `POST /graphql` exercises the endpoint `* /graphql` (or `POST /graphql`). */
export function covers(rowKey: string, endpoint: string): boolean {
  const [rowMethod, rowPath] = rowKey.split(' ');
  const [method, path] = endpoint.split(' ');
  return rowPath === path && (method === '*' || method === rowMethod);
}
