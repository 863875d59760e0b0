import {
  decodeEvent,
  newEventId,
  type GenerationCancelled,
  type GenerationCompleted,
  type GenerationFailed,
  type SightlineEvent,
} from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Clock } from '../common/clock';
import { generationEvents } from '../../test/support/events';
import { ListGenerationsHandler, ListGenerationsQuery } from './list-generations.query';
import { generationRows, requestsBySpan } from './pair-generations';

const usage = { inputTokens: 4, outputTokens: 6, totalTokens: 10, cachedTokens: 0, reasoningTokens: 0 };

/** A request and its end, the end's data replaced. */
function ended<E extends SightlineEvent>(
  projectId: string,
  end: (base: GenerationCompleted) => E,
): [SightlineEvent, E] {
  const [requested, completed] = generationEvents(projectId);
  return [requested, end(completed as GenerationCompleted)];
}

describe('generation outcomes in the read model (chDB)', () => {
  let ch: ClickHouse;
  const clock = { now: () => new Date() } as Clock;
  const list = async (projectId: string) =>
    (
      await new ListGenerationsHandler(ch, clock, { interruptedAfterMs: 600_000 }).execute(
        new ListGenerationsQuery(projectId, 50, undefined),
      )
    ).edges.map((e) => e.node);
  const project = async (events: readonly SightlineEvent[], token: string) =>
    ch.insert('generations', generationRows(events, requestsBySpan(events)), token);

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-outcomes-')),
    }));
  });
  afterAll(() => ch.close());

  it('given two choices with whole tool calls, lists both and makes the tool calls queryable; projecting again changes nothing', async () => {
    const p = 'p-choices';
    const events = ended(p, (c): GenerationCompleted => ({
      ...c,
      data: {
        ...c.data,
        servedBy: { provider: 'openai', model: 'gpt-4o-2024-08-06' },
        finishReason: 'tool_calls',
        usage: { ...usage, source: 'reported' },
        output: {
          choices: [
            {
              index: 0,
              content: null,
              toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' }],
              finishReason: 'tool_calls',
            },
            { index: 1, content: 'No tool needed.', refusal: 'partly', toolCalls: [], finishReason: 'stop' },
          ],
        },
      },
    }));
    await project(events, 'choices-1');
    await project(events, 'choices-1');
    const [view] = await list(p);
    expect((await list(p)).length).toBe(1);
    expect(view).toMatchObject({
      provider: 'openai',
      servedModel: 'gpt-4o-2024-08-06',
      usageSource: 'REPORTED',
      output: null,
      toolCalls: [{ choiceIndex: 0, id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      choices: [
        { index: 0, content: null, finishReason: 'tool_calls', toolCalls: [{ name: 'get_weather' }] },
        { index: 1, content: 'No tool needed.', refusal: 'partly', toolCalls: [] },
      ],
    });
    const byTool = await ch.query<{ n: string }>(
      "SELECT count() AS n FROM generations WHERE project_id = {p:String} AND has(tool_names, 'get_weather')",
      { p },
    );
    expect(Number(byTool[0].n)).toBe(1);
  });

  it('given a stream that broke and one the caller left, lists FAILED and CANCELLED with their partial output and usage', async () => {
    const p = 'p-broken';
    const partial = {
      output: { choices: [{ index: 0, content: 'Half an ans', toolCalls: [], finishReason: null }] },
      usage: { ...usage, source: 'estimated' as const },
      timeToFirstTokenMs: 12,
    };
    const failed = ended(p, (c): GenerationFailed => ({
      ...c,
      type: 'generation.failed',
      version: 3,
      data: {
        errorClass: 'provider_unreachable',
        providerStatus: null,
        message: 'lost',
        startedAt: c.data.startedAt,
        latencyMs: 30,
        ...partial,
        cost: { totalUsd: '0.000042000', priceVersion: 'catalog:t', flags: ['estimated_usage'] },
      },
    }));
    const cancelled = ended(p, (c): GenerationCancelled => ({
      ...c,
      eventId: newEventId(),
      type: 'generation.cancelled',
      version: 2,
      data: {
        reason: 'client_disconnected',
        startedAt: c.data.startedAt,
        latencyMs: 40,
        ...partial,
        cost: { totalUsd: '0.000000000', priceVersion: 'none', flags: ['unpriced'] },
      },
    }));
    await project([...failed, ...cancelled], 'broken-1');
    const views = await list(p);
    expect(
      views
        .map((v) => [
          v.status,
          v.output,
          v.usageSource,
          v.outputTokens,
          v.timeToFirstTokenMs,
          v.cost,
          v.costFlags,
        ])
        .sort(),
    ).toEqual([
      ['CANCELLED', 'Half an ans', 'ESTIMATED', 6, 12, null, ['UNPRICED']],
      ['FAILED', 'Half an ans', 'ESTIMATED', 6, 12, '0.000042000', ['ESTIMATED_USAGE']],
    ]);
  });

  it('given v1 events from before, lists them through their upcast: one choice, fragments joined', async () => {
    const p = 'p-v1';
    const [requested, completed] = generationEvents(p);
    const v1 = {
      ...completed,
      version: 1,
      data: {
        output: {
          content: null,
          toolCalls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } },
            { index: 0, function: { arguments: '{"q":1}' } },
          ],
        },
        finishReason: 'tool_calls',
        usage,
        startedAt: completed.occurredAt,
        latencyMs: 5,
        timeToFirstTokenMs: null,
        cost: null,
      },
    };
    const upcast = decodeEvent(JSON.stringify(v1));
    await project([requested, upcast], 'v1-1');
    const [view] = await list(p);
    expect(view).toMatchObject({
      usageSource: 'REPORTED',
      toolCalls: [{ name: 'lookup', arguments: '{"q":1}' }],
    });
  });
});
