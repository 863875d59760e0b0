import type { GenerationCompleted, GenerationRequested, SightlineEvent } from '@sightline/schemas';
import { ArchiveProjection } from '../../src/archive/archive.projection';
import { EventArchive } from '../../src/archive/event-archive';
import type { ClickHouse } from '../../src/clickhouse/clickhouse';
import { GenerationsProjection } from '../../src/generations/generations.projection';
import { SpansProjection } from '../../src/traces/spans.projection';
import { generationEvents } from './events';

export interface Call {
  /** Its trace id (the generation's span id is `<name>-g`). */
  name: string;
  project?: string;
  model?: string;
  user?: string;
  /** YYYY-MM-DD, started at noon UTC; or a whole ISO time. */
  day?: string;
  tags?: string[];
  metadata?: Record<string, string>;
  output?: string;
  /** 9-decimal USD. */
  usd?: string;
  /** The cost's flags (with `usd`): `unpriced`, `estimated_usage`... */
  costFlags?: NonNullable<GenerationCompleted['data']['cost']>['flags'];
  latencyMs?: number;
  provider?: string;
  /** Streamed, first token after this long. */
  ttftMs?: number;
  outputTokens?: number;
  /** Ends in `generation.failed` (a provider 500). */
  failed?: boolean;
}

/** A gateway generation (requested + completed) in a trace of its own, with the given attributes. */
export function call(c: Call): SightlineEvent[] {
  const day = c.day ?? '2026-03-02';
  const startedAt = new Date(day.length === 10 ? `${day}T12:00:00Z` : day);
  const [requested, ended] = generationEvents(c.project ?? 'p', {
    model: c.model,
    startedAt,
    output: c.output,
  });
  const req = requested as GenerationRequested;
  const done = ended as GenerationCompleted;
  const ids = { endUserId: c.user, traceId: c.name, spanId: `${c.name}-g` };
  const latencyMs = c.latencyMs ?? 120;
  const provider = c.provider ?? 'mock';
  const request: SightlineEvent = {
    ...req,
    ...ids,
    data: {
      ...req.data,
      provider,
      stream: c.ttftMs !== undefined,
      tags: c.tags ?? [],
      metadata: c.metadata ?? {},
    },
  };
  const endedAt = new Date(startedAt.getTime() + latencyMs).toISOString();
  if (c.failed)
    return [
      request,
      {
        ...done,
        ...ids,
        type: 'generation.failed',
        version: 3,
        occurredAt: endedAt,
        data: {
          errorClass: 'provider_error',
          providerStatus: 500,
          message: 'upstream failed',
          startedAt: startedAt.toISOString(),
          latencyMs,
          output: null,
          usage: null,
          timeToFirstTokenMs: null,
          cost: null,
        },
      },
    ];
  const outputTokens = c.outputTokens ?? 2;
  return [
    request,
    {
      ...done,
      ...ids,
      occurredAt: endedAt,
      data: {
        ...done.data,
        servedBy: { provider, model: c.model ?? 'mock-1' },
        usage: { ...done.data.usage, outputTokens, totalTokens: 3 + outputTokens },
        timeToFirstTokenMs: c.ttftMs ?? null,
        latencyMs,
        cost: c.usd ? { totalUsd: c.usd, priceVersion: 'catalog:test', flags: c.costFlags ?? [] } : null,
      },
    },
  ];
}

/** Projects events as the projector does: archive, generations, then spans/traces/scores. */
export async function projectAll(ch: ClickHouse, events: SightlineEvent[], token: string): Promise<void> {
  await new ArchiveProjection(ch).apply({ events, dedupToken: `${token}-archive` });
  const archive = new EventArchive(ch);
  await new GenerationsProjection(ch, archive).apply({ events, dedupToken: `${token}-gen` });
  await new SpansProjection(ch, archive).apply({ events, dedupToken: `${token}-spans` });
}
