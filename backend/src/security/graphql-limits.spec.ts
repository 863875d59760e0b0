import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema, getIntrospectionQuery } from 'graphql';
import {
  DEFAULT_GRAPHQL_LIMITS,
  type GraphqlLimitsOptions,
  graphqlLimits,
  introspectionEnabled,
  QUERY_TOO_COMPLEX,
} from './graphql-limits';

const schema = buildSchema(`
  type Query {
    hello: String
    node: Node
    nodes(first: Int): [Node!]!
  }
  type Node {
    id: ID!
    name: String
    child: Node
  }
`);

const hello = jest.fn(() => 'world');
const node = jest.fn(() => ({ id: '1', name: 'n', child: () => node() }));
const rootValue = { hello, node, nodes: () => [node()] };

async function serverWith(options: GraphqlLimitsOptions): Promise<ApolloServer> {
  const server = new ApolloServer({
    schema,
    rootValue,
    introspection: introspectionEnabled(options.production),
    ...graphqlLimits(options),
  });
  await server.start();
  return server;
}

interface Outcome {
  status: number | undefined;
  data: unknown;
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

async function run(
  server: ApolloServer,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Outcome> {
  const response = await server.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors = [] } = response.body.singleResult;
  return { status: response.http.status, data, errors: errors.map((e) => ({ ...e })) };
}

/** `{ node { child { child … { id } } } }` with `depth` levels of fields. */
const deepQuery = (depth: number): string =>
  `{ node ${'{ child '.repeat(depth - 2)}{ id }${' }'.repeat(depth - 2)} }`;

const aliasQuery = (count: number): string =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: hello`).join(' ')} }`;

describe('graphqlLimits with Apollo Server', () => {
  let server: ApolloServer;
  beforeAll(async () => (server = await serverWith({ production: false })));
  afterAll(() => server.stop());
  beforeEach(() => jest.clearAllMocks());

  async function expectRejected(query: string, limit: string): Promise<Outcome> {
    const outcome = await run(server, query);
    expect(outcome.data).toBeUndefined();
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0].extensions).toMatchObject({ code: QUERY_TOO_COMPLEX, limit });
    expect(outcome.status).toBe(400);
    // Rejected before execution: no resolver ran.
    expect(hello).not.toHaveBeenCalled();
    expect(node).not.toHaveBeenCalled();
    return outcome;
  }

  it('runs an ordinary query (fragments, variables-free paging, aliases within the limit)', async () => {
    const outcome = await run(
      server,
      `query Page {
        mine: nodes(first: 50) { ...Row child { ...Row child { ...Row } } }
        hello
        again: hello
      }
      fragment Row on Node { id name }`,
    );
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toMatchObject({ hello: 'world', again: 'world', mine: [{ id: '1' }] });
  });

  it('allows exactly the maximum depth and rejects one level more', async () => {
    expect((await run(server, deepQuery(10))).errors).toEqual([]);
    jest.clearAllMocks();
    const { errors } = await expectRejected(deepQuery(11), 'depth');
    expect(errors[0].message).toBe('Query depth limit of 10 exceeded, found 11.');
  });

  it('does not count a fragment spread as a level', async () => {
    const query = `{ node ${'{ child '.repeat(7)}{ ...F }${' }'.repeat(7)} } fragment F on Node { id }`;
    expect((await run(server, query)).errors).toEqual([]);
  });

  it('rejects too many aliases', async () => {
    expect((await run(server, aliasQuery(15))).errors).toEqual([]);
    jest.clearAllMocks();
    await expectRejected(aliasQuery(16), 'aliases');
  });

  it('rejects too many directives', async () => {
    const query = `{ ${'hello @include(if: true) '.repeat(51)} }`;
    expect((await run(server, `{ ${'hello @include(if: true) '.repeat(50)} }`)).errors).toEqual([]);
    jest.clearAllMocks();
    await expectRejected(query, 'directives');
  });

  it('rejects an over-cost query (literal page sizes multiply the cost)', async () => {
    const page = 'nodes(first: 200) { id name child { id name } }';
    await expectRejected(
      `{ ${['a', 'b', 'c', 'd', 'e', 'f'].map((a) => `${a}: ${page}`).join(' ')} }`,
      'cost',
    );
  });

  /** The issue's example: fifteen aliases of a paged field whose page size is a variable. */
  const pagedAliases = `query Pages($n: Int) { ${Array.from({ length: 15 }, (_, i) => `p${i}: nodes(first: $n) { id name }`).join(' ')} }`;

  it('costs page sizes given as variables as it costs literals', async () => {
    const outcome = await run(server, pagedAliases, { n: 200 });
    expect(outcome.errors[0].extensions).toMatchObject({ code: QUERY_TOO_COMPLEX, limit: 'cost' });
    expect(outcome.status).toBe(400);
    expect(node).not.toHaveBeenCalled();
    expect((await run(server, pagedAliases, { n: 2 })).errors).toEqual([]);
  });

