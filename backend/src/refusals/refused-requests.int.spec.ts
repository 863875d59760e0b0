import type { GatewayRequestRefused } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { refusalEvent as refused } from '../../test/support/events';
import type { EventBatch } from '../eventlog/event-consumer';
import { RefusalsProjection } from './refusals.projection';
import {
  RecentRefusalsHandler,
  RecentRefusalsQuery,
  RefusalTotalsHandler,
  RefusalTotalsQuery,
} from './refused-requests.query';

const T = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 30, 12, minute, second)).toISOString();

describe('refused requests in the read model (chDB)', () => {
  let ch: ClickHouse;
  const project = (events: GatewayRequestRefused[], token: string) =>
    new RefusalsProjection(ch).apply({ events, dedupToken: token } as unknown as EventBatch);
  async function read(projectId: string, since = T(0), until = T(59), first = 20) {
    const range = { projectId, since, until };
    const totals = (by: RefusalTotalsQuery['by']) =>
      new RefusalTotalsHandler(ch).execute(new RefusalTotalsQuery(range, by));
    const byCode = await totals('code');
    return {
      total: byCode.reduce((sum, c) => sum + c.count, 0),
      byCode,
      byEndpoint: await totals('endpoint'),
      byModel: await totals('model'),
      recent: await new RecentRefusalsHandler(ch).execute(new RecentRefusalsQuery(range, first)),
    };
  }

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-refused-')),
    }));
  });
  afterAll(() => ch.close());

  it('given refusals of several kinds, totals them by code, endpoint and model, newest kinds first; projecting again changes nothing', async () => {
    const events = [
      refused('p-a', { count: 3, firstAt: T(1), lastAt: T(1, 10) }),
      refused('p-a', { count: 2, lastAt: T(3) }),
      refused('p-a', { count: 9000, status: 429, code: 'too_many_requests', model: null, lastAt: T(2) }),
      refused('p-a', {
        count: 1,
        endpoint: 'POST /v1/messages',
        status: 400,
        code: 'invalid_json',
        model: null,
        apiKeyId: null,
        lastAt: T(4),
      }),
      refused('p-b', { count: 7, lastAt: T(2) }),
    ];
    await project(events, 'batch-1');
    await project(events, 'batch-1');

    const seen = await read('p-a');

    expect(seen.total).toBe(9006);
    expect(seen.byCode).toEqual([
      { value: 'too_many_requests', count: 9000 },
      { value: 'model_not_found', count: 5 },
      { value: 'invalid_json', count: 1 },
    ]);
    expect(seen.byEndpoint).toEqual([
      { value: 'POST /v1/chat/completions', count: 9005 },
      { value: 'POST /v1/messages', count: 1 },
    ]);
    expect(seen.byModel).toEqual([
      { value: null, count: 9001 },
      { value: 'mdl-does-not-exist', count: 5 },
    ]);
    expect(seen.recent).toEqual([
      {
        endpoint: 'POST /v1/messages',
        status: 400,
        code: 'invalid_json',
        model: null,
        apiKeyId: null,
        count: 1,
        firstAt: T(4),
        lastAt: T(4),
      },
      {
        endpoint: 'POST /v1/chat/completions',
        status: 404,
        code: 'model_not_found',
        model: 'mdl-does-not-exist',
        apiKeyId: 'key-1',
        count: 5,
        firstAt: T(1),
        lastAt: T(3),
      },
      {
        endpoint: 'POST /v1/chat/completions',
        status: 429,
        code: 'too_many_requests',
        model: null,
        apiKeyId: 'key-1',
        count: 9000,
        firstAt: T(2),
        lastAt: T(2),
      },
    ]);
  });

  it('reads only the range asked for and at most `first` kinds', async () => {
    const seen = await read('p-a', T(2), T(3, 30), 1);
    expect(seen.total).toBe(9002);
    expect(seen.recent).toHaveLength(1);
    expect(seen.recent[0]).toMatchObject({ code: 'model_not_found', count: 2 });
    expect((await read('p-none')).total).toBe(0);
  });
});
