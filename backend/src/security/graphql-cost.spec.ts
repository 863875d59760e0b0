import { GRAPHQL_SCHEMA_DIR } from '@sightline/schemas';
import { buildSchema, parse } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationCost, type CostVerdict } from './graphql-cost';
import { DEFAULT_GRAPHQL_LIMITS } from './graphql-limits';

const schema = buildSchema(`
  type Query {
    items(first: Int = 10, last: Int, after: String): ItemConnection!
    hello: String
  }
  type ItemConnection { edges: [Edge!]! }
  type Edge { node: Item! }
  type Item { id: ID! input: String }
`);

const limits = { maxCost: 5000, maxPageSize: 200 };
const PAGE = 'edges { node { id input } }';

function cost(query: string, variables: Record<string, unknown> = {}, operationName?: string): CostVerdict {
  return operationCost({ schema, document: parse(query), variables, operationName }, limits);
}

const costOf = (query: string, variables?: Record<string, unknown>, operationName?: string): number => {
  const verdict = cost(query, variables, operationName);
  if (verdict.kind === 'page_too_large') throw new Error(`page too large: ${JSON.stringify(verdict.page)}`);
  return verdict.cost;
};

describe('operationCost: the page size that will be used, whatever form it comes in', () => {
  const literal = costOf(`{ items(first: 150) { ${PAGE} } }`);

  it.each<[string, string, Record<string, unknown>]>([
    ['a variable', `query($n: Int) { items(first: $n) { ${PAGE} } }`, { n: 150 }],
    ['a non-null variable', `query($n: Int!) { items(first: $n) { ${PAGE} } }`, { n: 150 }],
    ["a variable's default", `query($n: Int = 150) { items(first: $n) { ${PAGE} } }`, {}],
    ['`last`', `query($n: Int) { items(last: $n) { ${PAGE} } }`, { n: 150 }],
    [
      'a fragment',
      `query($n: Int) { ...Page } fragment Page on Query { items(first: $n) { ${PAGE} } }`,
      { n: 150 },
    ],
    ['an inline fragment', `query($n: Int) { ... on Query { items(first: $n) { ${PAGE} } } }`, { n: 150 }],
    [
      'a fragment inside the paged field',
      `query($n: Int) { items(first: $n) { ...Edges } } fragment Edges on ItemConnection { ${PAGE} }`,
      { n: 150 },
    ],
  ])('costs %s as the literal', (_form, query, variables) => {
    expect(costOf(query, variables)).toBe(literal);
  });

  it("costs an omitted page size at the schema's default", () => {
    expect(costOf(`{ items { ${PAGE} } }`)).toBe(costOf(`{ items(first: 10) { ${PAGE} } }`));
  });

  it('grows with the page size and with aliases', () => {
    const aliased = (n: number, count: number) =>
      costOf(
        `query($n: Int) { ${Array.from({ length: count }, (_, i) => `a${i}: items(first: $n) { ${PAGE} }`).join(' ')} }`,
        { n },
      );
    expect(aliased(200, 1)).toBeGreaterThan(aliased(100, 1));
    expect(aliased(200, 15)).toBe(15 * aliased(200, 1));
    expect(aliased(200, 2)).toBeLessThan(limits.maxCost);
    expect(cost(`query($n: Int) { items(first: $n) { ${PAGE} } }`, { n: 200 })).toMatchObject({ kind: 'ok' });
    expect(aliased(200, 6)).toBeGreaterThan(limits.maxCost);
  });

  it('costs only what runs: the chosen operation, not what @skip/@include leave out', () => {
    const twoOperations = `query Small { hello } query Big($n: Int = 200) { items(first: $n) { ${PAGE} } }`;
    expect(costOf(twoOperations, {}, 'Small')).toBe(1);
    expect(costOf(twoOperations, {}, 'Big')).toBe(costOf(`{ items(first: 200) { ${PAGE} } }`));
    const skippable = `query($skip: Boolean!) { hello items(first: 150) @skip(if: $skip) { ${PAGE} } }`;
    expect(costOf(skippable, { skip: true })).toBe(1);
    expect(costOf(skippable, { skip: false })).toBe(literal + 1);
  });

  it('never lets a negative page size pay for another one', () => {
    const both = `query($n: Int, $m: Int) { a: items(first: $n) { ${PAGE} } b: items(first: $m) { ${PAGE} } }`;
    expect(costOf(both, { n: 150, m: -1_000_000 })).toBeGreaterThan(literal);
  });

  it('finds a page over the cap, naming the field and argument, whatever its form', () => {
    expect(cost(`{ items(first: 201) { ${PAGE} } }`)).toEqual({
      kind: 'page_too_large',
      page: { field: 'Query.items', argument: 'first', value: 201 },
    });
    expect(cost(`query($n: Int) { items(last: $n) { ${PAGE} } }`, { n: 1000 })).toEqual({
      kind: 'page_too_large',
      page: { field: 'Query.items', argument: 'last', value: 1000 },
    });
    expect(cost(`query($n: Int = 201) { ... on Query { items(first: $n) { ${PAGE} } } }`)).toMatchObject({
      kind: 'page_too_large',
      page: { value: 201 },
    });
    expect(cost(`{ items(first: 200) { edges { node { id } } } }`).kind).toBe('ok');
  });

  it('leaves invalid variables to execution', () => {
    expect(cost(`query($n: Int!) { items(first: $n) { ${PAGE} } }`, {})).toEqual({ kind: 'ok', cost: 0 });
    expect(cost(`query($n: Int) { items(first: $n) { ${PAGE} } }`, { n: 'lots' })).toEqual({
      kind: 'ok',
      cost: 0,
    });
  });
});

