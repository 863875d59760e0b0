import { newEventId, newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsInLog } from '../../test/support/fault-totals';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { createProjects } from '../../test/support/projector-faults';
import { SOURCES, startSightlineChild } from '../../test/support/sightline-child';
import { KafkaEventLog } from './kafka/kafka-event-log';
import { topicSpecs } from './topics';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Gateway calls are answered before their events reach the outbox (a window of one event-loop turn
// plus a local write): the calls answered in that window before the kill are printed, not asserted.
describe('durable outbox (Kafka): a kill -9 of the accepting process loses no accepted ingest item', () => {
  let dir: string;
  let fake: FakeOpenAiServer;
  let log: KafkaEventLog;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-outbox-'));
    fake = await startFakeOpenAiServer({ apiKey: 'outbox' });
    log = new KafkaEventLog({ brokers: [kafkaBrokersForTests()], clientId: 'outbox-test', logLevel: 1 });
    await log.ensureTopics(topicSpecs(3));
  });
  afterAll(async () => {
    await log?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every ingest item answered before the SIGKILL is in the log after a restart', async () => {
    const [project] = await createProjects(log);
    const env = {
      KAFKA_BROKERS: kafkaBrokersForTests(),
      EVENT_PARTITIONS: '3',
      SIGHTLINE_ROLES: 'api',
      DATA_DIR: join(dir, 'api'),
      SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64'),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'outbox',
      GATEWAY_RATE_LIMIT_RPS: '1000000',
      API_RATE_LIMIT_RPS: '1000000',
    };
    const api = await startSightlineChild(SOURCES, env);
    const acceptedItems = new Set<string>();
    const answeredCalls = new Set<string>();
    const post = (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${project.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const worker = async (w: number) => {
      for (let i = 0; !api.gone; i++) {
        try {
          if (w % 2) {
            const ids = [newEventId(), newEventId()];
            const traceId = newTraceId();
            const res = await post('/api/ingest', {
              batch: ids.map((id) => ({
                id,
                type: 'span',
                body: { traceId, spanId: newSpanId(), name: 'x' },
              })),
            });
            const body = (await res.json()) as { successes: { id: string }[] };
            body.successes.forEach((s) => acceptedItems.add(s.id));
          } else {
            const user = `call-${w}-${i}`;
            const res = await post('/v1/chat/completions', {
              model: 'gpt-4o-mini',
              user,
              messages: [{ role: 'user', content: 'hi' }],
            });
            await res.text();
            if (res.status === 200) answeredCalls.add(user);
          }
        } catch {
          // the process was killed under this call: it was never answered
        }
      }
    };
    const workers = Promise.all([0, 1, 2, 3].map(worker));
    await sleep(3000);
    api.kill('SIGKILL');
    await workers;
    expect(acceptedItems.size).toBeGreaterThan(0);
    expect(answeredCalls.size).toBeGreaterThan(0);

    const again = await startSightlineChild(SOURCES, env); // relays what the outbox kept
    const missing = async () => {
      const events: SightlineEvent[] = await eventsInLog(log, new Set([project.projectId]));
      const ids = new Set(events.map((e) => e.eventId));
      const completed = new Set(events.filter((e) => e.type === 'generation.completed').map((e) => e.spanId));
      const calls = new Set(
        events.flatMap((e) =>
          e.type === 'generation.requested' && completed.has(e.spanId) && e.data.user ? [e.data.user] : [],
        ),
      );
      return {
        items: [...acceptedItems].filter((id) => !ids.has(id)),
        calls: [...answeredCalls].filter((user) => !calls.has(user)),
      };
    };
    let left = await missing();
    for (
      let deadline = Date.now() + 20_000;
      left.items.length + left.calls.length && Date.now() < deadline;
    ) {
      await sleep(500);
      left = await missing();
    }
    await again.stop();
    console.log(
      `answered: ${acceptedItems.size} ingest items, ${answeredCalls.size} gateway calls; missing:`,
      left,
    );
    expect(left.items).toEqual([]);
  }, 120_000);
});
