import type { Filter } from '../analytics/filter';
import { PreparedRow, selects, type LiveRow, type LiveSelection } from './live-filter';
import { SelectionIndex } from './selection-index';
import { seededRandom } from '../../test/support/seeded-random';

const { rand, pick, some } = seededRandom(7);
const maybe = <T>(value: T): T | undefined => (rand() < 0.4 ? value : undefined);

const MODELS = ['gpt-4o', 'claude', 'mini'];
const USERS = ['ann', 'bob', ''];
const TAGS = ['prod', 'chat', 'beta'];
const TRACES = ['t1', 't2', 't3'];

function row(): LiveRow {
  return {
    trace_id: pick(TRACES),
    started_at: new Date(Date.UTC(2026, 2, 1 + Math.floor(rand() * 3))).toISOString(),
    model: pick(MODELS),
    served_model: pick(['', ...MODELS]),
    provider: pick(['openai', 'anthropic']),
    source: 'gateway',
    user_id: pick(USERS),
    session_id: pick(['s1', 's2', '']),
    api_key_id: pick(['k1', '']),
    tags: some(TAGS),
    metadata: rand() < 0.5 ? { team: 'red' } : {},
    input: 'about Paris',
    status: pick(['completed', 'failed'] as const),
    error_message: '',
    cost_usd: null,
    cost_flags: [],
    latency_ms: 10,
    ttft_ms: null,
    input_tokens: 1,
    output_tokens: 1,
    total_tokens: 2,
    output: 'rain',
  };
}

function selection(): LiveSelection {
  const filter: Filter = {
    models: maybe(some(MODELS)),
    userIds: maybe(some(USERS)),
    sessionIds: maybe(some(['s1', 's2'])),
    apiKeyIds: maybe(['k1']),
    tags: maybe(some(TAGS)),
    providers: maybe(['openai']),
    statuses: maybe(['FAILED']),
    from: maybe('2026-03-02T00:00:00.000Z'),
  };
  return { filter, sampleRate: pick([1, 1, 0.5]), traceId: maybe(pick(TRACES)) ?? null };
}

describe('SelectionIndex', () => {
  it('gives each row exactly the subscribers whose selection takes it, once each', () => {
    const index = new SelectionIndex<number>();
    const selections = Array.from({ length: 300 }, selection);
    selections.forEach((s, i) => index.add(i, s));
    const removed = new Set([3, 50, 51, 299]);
    removed.forEach((i) => index.delete(i));
    expect(index.size).toBe(296);
    let delivered = 0;
    for (let n = 0; n < 500; n++) {
      const r = row();
      for (const known of ['request', 'all'] as const) {
        const got: number[] = [];
        index.matching(new PreparedRow(r), known, (i) => got.push(i));
        const expected = selections.flatMap((s, i) => (!removed.has(i) && selects(s, r, known) ? [i] : []));
        expect(got.sort((a, b) => a - b)).toEqual(expected);
        delivered += got.length;
      }
    }
    expect(delivered).toBeGreaterThan(5000); // not vacuous: rows do meet selections
  });

  it('takes a row whose model and served model are both in the filter once', () => {
    const index = new SelectionIndex<string>();
    index.add('both', { filter: { models: ['a', 'b'] }, sampleRate: 1, traceId: null });
    const got: string[] = [];
    index.matching(new PreparedRow({ ...row(), model: 'a', served_model: 'b' }), 'all', (s) => got.push(s));
    expect(got).toEqual(['both']);
  });
});
