import { buildSchema } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { graphqlWsLimits, QUERY_TOO_COMPLEX } from './graphql-limits';

const schema = buildSchema(`
  type Query { hello: String }
  type Node { id: ID! child: Node }
  input Filter { tags: [String!] }
  type Subscription { ticked: Node, batches(first: Int = 10): [Node!]!, filtered(filter: Filter): Node }
`);

const ticked = jest.fn();
const roots = {
  subscription: {
    ticked: async function* () {
      ticked();
      yield { ticked: { id: '1', child: null } };
    },
    filtered: async function* () {
      ticked();
      yield { filtered: { id: '1', child: null } };
    },
    batches: async function* () {
      ticked();
      yield { batches: [{ id: '1', child: null }] };
    },
  },
};

type Outcome = { results: unknown[] } | { errors: { message: string; extensions?: object }[] };

/** Subscribe and collect everything until the operation completes or fails. */
function subscribe(client: Client, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  const results: unknown[] = [];
  return new Promise((resolve) => {
    client.subscribe(
      { query, variables },
      {
        next: (result) => results.push(result),
        error: (errors) => resolve({ errors: errors as { message: string }[] }),
        complete: () => resolve({ results }),
      },
    );
  });
}

describe('graphqlWsLimits', () => {
  let wss: WebSocketServer;
  let dispose: () => Promise<void> | void;
  let client: Client;
  let closed: jest.Mock;

  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    const onSubscribe = graphqlWsLimits(
      { production: false, limits: { maxDepth: 3, maxTokens: 50, maxCost: 100, maxPageSize: 50 } },
      () => schema,
    );
    ({ dispose } = useServer({ schema, roots, onSubscribe }, wss));
    closed = jest.fn();
    client = createClient({
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false, // one socket for the whole suite: any close is a failure
      on: { closed: (event) => closed((event as { code: number }).code) },
    });
  });

  afterAll(async () => {
    await client.dispose();
    await dispose();
    await new Promise((resolve) => wss.close(resolve));
  });

  beforeEach(() => ticked.mockClear());

  it('runs a subscription within the limits', async () => {
    expect(await subscribe(client, 'subscription { ticked { id child { id } } }')).toEqual({
      results: [{ data: { ticked: { id: '1', child: null } } }],
    });
    expect(ticked).toHaveBeenCalledTimes(1);
  });

  it('rejects a too-deep subscription before it starts', async () => {
    const outcome = await subscribe(client, 'subscription { ticked { child { child { id } } } }');
    expect(outcome).toEqual({
      errors: [expect.objectContaining({ extensions: { code: QUERY_TOO_COMPLEX, limit: 'depth' } })],
    });
    expect(ticked).not.toHaveBeenCalled();
  });

  it('rejects a document over the token limit, keeping the socket open', async () => {
    const outcome = await subscribe(client, `subscription { ticked { ${'id '.repeat(60)} } }`);
    expect(outcome).toEqual({
      errors: [
        {
          message: 'Token limit of 50 exceeded.',
          extensions: { code: QUERY_TOO_COMPLEX, limit: 'tokens' },
        },
      ],
    });
    expect(await subscribe(client, 'subscription { ticked { id } }')).toHaveProperty('results');
    expect(closed).not.toHaveBeenCalled();
  });

  it('answers a syntax error with an error message instead of closing the socket', async () => {
    const outcome = await subscribe(client, 'subscription { ticked { id }');
    expect(outcome).toEqual({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('Syntax Error'),
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        }),
      ],
    });
    expect(closed).not.toHaveBeenCalled();
  });

  it('costs page sizes from variables and their defaults, as over HTTP', async () => {
    const paged = 'subscription($n: Int) { batches(first: $n) { id child { id } } }';
    expect(await subscribe(client, paged, { n: 2 })).toHaveProperty('results');
    ticked.mockClear();
    const costly = await subscribe(client, paged, { n: 40 });
    expect(costly).toEqual({
      errors: [expect.objectContaining({ extensions: { code: QUERY_TOO_COMPLEX, limit: 'cost' } })],
    });
    const byDefault = await subscribe(
      client,
      'subscription($n: Int = 40) { ...B } fragment B on Subscription { batches(first: $n) { id child { id } } }',
    );
    expect(byDefault).toEqual({
      errors: [expect.objectContaining({ extensions: { code: QUERY_TOO_COMPLEX, limit: 'cost' } })],
    });
    const overCap = await subscribe(client, paged, { n: 51 });
    expect(overCap).toEqual({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })],
    });
    expect(ticked).not.toHaveBeenCalled();
    expect(closed).not.toHaveBeenCalled();
  });

  it('still applies the standard validation rules', async () => {
    const outcome = await subscribe(client, 'subscription { nope }');
    expect(outcome).toEqual({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('Cannot query field "nope"'),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ],
    });
  });

  it('codes an unknown field in an input object as over HTTP: in the document, a validation error', async () => {
    const outcome = await subscribe(
      client,
      'subscription { filtered(filter: { tags: ["a"], nope: 1 }) { id } }',
    );
    expect(outcome).toEqual({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('"nope" is not defined by type "Filter"'),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ],
    });
    expect(ticked).not.toHaveBeenCalled();
    expect(closed).not.toHaveBeenCalled();
  });

  it('codes an unknown field in an input object as over HTTP: in a variable, bad user input', async () => {
    const query = 'subscription($f: Filter) { filtered(filter: $f) { id } }';
    const outcome = await subscribe(client, query, { f: { tags: ['a'], nope: 1 } });
    expect(outcome).toEqual({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('"nope" is not defined by type "Filter"'),
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ],
    });
    expect(ticked).not.toHaveBeenCalled();
    expect(await subscribe(client, query, { f: { tags: ['a'] } })).toHaveProperty('results');
  });
});
