import { newSpanId, newTraceId, type GenerationCostData, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveProjection } from '../archive/archive.projection';
import { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { generationEvents, spanEvent } from '../../test/support/events';
import { GetGroupHandler, GetGroupQuery } from './group-queries';
import { SpansProjection } from './spans.projection';
import { GetTraceHandler, GetTraceQuery } from './trace-queries';

const P = 'p-late';

/** A gateway generation of `traceId` under `parent`, priced at `totalUsd` (or unpriced), for `user`. */
function generation(
  traceId: string,
  parent: string,
  totalUsd: string | null,
  user = 'u-1',
): SightlineEvent[] {
  const cost: GenerationCostData =
    totalUsd === null
      ? { totalUsd: '0.000000000', priceVersion: 'none', flags: ['unpriced'] }
      : { totalUsd, priceVersion: 'catalog:test', flags: [] };
  return generationEvents(P, { startedAt: new Date('2026-11-30T10:00:01.000Z') }).map((e): SightlineEvent =>
    e.type === 'generation.completed'
      ? { ...e, traceId, parentSpanId: parent, endUserId: user, data: { ...e.data, cost } }
      : { ...e, traceId, parentSpanId: parent, endUserId: user },
  );
}

describe('late and out-of-order spans, sessions and users (chDB)', () => {
  let ch: ClickHouse;
  let batches = 0;
  /** when: a batch goes through the archive, then the traces projection, as the projector runs them. */
  const project = async (events: readonly SightlineEvent[], token = `late-${++batches}`) => {
    await new ArchiveProjection(ch).apply({ events, dedupToken: token });
    await new SpansProjection(ch, new EventArchive(ch)).apply({ events, dedupToken: token });
  };
  const traceRow = async (traceId: string) =>
    (
      await ch.query<Record<string, unknown>>(
        `SELECT root_span_id, name, span_count, orphan_count, session_id, user_id, tags,
                toString(total_cost_usd) AS cost, unpriced_count, event_count
         FROM traces FINAL WHERE project_id = {p:String} AND trace_id = {traceId:String}`,
        { p: P, traceId },
      )
    )[0];
  const group = (dimension: 'session' | 'user', id: string) =>
    new GetGroupHandler(ch).execute(new GetGroupQuery(dimension, P, id));
  const detail = (traceId: string) =>
    new GetTraceHandler(ch, new EventArchive(ch)).execute(new GetTraceQuery(P, traceId));
  const everything = () =>
    Promise.all(
      ['spans', 'traces', 'trace_groups', 'trace_times', 'scores'].map((table) =>
        ch.query('SELECT * FROM {table:Identifier} FINAL WHERE project_id = {p:String} ORDER BY ALL', {
          table,
          p: P,
        }),
      ),
    );

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-late-')),
    }));
  });
  afterAll(() => ch.close());

  it('given a parent that never arrives, then its children are orphans shown under the root, and counted', async () => {
    const traceId = newTraceId();
    const root = { projectId: P, traceId, spanId: newSpanId() };
    const lost = { projectId: P, traceId, spanId: newSpanId(), parentSpanId: 'never-comes' };
    await project([
      spanEvent(root, {
        kind: 'agent',
        name: 'root',
        startedAt: '2026-11-30T10:00:00Z',
        endedAt: '2026-11-30T10:00:09Z',
      }),
      spanEvent(lost, {
        kind: 'tool',
        name: 'lost',
        startedAt: '2026-11-30T10:00:02Z',
        endedAt: '2026-11-30T10:00:03Z',
      }),
    ]);
    expect(await traceRow(traceId)).toMatchObject({
      root_span_id: root.spanId,
      span_count: 2,
      orphan_count: 1,
    });
    const shown = await detail(traceId);
    expect(shown?.trace.orphanCount).toBe(1);
    expect(shown?.spans.map((s) => [s.name, s.depth, s.orphan])).toEqual([
      ['root', 0, false],
      ['lost', 1, true],
    ]);
  });

  it('given a child before its parent, when the parent arrives, then the orphan is adopted and the root is the parent', async () => {
    const traceId = newTraceId();
    const parent = { projectId: P, traceId, spanId: newSpanId() };
    const child = { projectId: P, traceId, spanId: newSpanId(), parentSpanId: parent.spanId };
    await project([
      spanEvent(child, { name: 'child', startedAt: '2026-11-30T10:00:01Z', endedAt: '2026-11-30T10:00:02Z' }),
    ]);
    expect(await traceRow(traceId)).toMatchObject({
      root_span_id: child.spanId,
      name: 'child',
      orphan_count: 1,
    });

    await project([
      spanEvent(parent, {
        name: 'parent',
        startedAt: '2026-11-30T10:00:00Z',
        endedAt: '2026-11-30T10:00:05Z',
      }),
    ]);

    expect(await traceRow(traceId)).toMatchObject({
      root_span_id: parent.spanId,
      name: 'parent',
      orphan_count: 0,
    });
    expect((await detail(traceId))?.spans.map((s) => [s.name, s.depth, s.orphan])).toEqual([
      ['parent', 0, false],
      ['child', 1, false],
    ]);
  });

  it('given a trace row written, when a span of it is updated later, then span, trace, session and user follow', async () => {
    const traceId = newTraceId();
    const root = { projectId: P, traceId, spanId: newSpanId() };
    const sessionId = `s-${traceId.slice(0, 8)}`;
    await project([
      spanEvent(root, {
        name: 'chat',
        sessionId,
        startedAt: '2026-11-30T10:00:00Z',
        endedAt: '2026-11-30T10:00:01Z',
      }),
      ...generation(traceId, root.spanId, '0.000100000', `u-${traceId}`),
    ]);
    const before = await traceRow(traceId);
    expect(before).toMatchObject({ cost: '0.0001', tags: [] });

    await project([
      spanEvent(
        { ...root, occurredAt: '2026-11-30T10:05:00Z' },
        { tags: ['reviewed'], output: 'late answer' },
      ),
    ]);

    const after = await traceRow(traceId);
    expect(after).toMatchObject({ tags: ['reviewed'], cost: '0.0001' });
    expect(Number(after.event_count)).toBeGreaterThan(Number(before.event_count));
    expect((await detail(traceId))?.spans[0]).toMatchObject({ output: '"late answer"' });
    expect(await group('session', sessionId)).toMatchObject({ traceCount: 1, totalCost: '0.000100000' });
    expect(await group('user', `u-${traceId}`)).toMatchObject({ traceCount: 1, sessionCount: 1 });
  });

  it('given a root that arrives late with another session, then the trace leaves the session it was filed under', async () => {
    const traceId = newTraceId();
    const root = { projectId: P, traceId, spanId: newSpanId() };
    const child = { projectId: P, traceId, spanId: newSpanId(), parentSpanId: root.spanId };
    const [early, late] = [`early-${traceId}`, `late-${traceId}`];
    await project([
      spanEvent(child, {
        name: 'step',
        sessionId: early,
        startedAt: '2026-11-30T10:00:01Z',
        endedAt: '2026-11-30T10:00:02Z',
      }),
    ]);
    expect(await group('session', early)).toMatchObject({ traceCount: 1 });

    await project([
      spanEvent(root, {
        name: 'run',
        sessionId: late,
        startedAt: '2026-11-30T10:00:00Z',
        endedAt: '2026-11-30T10:00:03Z',
      }),
    ]);

    expect(await group('session', early)).toBeNull();
    expect(await group('session', late)).toMatchObject({
      traceCount: 1,
      firstSeen: '2026-11-30T10:00:00.000Z',
    });
  });

  it('sums sessions and users over their traces: traces, generations, tokens, exact cost, errors, first and last seen', async () => {
    const sessionId = `s-${newTraceId()}`;
    const user = `u-${newTraceId()}`;
    const traces = [newTraceId(), newTraceId()];
    const roots = traces.map((traceId) => ({ projectId: P, traceId, spanId: newSpanId(), endUserId: user }));
    await project([
      spanEvent(roots[0], {
        name: 'turn 1',
        sessionId,
        startedAt: '2026-11-30T09:00:00Z',
        endedAt: '2026-11-30T09:00:05Z',
      }),
      ...generation(traces[0], roots[0].spanId, '0.100000001', user),
      ...generation(traces[0], roots[0].spanId, '0.200000002', user),
      spanEvent(roots[1], {
        name: 'turn 2',
        sessionId,
        status: 'error',
        startedAt: '2026-11-30T11:00:00Z',
        endedAt: '2026-11-30T11:00:30Z',
      }),
      ...generation(traces[1], roots[1].spanId, null, user),
    ]);
    const session = await group('session', sessionId);
    expect(session).toMatchObject({
      traceCount: 2,
      generationCount: 3,
      errorTraceCount: 1,
      inputTokens: 9,
      totalTokens: 15,
      totalCost: '0.300000003',
      unpricedCount: 1,
      firstSeen: '2026-11-30T09:00:00.000Z',
      lastSeen: '2026-11-30T11:00:30.000Z',
      userIds: [user],
    });
    expect(await group('user', user)).toMatchObject({
      traceCount: 2,
      sessionCount: 1,
      totalCost: '0.300000003',
    });
    expect(await traceRow(traces[1])).toMatchObject({ cost: '0', unpriced_count: 1 });
  });

  it('given duplicates by event id, in one batch or across batches, then every count stays as once', async () => {
    const traceId = newTraceId();
    const root = { projectId: P, traceId, spanId: newSpanId() };
    const start = spanEvent(root, { name: 'once', startedAt: '2026-11-30T10:00:00Z' });
    const end = spanEvent(root, { endedAt: '2026-11-30T10:00:01Z' });
    const gen = generation(traceId, root.spanId, '0.000000007');
    await project([start, start, end, ...gen, ...gen]);
    const once = await traceRow(traceId);
    expect(once).toMatchObject({ span_count: 2, event_count: 4, cost: '0.000000007' });

    await project([end, start, gen[1]]);

    expect(await traceRow(traceId)).toEqual(once);
  });

  it('projecting the same events again, under the same token or a new one, changes nothing', async () => {
    const traceId = newTraceId();
    const root = { projectId: P, traceId, spanId: newSpanId() };
    const child = { projectId: P, traceId, spanId: newSpanId(), parentSpanId: root.spanId };
    const events = [
      spanEvent(child, { name: 'child', sessionId: `s-${traceId}`, endedAt: '2026-11-30T10:00:02Z' }),
      spanEvent(root, { name: 'root', sessionId: `s2-${traceId}`, startedAt: '2026-11-30T10:00:00Z' }),
      ...generation(traceId, child.spanId, '1.000000000'),
      spanEvent(root, { endedAt: '2026-11-30T10:00:03Z' }),
    ];
    for (const e of events) await project([e]);
    const before = await everything();

    await project(events, 'again-1');
    await project(events, 'again-1');
    await project([...events].reverse(), 'again-2');
    for (const e of events) await project([e]);

    expect(await everything()).toEqual(before);
  });
});
