import { newTraceId } from '@sightline/schemas';
import { rollUpTrace, type RolledSpan } from './trace-row';

const traceId = newTraceId();
function span(id: string, parent: string, over: Partial<RolledSpan> = {}): RolledSpan {
  return {
    project_id: 'p1',
    trace_id: traceId,
    span_id: id,
    parent_span_id: parent,
    kind: 'span',
    name: id,
    source: 'ingest',
    model: '',
    provider: '',
    status: 'ok',
    started_at: '2026-11-30T10:00:01.000Z',
    ended_at: '2026-11-30T10:00:02.000Z',
    input_tokens: 0,
    output_tokens: 0,
    total_tokens: 0,
    cost_usd: null,
    cost_flags: [],
    input_preview: `in ${id}`,
    output_preview: `out ${id}`,
    user_id: '',
    session_id: '',
    tags: [],
    release: '',
    app_version: '',
    environment: '',
    event_count: 1,
    ...over,
  };
}

describe('rollUpTrace', () => {
  const root = span('root', '', {
    kind: 'agent',
    started_at: '2026-11-30T10:00:00.000Z',
    ended_at: '2026-11-30T10:00:05.000Z',
    session_id: 's-1',
    tags: ['z'],
    event_count: 2,
  });
  const llm = span('llm', 'root', {
    kind: 'generation',
    source: 'gateway',
    model: 'gpt-4o',
    provider: 'openai',
    input_tokens: 10,
    output_tokens: 5,
    total_tokens: 15,
    user_id: 'u-1',
    tags: ['a'],
    cost_usd: '0.100000001',
  });
  const tool = span('tool', 'root', { kind: 'tool', status: 'error', ended_at: null });

  it('totals spans, generations, tokens and errors, and takes name, input and output from the root', () => {
    expect(rollUpTrace([tool, llm, root])).toEqual({
      project_id: 'p1',
      trace_id: traceId,
      root_span_id: 'root',
      name: 'root',
      started_at: '2026-11-30T10:00:00.000Z',
      ended_at: '2026-11-30T10:00:05.000Z',
      latency_ms: 5000,
      span_count: 3,
      generation_count: 1,
      error_count: 1,
      orphan_count: 0,
      input_tokens: 10,
      output_tokens: 5,
      total_tokens: 15,
      total_cost_usd: '0.100000001',
      unpriced_count: 0,
      estimated_count: 0,
      input_preview: 'in root',
      output_preview: 'out root',
      user_id: 'u-1',
      session_id: 's-1',
      tags: ['a', 'z'],
      // spans without a model or provider add none
      models: ['gpt-4o'],
      providers: ['openai'],
      sources: ['gateway', 'ingest'],
      release: '',
      app_version: '',
      environment: '',
      event_count: 4,
    });
  });

  it('does not depend on the order of the rows', () => {
    expect(rollUpTrace([root, llm, tool])).toEqual(rollUpTrace([tool, root, llm]));
  });

  it('while the root has not arrived, roots the trace at the earliest span whose parent is missing', () => {
    const rolled = rollUpTrace([tool, llm]);
    expect(rolled).toMatchObject({ root_span_id: 'llm', span_count: 2 });
    expect(rollUpTrace([tool, llm, root]).event_count).toBeGreaterThan(rolled.event_count);
  });

  it('sums generation costs exactly, failed ones that were billed included, counts the ones without a price apart, and the ones on estimated counts', () => {
    const generation = (id: string, over: Partial<RolledSpan>) =>
      span(id, 'root', { kind: 'generation', ...over });
    const rolled = rollUpTrace([
      root,
      llm,
      generation('g2', { cost_usd: '0.2' }),
      generation('g3', { cost_usd: '12.000000009' }),
      generation('unpriced', { cost_usd: null, cost_flags: ['unpriced'] }),
      generation('failed-billed', { cost_usd: '0.000000003', status: 'error' }),
      generation('failed-unpriced', { cost_usd: null, status: 'error', cost_flags: ['unpriced'] }),
      // recorded before broken calls were priced: no cost, not counted as unpriced either
      generation('failed-before-pricing', { cost_usd: null, status: 'error' }),
      generation('estimated', {
        cost_usd: '0.000000001',
        cost_flags: ['estimated_usage', 'approximate_tokens'],
      }),
      generation('estimated-unpriced', { cost_usd: null, cost_flags: ['estimated_usage', 'unpriced'] }),
      // a span that is not a generation is never counted
      span('odd', 'root', { kind: 'tool', cost_flags: ['estimated_usage'] }),
    ]);
    expect(rolled).toMatchObject({
      total_cost_usd: '12.300000014',
      unpriced_count: 3,
      estimated_count: 2,
      generation_count: 9,
    });
  });

  it('counts spans whose parent is missing, or is themselves, as orphans', () => {
    const lost = span('lost', 'never-came');
    const selfish = span('selfish', 'selfish');
    expect(rollUpTrace([root, llm, lost, selfish])).toMatchObject({ root_span_id: 'root', orphan_count: 2 });
    expect(rollUpTrace([root, llm]).orphan_count).toBe(0);
  });

  it('has no end while no span ended', () => {
    expect(rollUpTrace([tool])).toMatchObject({ ended_at: null, latency_ms: null });
  });
});
