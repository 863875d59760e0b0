import type { SpanRecorded } from '@sightline/schemas';
import { costColumns, type GenerationRow } from './generation-row';

const NO_EVENT = '00000000-0000-0000-0000-000000000000';

/** A span's input or output as the row's text: a string as it is, anything else as JSON. */
const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * The row of a generation sent complete through `POST /api/ingest` (one `span.recorded` of kind
 * `generation` with its start and end): projected into `generations` (analytics, lists, rollups) and
 * shown by the live views as it arrives.
 * Null for anything else: other kinds, a start or end alone (merged later by the traces read model),
 * and OTLP spans (their generations come as `generation.*` events). Priced as ingest priced it.
 */
export function ingestedGeneration(event: SpanRecorded): GenerationRow | null {
  const d = event.data;
  if (event.source !== 'ingest' || d.kind !== 'generation' || !d.startedAt || !d.endedAt) return null;
  const usage = d.usage;
  const output = text(d.output);
  return {
    project_id: event.projectId,
    span_id: event.spanId,
    trace_id: event.traceId,
    parent_span_id: event.parentSpanId ?? '',
    source: event.source,
    provider: d.provider ?? '',
    model: d.model ?? '',
    served_model: '',
    status: d.status === 'error' ? 'failed' : 'completed',
    started_at: d.startedAt,
    ended_at: d.endedAt,
    latency_ms: Math.max(0, Date.parse(d.endedAt) - Date.parse(d.startedAt)),
    ttft_ms: null,
    output_tokens_per_second: null,
    input_tokens: usage?.inputTokens ?? 0,
    output_tokens: usage?.outputTokens ?? 0,
    total_tokens: usage?.totalTokens ?? 0,
    cached_tokens: usage?.cachedTokens ?? 0,
    cache_write_tokens: 0,
    reasoning_tokens: usage?.reasoningTokens ?? 0,
    usage_source: usage ? 'reported' : 'unknown',
    usage_tokenizer: '',
    ...costColumns(d.cost ?? null),
    stream: false,
    cache_hit: false,
    input: text(d.input) ?? '[]',
    params: JSON.stringify(d.modelParameters ?? {}),
    output,
    choices: JSON.stringify(output === null ? [] : [{ index: 0, content: output }]),
    tool_calls: '[]',
    tool_names: [],
    finish_reason: '',
    error_class: d.status === 'error' ? 'ingested_error' : '',
    error_message: d.status === 'error' ? (d.statusMessage ?? '') : '',
    provider_status: null,
    user_id: event.endUserId ?? '',
    api_key_id: d.apiKeyId ?? '',
    session_id: d.sessionId ?? '',
    tags: d.tags ?? [],
    metadata: d.metadata ?? {},
    replay_of: '',
    requested_event_id: NO_EVENT,
    ended_event_id: event.eventId,
  };
}