describe("operationCost on Sightline's schema", () => {
  const files = readdirSync(GRAPHQL_SCHEMA_DIR).filter((f) => f.endsWith('.graphql'));
  const sightline = buildSchema(
    files.map((f) => readFileSync(join(GRAPHQL_SCHEMA_DIR, f), 'utf8')).join('\n'),
  );
  const frontend = (file: string) =>
    readFileSync(join(__dirname, '../../../frontend/src/lib/graphql', file), 'utf8');
  const verdict = (query: string, operationName?: string, variables: Record<string, unknown> = {}) =>
    operationCost(
      { schema: sightline, document: parse(query), variables, operationName },
      DEFAULT_GRAPHQL_LIMITS,
    );

  it.each([
    ['traces.graphql', 'Traces'],
    ['generations.graphql', 'RecentGenerations'],
  ])("runs the app's own %s %s at the largest page the API allows", (file, operation) => {
    expect(verdict(frontend(file), operation, { first: DEFAULT_GRAPHQL_LIMITS.maxPageSize })).toMatchObject({
      kind: 'ok',
    });
  });

  it('runs a max page of every generation field, embedded lists included', () => {
    const rows = `{ generations(first: 200) { edges { cursor node {
      id traceId spanId source provider model servedModel status startedAt endedAt latencyMs
      timeToFirstTokenMs inputTokens outputTokens totalTokens cost errorMessage streamed sessionId tags
      metadata { key value } toolCalls { name } } } pageInfo { hasNextPage endCursor } } }`;
    expect(verdict(rows).kind).toBe('ok');
  });

  it('refuses pages inside pages, which multiply', () => {
    const nested = (outer: number, inner: number) =>
      `{ sessions(first: ${outer}) { edges { node { id traces(first: ${inner}) {
        edges { node { id name totalTokens } } } } } } }`;
    expect(verdict(nested(10, 10)).kind).toBe('ok');
    expect(verdict(nested(50, 50))).toMatchObject({ kind: 'too_costly' });
    expect(verdict(nested(200, 200))).toMatchObject({ kind: 'too_costly' });
  });
});
