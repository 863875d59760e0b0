import type { GenerationCompleted, GenerationCostData, SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generationEvents } from '../../test/support/events';
import { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Clock } from '../common/clock';
import { GenerationsProjection } from '../generations/generations.projection';
import { ListGenerationsHandler, ListGenerationsQuery } from '../generations/list-generations.query';

/** A completed generation of `projectId` that cost `cost`. */
function priced(projectId: string, cost: GenerationCostData | null): SightlineEvent[] {
  const [requested, ended] = generationEvents(projectId);
  const completed = ended as GenerationCompleted;
  return [requested, { ...completed, data: { ...completed.data, cost } }];
}

const zero = '0.000000000';

describe('generation costs in the generations read model (chDB)', () => {
  let ch: ClickHouse;
  let projection: GenerationsProjection;
  const list = async (projectId: string) =>
    (
      await new ListGenerationsHandler(ch, { now: () => new Date() } as Clock, {
        interruptedAfterMs: 600_000,
      }).execute(new ListGenerationsQuery(projectId, 50, undefined))
    ).edges.map((e) => e.node);

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-cost-')),
    }));
    projection = new GenerationsProjection(ch, new EventArchive(ch));
  });
  afterAll(() => ch.close());

  it('given a priced generation, keeps its cost to the nano-dollar with its breakdown and price; projecting the same events again changes nothing', async () => {
    const events = priced('p-cost', {
      totalUsd: '12.345678901',
      breakdown: {
        input: '12.000000000',
        output: '0.345678900',
        cachedInput: '0.000000001',
        cacheWrite: zero,
        reasoning: zero,
        audio: zero,
        image: zero,
        requestFee: zero,
      },
      priceVersion: 'catalog:2026-11-30.1',
      flags: ['estimated_usage'],
    });
    await projection.apply({ events, dedupToken: 'cost-1' });
    await projection.apply({ events, dedupToken: 'cost-1' });
    const rows = await list('p-cost');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      cost: '12.345678901',
      costBreakdown: { input: '12.000000000', output: '0.345678900', cachedInput: '0.000000001' },
      priceVersion: 'catalog:2026-11-30.1',
      costFlags: ['ESTIMATED_USAGE'],
    });
  });

  it('given an unpriced generation, shows no cost (not zero) and the flag', async () => {
    const events = priced('p-unpriced', {
      totalUsd: zero,
      priceVersion: 'none',
      flags: ['unpriced'],
    });
    await projection.apply({ events, dedupToken: 'cost-2' });
    expect(await list('p-unpriced')).toEqual([
      expect.objectContaining({
        cost: null,
        costBreakdown: null,
        priceVersion: null,
        costFlags: ['UNPRICED'],
      }),
    ]);
  });

  it('given a generation recorded before pricing (cost null), shows no cost and no flag', async () => {
    await projection.apply({ events: priced('p-old', null), dedupToken: 'cost-3' });
    expect(await list('p-old')).toEqual([
      expect.objectContaining({ cost: null, costBreakdown: null, priceVersion: null, costFlags: [] }),
    ]);
  });
});
