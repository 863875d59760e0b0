import { newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import { generationEvents, spanEvent } from '../../test/support/events';
import { isSpanEvent, type SpanEvent } from './span-patch';
import { foldSpan, PREVIEW_CHARS, wholeSpan } from './span-row';

const spanEvents = (events: readonly SightlineEvent[]): SpanEvent[] => events.filter(isSpanEvent);

/** given the events of one span → when folded (in this arrival order) → then the row. */
const given = (...events: SightlineEvent[]) => ({ whenFolded: () => foldSpan(spanEvents(events)) });

describe('foldSpan', () => {
  const at = { projectId: 'p1', traceId: newTraceId(), spanId: newSpanId(), parentSpanId: 'parent-1' };
  const start = spanEvent(at, {
    kind: 'tool',
    name: 'search',
    startedAt: '2026-11-30T10:00:00.000Z',
    input: { query: 'weather', filters: [1, 2] },
    tags: ['a'],
    metadata: { step: '1' },
    sessionId: 's-1',
    release: 'r1',
    version: 'v1',
    environment: 'prod',
  });
  const end = spanEvent(at, {
    endedAt: '2026-11-30T10:00:01.250Z',
    status: 'error',
    statusMessage: 'timeout',
    output: 'partial',
    tags: ['b', 'a'],
    metadata: { step: '2', retried: 'true' },
  });

  it('merges a start and an end into one whole row', () => {
    const row = given(start, end).whenFolded();
    expect(row).toMatchObject({
      span_id: at.spanId,
      parent_span_id: 'parent-1',
      kind: 'tool',
      name: 'search',
      source: 'ingest',
      status: 'error',
      status_message: 'timeout',
      level: 'error',
      started_at: '2026-11-30T10:00:00.000Z',
      ended_at: '2026-11-30T10:00:01.250Z',
      latency_ms: 1250,
      input_preview: '{"query":"weather","filters":[1,2]}',
      output_preview: 'partial',
      tags: ['a', 'b'],
      metadata: { step: '2', retried: 'true' },
      session_id: 's-1',
      release: 'r1',
      app_version: 'v1',
      environment: 'prod',
      event_count: 2,
    });
  });

  it('gives the same row when the end arrives before the start', () => {
    expect(given(end, start).whenFolded()).toEqual(given(start, end).whenFolded());
  });

  it('projecting the same events again changes nothing: repeats are folded once', () => {
    expect(given(start, end, end, start).whenFolded()).toEqual(given(start, end).whenFolded());
  });

  it('keeps an end without its start as a row of its own, timed from the end', () => {
    const row = given(end).whenFolded();
    expect(row).toMatchObject({ kind: 'span', name: '', status: 'error', event_count: 1 });
    expect(row.started_at).toBe(end.occurredAt);
  });

  it('shows a started span as running (no end, no latency)', () => {
    expect(given(start).whenFolded()).toMatchObject({ ended_at: null, latency_ms: null, status: 'unset' });
  });

  it('cuts previews, while the whole value stays in the events', () => {
    const long = 'x'.repeat(PREVIEW_CHARS * 3);
    const big = spanEvent(at, { name: 'big', input: long });
    expect(given(big).whenFolded().input_preview).toHaveLength(PREVIEW_CHARS);
    expect(wholeSpan(spanEvents([big])).input).toBe(long);
  });

  it('folds a gateway generation into a generation span nested where its trace headers put it', () => {
    const [requested, completed] = generationEvents('p1');
    const nested = [requested, completed].map((e) => ({ ...e, parentSpanId: 'agent-span' }));
    const row = given(...nested).whenFolded();
    expect(row).toMatchObject({
      kind: 'generation',
      name: 'mock-1',
      model: 'mock-1',
      provider: 'mock',
      status: 'ok',
      parent_span_id: 'agent-span',
      source: 'gateway',
      input_tokens: 3,
      output_tokens: 2,
      total_tokens: 5,
      latency_ms: 120,
      event_count: 2,
    });
    // Previews in plain text: the user's message and the answer, not their JSON.
    expect(row).toMatchObject({ input_preview: 'hello', output_preview: 'hi there' });
  });

  it('marks a failed generation as an error and a cancelled one as a warning', () => {
    const [requested, completed] = generationEvents('p1');
    const base = { ...completed, data: { ...completed.data } } as Extract<
      SightlineEvent,
      { type: 'generation.completed' }
    >;
    const common = {
      startedAt: base.data.startedAt,
      latencyMs: 10,
      output: null,
      usage: null,
      timeToFirstTokenMs: null,
      cost: null,
    };
    const failed: SightlineEvent = {
      ...base,
      type: 'generation.failed',
      version: 3,
      data: { ...common, errorClass: 'provider_error', providerStatus: 500, message: 'boom' },
    };
    const cancelled: SightlineEvent = {
      ...base,
      type: 'generation.cancelled',
      version: 2,
      data: { ...common, reason: 'client_disconnected' },
    };
    expect(given(requested, failed).whenFolded()).toMatchObject({
      status: 'error',
      status_message: 'provider_error: boom',
      level: 'error',
    });
    expect(given(requested, cancelled).whenFolded()).toMatchObject({
      status: 'unset',
      status_message: 'cancelled: client_disconnected',
      level: 'warning',
    });
  });
});
