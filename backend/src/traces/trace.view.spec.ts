import type { SpanRow } from './span-row';
import { spanTree } from './trace.view';

function row(id: string, parent: string, startedAt: string): SpanRow {
  return {
    project_id: 'p1',
    trace_id: 't1',
    span_id: id,
    parent_span_id: parent,
    kind: 'span',
    name: id,
    source: 'ingest',
    status: 'ok',
    status_message: '',
    level: 'default',
    started_at: `2026-11-30T10:00:0${startedAt}.000Z`,
    ended_at: null,
    latency_ms: null,
    model: '',
    provider: '',
    input_tokens: 0,
    output_tokens: 0,
    total_tokens: 0,
    cached_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: null,
    price_version: '',
    cost_flags: [],
    input_preview: '',
    output_preview: '',
    user_id: '',
    session_id: '',
    tags: [],
    metadata: {},
    release: '',
    app_version: '',
    environment: '',
    event_count: 1,
  };
}

describe('spanTree', () => {
  it('puts each span after its parent, siblings by start, orphans under the root, every span once', () => {
    const rows = [
      row('b', 'root', '2'),
      row('a', 'root', '1'),
      row('a1', 'a', '3'),
      row('root', '', '0'),
      row('lost', 'gone', '4'),
      // a parent cycle: neither is reachable from a root
      row('x', 'y', '5'),
      row('y', 'x', '6'),
    ];
    const tree = spanTree(rows, new Map([['a', { input: { q: 1 } }]]));
    expect(tree.map((s) => [s.id, s.depth, s.orphan])).toEqual([
      ['root', 0, false],
      ['a', 1, false],
      ['a1', 2, false],
      ['b', 1, false],
      ['lost', 1, true],
      ['x', 0, true],
      ['y', 0, true],
    ]);
    expect(tree[1].input).toBe('{"q":1}');
    expect(tree[0].input).toBeNull();
  });

  it('given the root never arrived, when shown, then the earliest orphan stands in for it and the others hang under it', () => {
    const tree = spanTree(
      [row('late', 'gone', '3'), row('first', 'gone', '1'), row('kid', 'late', '4')],
      new Map(),
    );
    expect(tree.map((s) => [s.id, s.depth, s.orphan])).toEqual([
      ['first', 0, true],
      ['late', 1, true],
      ['kid', 2, false],
    ]);
  });

  it('gives a priced generation its cost, breakdown and price version; others none', () => {
    const priced = {
      ...row('g', '', '0'),
      kind: 'generation',
      cost_usd: '0.000012500',
      price_version: 'catalog:1',
      cost_flags: ['estimated_usage'],
    };
    const breakdown = {
      input: '0.000010000',
      output: '0.000002500',
      cachedInput: '0.000000000',
      cacheWrite: '0.000000000',
      reasoning: '0.000000000',
      audio: '0.000000000',
      image: '0.000000000',
      requestFee: '0.000000000',
    };
    const cost = {
      totalUsd: '0.000012500',
      breakdown,
      priceVersion: 'catalog:1',
      flags: ['estimated_usage' as const],
    };
    const [g, plain] = spanTree([priced, row('s', 'g', '1')], new Map([['g', { cost }]]));
    expect(g).toMatchObject({
      cost: '0.000012500',
      costBreakdown: breakdown,
      priceVersion: 'catalog:1',
      costFlags: ['ESTIMATED_USAGE'],
    });
    expect(plain).toMatchObject({ cost: null, costBreakdown: null, priceVersion: null, costFlags: [] });
  });

  it('names no price version for an unpriced generation (recorded as `none`)', () => {
    const unpriced = {
      ...row('u', '', '0'),
      kind: 'generation',
      cost_usd: null,
      price_version: 'none',
      cost_flags: ['unpriced'],
    };
    const [u] = spanTree([unpriced], new Map());
    expect(u).toMatchObject({ cost: null, priceVersion: null, costFlags: ['UNPRICED'] });
  });
});
