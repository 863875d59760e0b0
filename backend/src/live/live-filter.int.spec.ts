import type { GenerationRequested, SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generationEvents } from '../../test/support/events';
import { projectAll } from '../../test/support/generation-world';
import { validateFilter, type Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { toGenerationRow, type GenerationEnded } from '../generations/generation-row';
import { matchesGeneration } from './live-filter';
import { seededRandom } from '../../test/support/seeded-random';

const { rand, pick, some } = seededRandom(12);

const MODELS = ['gpt-4o', 'claude', 'mini'];
const USERS = ['ann', 'bob', ''];
const TAGS = ['prod', 'chat', 'beta'];
const WORDS = ['Paris', 'rain', 'code', '100% sure', 'tea_time'];

/** One generation with random attributes, as the gateway records it (requested, then its end). */
function generation(i: number): [GenerationRequested, GenerationEnded] {
  const startedAt = new Date(Date.UTC(2026, 2, 1 + (i % 20), i % 24));
  const [req, end] = generationEvents('p', { model: pick(MODELS), startedAt, output: pick(WORDS) }) as [
    GenerationRequested,
    GenerationEnded & { type: 'generation.completed' },
  ];
  const user = pick(USERS);
  const ids = { traceId: `t${i}`, spanId: `s${i}`, source: pick(['gateway', 'playground'] as const) };
  const requested: GenerationRequested = {
    ...req,
    ...ids,
    ...(user ? { endUserId: user } : {}),
    data: {
      ...req.data,
      provider: pick(['openai', 'anthropic']),
      messages: [{ role: 'user', content: `about ${pick(WORDS)}` }],
      sessionId: pick(['s1', 's2', undefined]),
      tags: some(TAGS),
      metadata: { ...(rand() < 0.5 ? { team: pick(['red', 'blue']) } : {}) },
    },
  };
  const latencyMs = Math.floor(rand() * 4000);
  const usage = { ...end.data.usage, inputTokens: i * 7, outputTokens: i * 3, totalTokens: i * 10 };
  const ttft = pick([null, 40, 400]);
  const partial = {
    output: end.data.output,
    usage,
    timeToFirstTokenMs: ttft,
    startedAt: startedAt.toISOString(),
  };
  const base = { ...end, ...ids, ...(user ? { endUserId: user } : {}) };
  const kind = pick(['completed', 'completed', 'failed', 'cancelled']);
  type CostOf = NonNullable<GenerationEnded['data']['cost']>;
  const ended: GenerationEnded =
    kind === 'completed'
      ? {
          ...base,
          data: {
            ...end.data,
            ...partial,
            latencyMs,
            // Priced, unpriced (recorded as 0 with the flag: no cost, not $0), or no cost at all.
            cost: pick([
              ...Array<CostOf>(7).fill({
                totalUsd: (rand() * 3).toFixed(9),
                priceVersion: 'catalog:t',
                flags: [],
              }),
              { totalUsd: '0.000000000', priceVersion: 'catalog:t', flags: ['unpriced'] },
              null,
              null,
            ]),
          },
        }
      : kind === 'failed'
        ? {
            ...base,
            type: 'generation.failed',
            version: 3,
            data: {
              ...partial,
              cost: { totalUsd: (rand() * 0.1).toFixed(9), priceVersion: 'catalog:t', flags: [] },
              latencyMs,
              errorClass: 'provider_error',
              providerStatus: 500,
              message: pick(['Upstream Timeout', 'bad gateway']),
            },
          }
        : {
            ...base,
            type: 'generation.cancelled',
            version: 2,
            data: { ...partial, latencyMs, reason: 'client_disconnected', cost: null },
          };
  return [requested, ended];
}

/** Filters built from random pieces of every field the live matcher reads. */
function filter(): Filter {
  const pieces: (() => Filter)[] = [
    () => ({ from: `2026-03-${String(1 + Math.floor(rand() * 20)).padStart(2, '0')}T00:00:00Z` }),
    () => ({ to: `2026-03-${String(2 + Math.floor(rand() * 19)).padStart(2, '0')}T06:00:00Z` }),
    () => ({ models: some(MODELS) }),
    () => ({ providers: [pick(['openai', 'anthropic'])] }),
    () => ({ sources: [pick(['gateway', 'playground'])] }),
    () => ({ userIds: [pick(USERS)] }),
    () => ({ sessionIds: [pick(['s1', 's2'])] }),
    () => ({ tags: some(TAGS) }),
    () => ({
      metadata: [pick([{ key: 'team' }, { key: 'team', value: 'red' }, { key: 'team', value: '' }])],
    }),
    () => ({ prompt: { name: 'greet' } }),
    () => ({ statuses: some(['COMPLETED', 'FAILED', 'CANCELLED', 'IN_FLIGHT'] as const) }),
    () => ({ hasError: rand() < 0.5 }),
    () => ({ errorMessage: pick(['timeout', 'GATEWAY']) }),
    () => ({ cost: pick([{ min: 1 }, { max: 0.5 }, { min: 0.2, max: 2 }]) }),
    () => ({ latencyMs: { min: Math.floor(rand() * 3000) } }),
    () => ({ timeToFirstTokenMs: pick([{ max: 100 }, { min: 100 }]) }),
    () => ({ inputTokens: { min: Math.floor(rand() * 400) } }),
    () => ({ outputTokens: { max: Math.floor(rand() * 200) } }),
    () => ({ totalTokens: { min: 100, max: 600 } }),
    () => ({ search: pick(['paris', 'RAIN', '100% s', 'a_t', 'about']) }),
  ];
  return Object.assign({}, ...Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(pieces)()));
}

