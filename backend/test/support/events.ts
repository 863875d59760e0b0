import {
  newEventId,
  newSpanId,
  newTraceId,
  type GatewayRequestRefused,
  type SightlineEvent,
} from '@sightline/schemas';

/** A finished generation as the gateway records it: requested, then completed. */
export function generationEvents(
  projectId: string,
  overrides: { model?: string; startedAt?: Date; output?: string } = {},
): [SightlineEvent, SightlineEvent] {
  const startedAt = overrides.startedAt ?? new Date();
  const span = { projectId, traceId: newTraceId(), spanId: newSpanId(), source: 'gateway' as const };
  return [
    {
      ...span,
      eventId: newEventId(),
      occurredAt: startedAt.toISOString(),
      type: 'generation.requested',
      version: 2,
      data: {
        provider: 'mock',
        model: overrides.model ?? 'mock-1',
        messages: [{ role: 'user', content: 'hello' }],
        params: { temperature: 0 },
        stream: false,
        tags: [],
        metadata: {},
      },
    },
    {
      ...span,
      eventId: newEventId(),
      occurredAt: new Date(startedAt.getTime() + 120).toISOString(),
      type: 'generation.completed',
      version: 3,
      data: {
        servedBy: { provider: 'mock', model: overrides.model ?? 'mock-1' },
        output: {
          choices: [
            { index: 0, content: overrides.output ?? 'hi there', toolCalls: [], finishReason: 'stop' },
          ],
        },
        finishReason: 'stop',
        usage: {
          inputTokens: 3,
          outputTokens: 2,
          totalTokens: 5,
          cachedTokens: 0,
          reasoningTokens: 0,
          source: 'reported',
        },
        startedAt: startedAt.toISOString(),
        latencyMs: 120,
        timeToFirstTokenMs: null,
        cost: null,
      },
    },
  ];
}

export async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type SpanData = Extract<SightlineEvent, { type: 'span.recorded' }>['data'];

/** A `span.recorded` event as the ingestion API appends it. */
export function spanEvent(
  at: { projectId: string; traceId: string; spanId: string; parentSpanId?: string; occurredAt?: string },
  data: SpanData,
): SightlineEvent {
  const { occurredAt, parentSpanId, ...ids } = at;
  return {
    ...ids,
    ...(parentSpanId ? { parentSpanId } : {}),
    eventId: newEventId(),
    type: 'span.recorded',
    version: 2,
    occurredAt: occurredAt ?? data.endedAt ?? data.startedAt ?? new Date().toISOString(),
    source: 'ingest',
    data,
  };
}

/** A numeric score of a whole trace. */
export function scoreEvent(projectId: string, traceId: string, name: string, value: number): SightlineEvent {
  const scoreId = newSpanId();
  return {
    projectId,
    traceId,
    spanId: scoreId,
    eventId: newEventId(),
    type: 'score.recorded',
    version: 2,
    occurredAt: new Date().toISOString(),
    source: 'ingest',
    data: { scoreId, target: 'trace', name, score: { dataType: 'numeric', value } },
  };
}

/** `count` refusals of one kind, counted until `data.lastAt` (an unknown model, unless `data` says otherwise). */
export function refusalEvent(
  projectId: string,
  data: Partial<GatewayRequestRefused['data']> & { count: number; lastAt: string },
): GatewayRequestRefused {
  return {
    eventId: newEventId(),
    type: 'gateway.request-refused',
    version: 1,
    occurredAt: data.lastAt,
    projectId,
    traceId: newTraceId(),
    spanId: newSpanId(),
    source: 'gateway',
    data: {
      endpoint: 'POST /v1/chat/completions',
      status: 404,
      code: 'model_not_found',
      model: 'mdl-does-not-exist',
      apiKeyId: 'key-1',
      firstAt: data.lastAt,
      ...data,
    },
  };
}
