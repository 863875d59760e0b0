import { newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveProjection } from '../archive/archive.projection';
import { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { generationEvents, scoreEvent, spanEvent } from '../../test/support/events';
import { SpansProjection } from './spans.projection';

describe('the traces read model (chDB)', () => {
  let ch: ClickHouse;
  let batches = 0;
  /** when: a batch goes through the archive, then the spans projection, as the projector runs them. */
  const project = async (events: readonly SightlineEvent[], token = `batch-${++batches}`) => {
    await new ArchiveProjection(ch).apply({ events, dedupToken: token });
    await new SpansProjection(ch, new EventArchive(ch)).apply({ events, dedupToken: token });
  };
  const spans = (traceId: string) =>
    ch.query<Record<string, unknown>>(
      `SELECT span_id, parent_span_id, kind, name, toString(status) AS status, latency_ms, input_tokens,
              output_preview, event_count
       FROM spans FINAL WHERE project_id = 'p1' AND trace_id = {traceId:String} ORDER BY span_id`,
      { traceId },
    );
  const trace = async (traceId: string) =>
    (
      await ch.query<Record<string, unknown>>(
        `SELECT root_span_id, name, span_count, generation_count, error_count, orphan_count, total_tokens,
                latency_ms, session_id, user_id, toString(total_cost_usd) AS total_cost, unpriced_count, event_count
         FROM traces FINAL WHERE project_id = 'p1' AND trace_id = {traceId:String}`,
        { traceId },
      )
    )[0];
  const tableCounts = async () =>
    Promise.all(
      ['spans', 'traces', 'trace_groups', 'trace_times', 'scores'].map(async (table) => {
        const [row] = await ch.query<{ n: string }>('SELECT count() AS n FROM {table:Identifier}', { table });
        return Number(row.n);
      }),
    );

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-traces-')),
    }));
  });
  afterAll(() => ch.close());

  /** An agent whose tool child and gateway generation came first, the agent's own start and end later. */
  function agentTrace() {
    const traceId = newTraceId();
    const agent = { projectId: 'p1', traceId, spanId: newSpanId() };
    const tool = { ...agent, spanId: newSpanId(), parentSpanId: agent.spanId };
    const [requested, completed] = generationEvents('p1').map((e): SightlineEvent => ({
      ...e,
      traceId,
      parentSpanId: agent.spanId,
    }));
    return {
      traceId,
      agent,
      toolStart: spanEvent(tool, { kind: 'tool', name: 'search', startedAt: '2026-11-30T10:00:01.000Z' }),
      toolEnd: spanEvent(tool, { endedAt: '2026-11-30T10:00:02.000Z', status: 'error', output: 'no hits' }),
      requested,
      completed,
      agentStart: spanEvent(agent, {
        kind: 'agent',
        name: 'planner',
        startedAt: '2026-11-30T10:00:00.000Z',
        sessionId: 'chat-7',
      }),
      agentEnd: spanEvent(agent, {
        endedAt: '2026-11-30T10:00:03.000Z',
        status: 'ok',
        output: { answer: 42 },
      }),
    };
  }

  it('given children before their parent and ends before starts, across batches, then the trace is whole', async () => {
    const t = agentTrace();
    await project([t.toolEnd, t.requested]);
    expect(await trace(t.traceId)).toMatchObject({ span_count: 2, error_count: 1, orphan_count: 2 });

    await project([t.completed, t.agentEnd, t.toolStart]);
    await project([t.agentStart]);

    const rows = await spans(t.traceId);
    expect(rows).toHaveLength(3);
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(byKind.agent).toMatchObject({ name: 'planner', status: 'ok', latency_ms: 3000, event_count: 2 });
    expect(byKind.tool).toMatchObject({
      name: 'search',
      status: 'error',
      latency_ms: 1000,
      output_preview: 'no hits',
    });
    expect(byKind.generation).toMatchObject({
      parent_span_id: t.agent.spanId,
      status: 'ok',
      input_tokens: 3,
    });
    expect(await trace(t.traceId)).toMatchObject({
      root_span_id: t.agent.spanId,
      name: 'planner',
      span_count: 3,
      generation_count: 1,
      error_count: 1,
      total_tokens: 5,
      orphan_count: 0,
      session_id: 'chat-7',
      event_count: 6,
    });
  });

  it('projecting the same events again changes nothing, under the same token or a new one', async () => {
    const t = agentTrace();
    const all = [t.agentStart, t.toolStart, t.requested, t.completed, t.toolEnd, t.agentEnd];
    await project(all, 'replay-1');
    const before = { spans: await spans(t.traceId), trace: await trace(t.traceId) };
    const counts = await tableCounts();
    await project(all, 'replay-1');
    expect(await tableCounts()).toEqual(counts);
    // A re-sent batch (a client retry) is a new block of the same rows: reads see no difference.
    await project([...all].reverse(), 'replay-2');
    expect({ spans: await spans(t.traceId), trace: await trace(t.traceId) }).toEqual(before);
  });

  it('records scores of a trace; a score id recorded again keeps one row', async () => {
    const traceId = newTraceId();
    const score = scoreEvent('p1', traceId, 'helpfulness', 0.75);
    await project([score]);
    await project([score]);
    const rows = await ch.query<Record<string, unknown>>(
      `SELECT name, value, toString(data_type) AS data_type, span_id FROM scores FINAL
       WHERE project_id = 'p1' AND trace_id = {traceId:String}`,
      { traceId },
    );
    expect(rows).toEqual([{ name: 'helpfulness', value: 0.75, data_type: 'numeric', span_id: '' }]);
  });
});
