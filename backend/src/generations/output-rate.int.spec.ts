import type { GenerationCompleted, SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Clock } from '../common/clock';
import { generationEvents } from '../../test/support/events';
import { GenerationsProjection } from './generations.projection';
import { ListGenerationsHandler, ListGenerationsQuery } from './list-generations.query';

type Timing = Pick<GenerationCompleted['data'], 'latencyMs' | 'timeToFirstTokenMs'> & {
  outputTokens: number;
  source?: 'reported' | 'estimated' | 'unknown';
};

/** A completed generation of `projectId` with the given timing and output token count. */
function generation(projectId: string, timing: Timing): SightlineEvent[] {
  const [requested, ended] = generationEvents(projectId);
  const completed = ended as GenerationCompleted;
  const { latencyMs, timeToFirstTokenMs, outputTokens, source = 'reported' } = timing;
  const usage = { ...completed.data.usage, outputTokens, source };
  return [requested, { ...completed, data: { ...completed.data, latencyMs, timeToFirstTokenMs, usage } }];
}

describe('output tokens per second in the generations read model (chDB)', () => {
  let ch: ClickHouse;
  let projection: GenerationsProjection;
  const list = async (projectId: string) =>
    (
      await new ListGenerationsHandler(ch, { now: () => new Date() } as Clock, {
        interruptedAfterMs: 600_000,
      }).execute(new ListGenerationsQuery(projectId, 50, undefined))
    ).edges.map((e) => e.node);
  const rates = async (projectId: string) =>
    (await list(projectId)).map((g) => [g.timeToFirstTokenMs, g.outputTokensPerSecond]);

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-rate-')),
    }));
    projection = new GenerationsProjection(ch, new EventArchive(ch));
  });
  afterAll(() => ch.close());

  it('given a streamed answer of 90 tokens over 1.5 s after a 500 ms first token, records 60 tokens/s; projecting the same events again changes nothing', async () => {
    const events = generation('p-rate', { latencyMs: 2_000, timeToFirstTokenMs: 500, outputTokens: 90 });
    await projection.apply({ events, dedupToken: 'rate-1' });
    await projection.apply({ events, dedupToken: 'rate-1' });
    expect(await rates('p-rate')).toEqual([[500, 60]]);
  });

  it('given an estimated token count, computes the rate from it', async () => {
    const events = generation('p-estimated', {
      latencyMs: 1_100,
      timeToFirstTokenMs: 100,
      outputTokens: 25,
      source: 'estimated',
    });
    await projection.apply({ events, dedupToken: 'rate-estimated' });
    expect(await rates('p-estimated')).toEqual([[100, 25]]);
  });

  it('given no first token, no time after it, or no token count, records null', async () => {
    const events = [
      ...generation('p-none', { latencyMs: 300, timeToFirstTokenMs: null, outputTokens: 12 }),
      ...generation('p-none', { latencyMs: 40, timeToFirstTokenMs: 40, outputTokens: 1 }),
      ...generation('p-none', {
        latencyMs: 900,
        timeToFirstTokenMs: 100,
        outputTokens: 0,
        source: 'unknown',
      }),
    ];
    await projection.apply({ events, dedupToken: 'rate-none' });
    const none = await rates('p-none');
    expect(none).toHaveLength(3);
    expect(none).toEqual(
      expect.arrayContaining([
        [100, null],
        [40, null],
        [null, null],
      ]),
    );
  });
});
