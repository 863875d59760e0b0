import { newEventId, newSpanId, newTraceId, type GenerationCostData } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveReadModel } from '../archive/archive.read-model';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { generationsReadModel } from '../generations/generations.read-model';
import { LLM_EVENTS } from '../projector/sources';
import { tracesReadModel } from '../traces/traces.read-model';

const AT = '2026-11-30T12:00:00.000Z';
const LATER = '2026-11-30T12:00:01.000Z';
const usage = {
  inputTokens: 1000,
  outputTokens: 40,
  totalTokens: 1040,
  cachedTokens: 0,
  reasoningTokens: 0,
  source: 'reported',
};
const partial = {
  servedBy: { provider: 'openai', model: 'gpt-4o' },
  output: { choices: [{ index: 0, content: 'Half an ans', toolCalls: [], finishReason: null }] },
  usage,
  timeToFirstTokenMs: 12,
};

interface Ids {
  readonly traceId: string;
  readonly spans: readonly string[];
  readonly events: readonly string[];
}

/**
 * One trace of a user's session: a completed call, a call that failed mid-stream, one the caller
 * left, and a generation reported through `/api/ingest`. `costs` gives the failed and cancelled
 * calls their costs (current versions); `old` writes them (and the reported span) in the versions
 * from before broken calls were priced.
 */
function log(
  projectId: string,
  ids: Ids,
  versions: { failed: 'old' | 'new'; cancelled: 'old' | 'new'; span: 'old' | 'new' },
  costs: { failed: GenerationCostData | null; cancelled: GenerationCostData | null } = {
    failed: null,
    cancelled: null,
  },
) {
  const envelope = (i: number, occurredAt: string, source = 'gateway') => ({
    eventId: ids.events[i],
    occurredAt,
    projectId,
    traceId: ids.traceId,
    spanId: ids.spans[Math.floor(i / 2)],
    endUserId: 'user-1',
    source,
  });
  const requested = (i: number) => ({
    ...envelope(i, AT),
    type: 'generation.requested',
    version: 2,
    data: {
      provider: 'openai',
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      params: {},
      stream: true,
      sessionId: 'session-1',
      tags: [],
      metadata: {},
    },
  });
  const ended = { startedAt: AT, latencyMs: 1000 };
  const completed = {
    ...envelope(1, LATER),
    type: 'generation.completed',
    version: 3,
    data: {
      ...partial,
      ...ended,
      output: { choices: [{ ...partial.output.choices[0], finishReason: 'stop' }] },
      finishReason: 'stop',
      cost: { totalUsd: '0.002900000', priceVersion: 'catalog:t', flags: [] },
    },
  };
  const failedData = {
    ...partial,
    ...ended,
    errorClass: 'provider_error',
    providerStatus: 500,
    message: 'x',
  };
  const failed =
    versions.failed === 'old'
      ? { ...envelope(3, LATER), type: 'generation.failed', version: 2, data: failedData }
      : {
          ...envelope(3, LATER),
          type: 'generation.failed',
          version: 3,
          data: { ...failedData, cost: costs.failed },
        };
  const cancelledData = { ...partial, ...ended, reason: 'client_disconnected' };
  const cancelled =
    versions.cancelled === 'old'
      ? { ...envelope(5, LATER), type: 'generation.cancelled', version: 1, data: cancelledData }
      : {
          ...envelope(5, LATER),
          type: 'generation.cancelled',
          version: 2,
          data: { ...cancelledData, cost: costs.cancelled },
        };
  const spanData = {
    kind: 'generation',
    model: 'gpt-4o',
    startedAt: AT,
    endedAt: LATER,
    sessionId: 'session-1',
  };
  const span =
    versions.span === 'old'
      ? { ...envelope(6, LATER, 'ingest'), type: 'span.recorded', version: 1, data: spanData }
      : {
          ...envelope(6, LATER, 'ingest'),
          type: 'span.recorded',
          version: 2,
          data: {
            ...spanData,
            cost: { totalUsd: '0.000100000', priceVersion: 'caller', flags: ['caller_supplied'] },
          },
        };
  const events = [requested(0), completed, requested(2), failed, requested(4), cancelled, span];
  return events.map((e) => Buffer.from(JSON.stringify(e)));
}