function valid(f: Filter): boolean {
  try {
    validateFilter(f);
    return true;
  } catch {
    return false;
  }
}

describe('the live matcher agrees with the compiled SQL filter on the same rows (chDB)', () => {
  let ch: ClickHouse;
  const generations = Array.from({ length: 120 }, (_, i) => generation(i));
  const rows = generations.map(([requested, ended]) => toGenerationRow(requested, ended));

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-live-filter-')),
    }));
    await projectAll(ch, generations.flat() as SightlineEvent[], 'live-filter');
  });
  afterAll(() => ch.close());

  async function inSql(f: Filter): Promise<string[]> {
    const { where, params } = compileFilter('p', f, 'generations');
    const found = await ch.query<{ id: string }>(
      `SELECT span_id AS id FROM generations WHERE ${where} ORDER BY id`,
      params,
    );
    return found.map((r) => r.id);
  }

  const inMemory = (f: Filter) =>
    rows
      .filter((row) => matchesGeneration(f, row, 'all'))
      .map((r) => r.span_id)
      .sort();

  it('every row projected, with a mix of outcomes', async () => {
    expect(await inSql({})).toHaveLength(rows.length);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['completed', 'failed', 'cancelled']));
  });

  it('selects the same generations for 300 random filters', async () => {
    const filters = Array.from({ length: 340 }, filter).filter(valid).slice(0, 300);
    expect(filters).toHaveLength(300);
    let nonEmpty = 0;
    for (const f of filters) {
      const expected = await inSql(f);
      expect({ filter: f, ids: inMemory(f) }).toEqual({ filter: f, ids: expected });
      if (expected.length && expected.length < rows.length) nonEmpty++;
    }
    // The filters discriminate: most select some rows but not all.
    expect(nonEmpty).toBeGreaterThan(150);
  });

  it('on a request alone, passes whatever its outcome could still decide', () => {
    const [row] = rows;
    expect(matchesGeneration({ latencyMs: { min: 1e9 }, hasError: true }, row!, 'request')).toBe(true);
    expect(matchesGeneration({ models: ['nope'] }, row!, 'request')).toBe(false);
  });
});
