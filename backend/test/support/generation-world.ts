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
  latencyMs?: number;
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
  return [
    { ...req, ...ids, data: { ...req.data, tags: c.tags ?? [], metadata: c.metadata ?? {} } },
    {
      ...done,
      ...ids,
      occurredAt: new Date(startedAt.getTime() + latencyMs).toISOString(),
      data: {
        ...done.data,
        latencyMs,
        cost: c.usd ? { totalUsd: c.usd, priceVersion: 'catalog:test', flags: [] } : null,
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