describe('failed and cancelled calls priced: generations, traces, sessions and users (chDB)', () => {
  let ch: ClickHouse;
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-broken-')),
    }));
  });
  afterAll(() => ch.close());

  const newIds = (): Ids => ({
    traceId: newTraceId(),
    spans: [newSpanId(), newSpanId(), newSpanId(), newSpanId()],
    events: Array.from({ length: 7 }, newEventId),
  });

  /**
   * given a log, when it is decoded and projected (twice when `again`, as a redelivered batch is,
   * under its dedup token): every row of the project, project aside.
   */
  async function projected(projectId: string, records: readonly Buffer[], again = false) {
    const events = records.map((bytes) => LLM_EVENTS.decode(bytes));
    for (let i = 0; i < (again ? 2 : 1); i++) {
      for (const model of [archiveReadModel, generationsReadModel, tracesReadModel]) {
        await model.projection!(ch).apply({ events, dedupToken: `broken:${projectId}` });
      }
    }
    // generations is a plain MergeTree (one immutable row a call); the traces tables replace rows.
    const read = (table: string, final: boolean) =>
      ch.query<Record<string, unknown>>(
        `SELECT * EXCEPT project_id FROM {table:Identifier} ${final ? 'FINAL' : ''}
         WHERE project_id = {projectId:String} ORDER BY ALL`,
        { table, projectId },
      );
    const tables = [['generations', await read('generations', false)]];
    for (const table of tracesReadModel.tables) tables.push([table, await read(table, true)]);
    return Object.fromEntries(tables);
  }

  it('projects a log mixing old and new versions to the same rows as the old log, costs unknown where they were', async () => {
    const ids = newIds();
    const old = await projected('p-old', log('p-old', ids, { failed: 'old', cancelled: 'old', span: 'old' }));
    const mixed = await projected(
      'p-mix',
      log('p-mix', ids, { failed: 'new', cancelled: 'old', span: 'old' }),
    );
    const upcast = await projected(
      'p-up',
      log('p-up', ids, { failed: 'new', cancelled: 'new', span: 'old' }),
    );

    expect(mixed).toEqual(old);
    expect(upcast).toEqual(old);
    const generations = old.generations as { status: string; cost_usd: string | null }[];
    // The generation reported to /api/ingest has a row too: unpriced in its old version.
    expect(generations.map((g) => [g.status, g.cost_usd]).sort()).toEqual([
      ['cancelled', null],
      ['completed', null],
      ['completed', 0.0029],
      ['failed', null],
    ]);
  });

  it('sums what broken calls were billed into the trace, the session and the user exactly; projecting again changes nothing', async () => {
    const costs = {
      failed: { totalUsd: '0.000000007', priceVersion: 'catalog:t', flags: [] },
      cancelled: { totalUsd: '0.000000000', priceVersion: 'none', flags: ['unpriced'] },
    } satisfies Record<string, GenerationCostData>;
    const versions = { failed: 'new', cancelled: 'new', span: 'new' } as const;
    const ids = newIds();
    const rows = await projected('p-priced', log('p-priced', ids, versions, costs));
    const again = await projected('p-priced', log('p-priced', ids, versions, costs), true);
    expect(again).toEqual(rows);

    const byStatus = Object.fromEntries(
      (rows.generations as { source: string; status: string; cost_usd: number; cost_flags: string[] }[]).map(
        (g) => [g.source === 'ingest' ? 'ingested' : g.status, [g.cost_usd, g.cost_flags]],
      ),
    );
    expect(byStatus).toEqual({
      completed: [0.0029, []],
      ingested: [0.0001, ['caller_supplied']],
      failed: [0.000000007, []],
      cancelled: [0, ['unpriced']],
    });
    // 0.0029 + 0.000000007 (failed) + 0.0001 (the caller's own) = 0.003000007; the cancelled one unpriced.
    const exact = (sql: string) => ch.query<Record<string, string>>(sql, { projectId: 'p-priced' });
    expect(
      await exact(`SELECT toString(total_cost_usd) AS cost, unpriced_count FROM traces FINAL
                   WHERE project_id = {projectId:String}`),
    ).toEqual([{ cost: '0.003000007', unpriced_count: 1 }]);
    expect(
      await exact(`SELECT toString(dimension) AS dimension, toString(total_cost_usd) AS cost FROM trace_groups FINAL
                   WHERE project_id = {projectId:String} ORDER BY dimension`),
    ).toEqual([
      { dimension: 'session', cost: '0.003000007' },
      { dimension: 'user', cost: '0.003000007' },
    ]);
  });
});
