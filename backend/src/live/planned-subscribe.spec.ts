import { makeExecutableSchema } from '@graphql-tools/schema';
import { GRAPHQL_SCHEMA_DIR } from '@sightline/schemas';
import type { GenerationRequested } from '@sightline/schemas';
import { parse, subscribe, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generationEvents } from '../../test/support/events';
import { toGenerationRow, type GenerationEnded } from '../generations/generation-row';
import { toGenerationView } from '../generations/generation.view';
import { BoundedQueue } from './bounded-queue';
import { payloadAsIs, plannedSubscribe, planResponse } from './planned-subscribe';

/** A schema whose one subscription hands out what `events` are given, with `resolve` as given. */
function world(typeDefs: string, resolvers: Record<string, unknown> = {}) {
  let events = new BoundedQueue<unknown>(100);
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      ...resolvers,
      Subscription: {
        generationRecorded: { subscribe: () => (events = new BoundedQueue(100)), resolve: payloadAsIs },
        liveGenerations: { subscribe: () => (events = new BoundedQueue(100)), resolve: payloadAsIs },
      },
    },
  });
  return { schema, push: (event: unknown) => events.push(event) };
}

/** What graphql-js answers and what the plan answers to the same events, for `query`. */
async function bothAnswers(
  schema: GraphQLSchema,
  push: (event: unknown) => void,
  query: string,
  events: unknown[],
  variableValues: Record<string, unknown> = {},
) {
  const args: ExecutionArgs = { schema, document: parse(query), variableValues };
  const answers = async (run: typeof subscribe | typeof plannedSubscribe) => {
    const stream = (await run(args)) as AsyncIterableIterator<unknown>;
    events.forEach(push);
    const got: unknown[] = [];
    for (let i = 0; i < events.length; i++) got.push(JSON.parse(JSON.stringify((await stream.next()).value)));
    await stream.return!();
    return got;
  };
  return { graphql: await answers(subscribe), planned: await answers(plannedSubscribe), args };
}

const TOY = `
  type Query { ok: Boolean }
  enum Status { DONE, FAILED }
  type Item { n: Int!, tags: [String!]!, status: Status, child: Item, computed: String }
  type Update { item: Item, missed: Int! }
  type Subscription { generationRecorded(filter: String): Item!, liveGenerations: Update! }
`;

describe('plannedSubscribe', () => {
  it('answers as graphql-js does: aliases, fragments, @include, __typename, enums, lists, nulls', async () => {
    const { schema, push } = world(TOY);
    const query = `subscription($deep: Boolean!) {
      liveGenerations {
        missed
        update: item { ...F, __typename, child @include(if: $deep) { n status } }
      }
    }
    fragment F on Item { n tags status again: n }`;
    const events = [
      { item: { n: 1, tags: ['a'], status: 'DONE', child: { n: 2, tags: [], status: null } }, missed: 0 },
      { item: null, missed: 3 },
      { item: { n: 4, tags: [], status: 'FAILED', child: null }, missed: 0 },
    ];
    for (const deep of [true, false]) {
      const { graphql, planned, args } = await bothAnswers(schema, push, query, events, { deep });
      expect(planResponse(args)).toBeDefined();
      expect(planned).toEqual(graphql);
    }
  });

  it('leaves to graphql-js an event its plan does not handle (a null where the schema forbids one)', async () => {
    const { schema, push } = world(TOY);
    const events = [
      { n: 1, tags: ['a'] },
      { n: null, tags: [] },
      { n: 3, tags: [null] },
    ];
    const { graphql, planned } = await bothAnswers(
      schema,
      push,
      'subscription { generationRecorded { n tags } }',
      events,
    );
    expect(graphql[1]).toMatchObject({ data: null, errors: [expect.anything()] });
    expect(planned).toEqual(graphql);
  });

  it('has no plan for a selection with a field resolver of its own: graphql-js runs it', async () => {
    const computed = (item: { n: number }) => Promise.resolve(`#${item.n}`);
    const { schema, push } = world(TOY, { Item: { computed } });
    const query = 'subscription { generationRecorded(filter: "x") { n computed } }';
    const { graphql, planned, args } = await bothAnswers(schema, push, query, [{ n: 7, tags: [] }]);
    expect(planResponse(args)).toBeUndefined();
    expect(planned).toEqual([{ data: { generationRecorded: { n: 7, computed: '#7' } } }]);
    expect(planned).toEqual(graphql);
  });

  it("plans Sightline's live selections, answering as graphql-js does", async () => {
    const typeDefs = readdirSync(GRAPHQL_SCHEMA_DIR)
      .filter((f) => f.endsWith('.graphql'))
      .map((f) => readFileSync(join(GRAPHQL_SCHEMA_DIR, f), 'utf8'));
    const { schema, push } = world(typeDefs.join('\n'));
    const [requested, ended] = generationEvents('p', { output: 'Hello' });
    const view = toGenerationView(
      toGenerationRow(requested as GenerationRequested, ended as GenerationEnded),
    );
    const query = `subscription {
      liveGenerations {
        missed
        generation { id traceId spanId source provider model status startedAt endedAt latencyMs
          timeToFirstTokenMs outputTokensPerSecond inputTokens outputTokens totalTokens usageSource
          usageTokenizer cost costFlags priceVersion output finishReason errorMessage streamed
          choices { index content toolCalls { id name } } tags metadata { key value } }
        progress { id outputTokens choices { index content } }
      }
    }`;
    const { graphql, planned, args } = await bothAnswers(schema, push, query, [
      { generation: view, missed: 2 },
    ]);
    expect(planResponse(args)).toBeDefined();
    expect(planned).toEqual(graphql);
    expect(planned[0]).toMatchObject({ data: { liveGenerations: { generation: { output: 'Hello' } } } });
  });
});