  it('refuses a page over the cap with BAD_USER_INPUT, whatever its form, before anything runs', async () => {
    for (const [query, variables] of [
      ['{ nodes(first: 201) { id } }', {}],
      ['query($n: Int) { nodes(first: $n) { id } }', { n: 201 }],
      ['query($n: Int = 5000) { ...Q } fragment Q on Query { nodes(first: $n) { id } }', {}],
    ] as const) {
      const outcome = await run(server, query, variables);
      expect(outcome.errors).toEqual([
        {
          message: expect.stringMatching(/^`first` of Query\.nodes must be at most 200, got (201|5000)\.$/),
          extensions: { code: 'BAD_USER_INPUT', reason: 'invalid_page_size', param: 'first' },
        },
      ]);
      expect(outcome.status).toBe(400);
    }
    expect(node).not.toHaveBeenCalled();
  });

  it('leaves invalid variables to execution, which refuses them', async () => {
    const outcome = await run(server, 'query($n: Int) { nodes(first: $n) { id } }', { n: 'many' });
    expect(outcome.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(node).not.toHaveBeenCalled();
  });

  it('rejects a document with too many tokens while parsing', async () => {
    const fields = Array.from({ length: DEFAULT_GRAPHQL_LIMITS.maxTokens }, () => 'hello').join(' ');
    const { errors } = await expectRejected(`{ ${fields} }`, 'tokens');
    expect(errors[0].message).toBe(`Token limit of ${DEFAULT_GRAPHQL_LIMITS.maxTokens} exceeded.`);
  });

  it('leaves other errors with their usual codes', async () => {
    const syntax = await run(server, '{ hello ');
    expect(syntax.errors[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const longSyntax = await run(server, `{ ${'hello '.repeat(10)} ) ${'hello '.repeat(3000)} }`);
    expect(longSyntax.errors[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await run(server, '{ nope }');
    expect(unknown.errors[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets the standard introspection query through outside production', async () => {
    const outcome = await run(server, getIntrospectionQuery());
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toHaveProperty('__schema');
  });

  it('keeps field suggestions outside production', async () => {
    expect((await run(server, '{ helo }')).errors[0].message).toContain('Did you mean "hello"?');
  });

  it('answers HTTP 400 over HTTP too', async () => {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: { query: deepQuery(11) },
      },
      context: async () => ({}),
    });
    expect(response.status).toBe(400);
    if (response.body.kind !== 'complete') throw new Error('expected a complete body');
    expect(JSON.parse(response.body.string).errors[0].extensions.code).toBe(QUERY_TOO_COMPLEX);
  });
});

describe('graphqlLimits options', () => {
  it('takes limits from options', async () => {
    const server = await serverWith({ production: false, limits: { maxDepth: 3, maxAliases: 1 } });
    try {
      expect((await run(server, deepQuery(3))).errors).toEqual([]);
      expect((await run(server, deepQuery(4))).errors[0].extensions).toMatchObject({ limit: 'depth' });
      expect((await run(server, aliasQuery(2))).errors[0].extensions).toMatchObject({ limit: 'aliases' });
    } finally {
      await server.stop();
    }
  });

  it('counts tokens as graphql-js does, up to and including the limit', async () => {
    const server = await serverWith({ production: false, limits: { maxTokens: 5 } });
    try {
      expect((await run(server, '{ hello # a comment is not a token\n hello hello }')).errors).toEqual([]);
      const over = await run(server, '{ hello hello hello hello }');
      expect(over.errors[0].extensions).toMatchObject({ code: QUERY_TOO_COMPLEX, limit: 'tokens' });
    } finally {
      await server.stop();
    }
  });

  it('hides the schema in production: no introspection, no field suggestions', async () => {
    const server = await serverWith({ production: true });
    try {
      const introspection = await run(server, getIntrospectionQuery());
      expect(introspection.errors[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const typo = await run(server, '{ helo }');
      expect(typo.errors[0].message).not.toContain('hello');
    } finally {
      await server.stop();
    }
  });

  it('turns off batched HTTP requests and builds fresh rules each call', () => {
    const a = graphqlLimits({ production: false });
    const b = graphqlLimits({ production: false, limits: { maxTokens: 10 } });
    expect(a.allowBatchedHttpRequests).toBe(false);
    expect(a.parseOptions).toEqual({ maxTokens: DEFAULT_GRAPHQL_LIMITS.maxTokens });
    expect(b.parseOptions).toEqual({ maxTokens: 10 });
    expect(a.validationRules).not.toBe(b.validationRules);
  });

  it('enables introspection only outside production', () => {
    expect(introspectionEnabled(false)).toBe(true);
    expect(introspectionEnabled(true)).toBe(false);
  });
});
