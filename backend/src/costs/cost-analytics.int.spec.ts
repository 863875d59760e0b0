import type {
  GenerationCompleted,
  GenerationCostData,
  GenerationRequested,
  SightlineEvent,
} from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generationEvents } from '../../test/support/events';
import { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { InvalidInputError } from '../common/errors';
import { GenerationsProjection } from '../generations/generations.projection';
import { CostAnalytics } from './cost-analytics';

const zero = '0.000000000';

/** A generation of `p` started at `day`, served by `provider`'s `model`, tagged, by `user` (with key `key_<user>`), costing `usd`. */
function generation(
  model: string,
  provider: string,
  day: string,
  user: string,
  tags: string[],
  totalUsd: string,
  flags: GenerationCostData['flags'] = [],
): SightlineEvent[] {
  const [requested, ended] = generationEvents('p', { model, startedAt: new Date(`${day}T12:00:00Z`) });
  const req = requested as GenerationRequested;
  const done = ended as GenerationCompleted;
  return [
    // Each end user calls with a key of their own.
    { ...req, endUserId: user, data: { ...req.data, provider, tags, apiKeyId: `key_${user}` } },
    {
      ...done,
      endUserId: user,
      data: {
        ...done.data,
        servedBy: { provider, model },
        cost: { totalUsd, breakdown: undefined, priceVersion: 'catalog:test', flags },
      },
    },
  ];
}

describe('cost analytics (chDB)', () => {
  let ch: ClickHouse;
  let analytics: CostAnalytics;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-costan-')),
    }));
    analytics = new CostAnalytics(ch);
    const events = [
      ...generation('gpt-4o', 'openai', '2026-03-01', 'ann', ['prod', 'chat'], '0.001000001'),
      ...generation('gpt-4o', 'openai', '2026-03-02', 'bob', ['prod'], '0.002000002'),
      ...generation('claude-sonnet-4-5', 'anthropic', '2026-03-02', 'ann', ['chat'], '1.500000000'),
      ...generation('my-llama', 'vllm', '2026-03-02', 'bob', [], zero, ['unpriced']),
      // Outside the range.
      ...generation('gpt-4o', 'openai', '2026-04-01', 'ann', ['prod'], '9.000000000'),
    ];
    await new GenerationsProjection(ch, new EventArchive(ch)).apply({ events, dedupToken: 'costs-1' });
  });
  afterAll(() => ch.close());

  const march = (by: Parameters<CostAnalytics['groups']>[1]) =>
    analytics.groups('p', by, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
  const keyCost = (groups: { key: string; cost: string }[]) => groups.map((g) => [g.key, g.cost]);

  it('sums exact costs by model, most expensive first, counting the unpriced apart', async () => {
    const groups = await march('MODEL');
    expect(keyCost(groups)).toEqual([
      ['claude-sonnet-4-5', '1.500000000'],
      ['gpt-4o', '0.003000003'],
      ['my-llama', zero],
    ]);
    expect(groups.find((g) => g.key === 'my-llama')).toMatchObject({ generations: 1, unpriced: 1 });
    expect(groups.find((g) => g.key === 'gpt-4o')).toMatchObject({ generations: 2, unpriced: 0 });
  });

  it('groups by provider, API key, end user, tag (each tag in full) and day', async () => {
    expect(keyCost(await march('PROVIDER'))).toEqual([
      ['anthropic', '1.500000000'],
      ['openai', '0.003000003'],
      ['vllm', zero],
    ]);
    expect(keyCost(await march('API_KEY'))).toEqual([
      ['key_ann', '1.501000001'],
      ['key_bob', '0.002000002'],
    ]);
    expect(keyCost(await march('USER'))).toEqual([
      ['ann', '1.501000001'],
      ['bob', '0.002000002'],
    ]);
    expect(keyCost(await march('TAG'))).toEqual([
      ['chat', '1.501000001'],
      ['prod', '0.003000003'],
    ]);
    expect(keyCost(await march('DAY'))).toEqual([
      ['2026-03-02', '1.502000002'],
      ['2026-03-01', '0.001000001'],
    ]);
  });

  it('sees no other project, and refuses a range it cannot read', async () => {
    expect(await analytics.groups('q', 'MODEL', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([]);
    await expect(analytics.groups('p', 'DAY', 'yesterday', '2026-04-01T00:00:00Z')).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      analytics.groups('p', 'DAY', '2026-04-01T00:00:00Z', '2026-03-01T00:00:00Z'),
    ).rejects.toMatchObject({ reason: 'invalid_range' });
  });
});
