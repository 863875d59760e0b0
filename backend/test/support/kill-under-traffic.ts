import { randomBytes } from 'node:crypto';
import { newEventId, newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import type { EventLog } from '../../src/eventlog/event-log';
import { eventsInLog } from './fault-totals';
import type { Project } from './projector-faults';
import type { SightlineChild } from './sightline-child';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The environment of an API-only child that takes the kill traffic: three partitions, no rate limits,
 * OpenAI calls to `upstream`; `log` says where events go (an lmdb directory or Kafka brokers).
 */
export function apiUnderTrafficEnv(
  upstream: { readonly url: string; readonly apiKey: string },
  log: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    SIGHTLINE_ROLES: 'api',
    EVENT_PARTITIONS: '3',
    SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64'),
    OPENAI_BASE_URL: upstream.url,
    OPENAI_API_KEY: upstream.apiKey,
    GATEWAY_RATE_LIMIT_RPS: '1000000',
    API_RATE_LIMIT_RPS: '1000000',
    ...log,
  };
}

/** What callers were told was accepted before the kill. */
export interface Answered {
  /** Ingest item ids answered 201. */
  readonly items: ReadonlySet<string>;
  /** The `user` of each gateway call answered 200 (streamed or not). */
  readonly calls: ReadonlySet<string>;
}

/**
 * Ingest batches and gateway calls (plain and streamed) from six clients into `api` until it has
 * run `killAfterMs`, then a SIGKILL; resolves with what was answered before it died.
 */
export async function answeredUntilKilled(
  api: SightlineChild,
  project: Project,
  killAfterMs: number,
): Promise<Answered> {
  const items = new Set<string>();
  const calls = new Set<string>();
  const post = (path: string, body: unknown) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${project.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const ingest = async () => {
    const ids = [newEventId(), newEventId()];
    const traceId = newTraceId();
    const res = await post('/api/ingest', {
      batch: ids.map((id) => ({ id, type: 'span', body: { traceId, spanId: newSpanId(), name: 'x' } })),
    });
    const body = (await res.json()) as { successes: { id: string; status: number }[] };
    body.successes.filter((s) => s.status === 201).forEach((s) => items.add(s.id));
  };
  const call = async (user: string, stream: boolean) => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o-mini',
      user,
      stream,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await res.text(); // the whole answer: the call was answered only if its end arrived
    if (res.status === 200) calls.add(user);
  };
  const client = async (c: number) => {
    for (let i = 0; !api.gone; i++) {
      try {
        if (c % 2) await ingest();
        else await call(`call-${c}-${i}`, c === 2);
      } catch {
        // the process was killed under this request: it was never answered
      }
    }
  };
  const clients = Promise.all([0, 1, 2, 3, 4, 5].map(client));
  await sleep(killAfterMs);
  api.kill('SIGKILL');
  await clients;
  return { items, calls };
}

/** What was answered and is not in `log`: item ids, and calls without both their request and end. */
export async function missingFromLog(
  log: EventLog,
  projectId: string,
  answered: Answered,
): Promise<{ items: string[]; calls: string[] }> {
  const events: SightlineEvent[] = await eventsInLog(log, new Set([projectId]));
  const ids = new Set(events.map((e) => e.eventId));
  const completed = new Set(events.filter((e) => e.type === 'generation.completed').map((e) => e.spanId));
  const calls = new Set(
    events.flatMap((e) =>
      e.type === 'generation.requested' && completed.has(e.spanId) && e.data.user ? [e.data.user] : [],
    ),
  );
  return {
    items: [...answered.items].filter((id) => !ids.has(id)),
    calls: [...answered.calls].filter((user) => !calls.has(user)),
  };
}
