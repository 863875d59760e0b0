import type { SpanRow } from './span-row';
import { spanTree, type Stored } from './trace.view';

function row(id: string, parent: string, startedAt: string): Stored<SpanRow> {
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
    started_at: `2026-11-30 10:00:0${startedAt}.000`,
    ended_at: null,
    latency_ms: null,
    model: '',
    provider: '',
    input_tokens: 0,
    output_tokens: 0,
    total_tokens: 0,
    cached_tokens: 0,
    reasoning_tokens: 0,
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
  it('puts each span after its parent, siblings by start, and shows every span once', () => {
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
      ['lost', 0, true],
      ['x', 0, true],
      ['y', 0, true],
    ]);
    expect(tree[1].input).toBe('{"q":1}');
    expect(tree[0].input).toBeNull();
  });
});
