import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import {
  answeredUntilKilled,
  apiUnderTrafficEnv,
  missingFromLog,
} from '../../test/support/kill-under-traffic';
import { createProjects } from '../../test/support/projector-faults';
import { SOURCES, startSightlineChild } from '../../test/support/sightline-child';
import { KafkaEventLog } from './kafka/kafka-event-log';
import { topicSpecs } from './topics';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Ingest items are on local disk (the outbox) before their answer; a gateway call's events are
// before its answer ends. The restart relays what the outbox kept.
describe('durable outbox (Kafka): a kill -9 of the accepting process loses nothing it answered', () => {
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

  it('every ingest item and gateway call answered before the SIGKILL is in the log after a restart', async () => {
    const [project] = await createProjects(log);
    const env = apiUnderTrafficEnv(
      { url: fake.url, apiKey: 'outbox' },
      { KAFKA_BROKERS: kafkaBrokersForTests(), DATA_DIR: join(dir, 'api') },
    );
    const answered = await answeredUntilKilled(await startSightlineChild(SOURCES, env), project, 3000);
    expect(answered.items.size).toBeGreaterThan(0);
    expect(answered.calls.size).toBeGreaterThan(0);

    const again = await startSightlineChild(SOURCES, env); // relays what the outbox kept
    let left = await missingFromLog(log, project.projectId, answered);
    for (
      let deadline = Date.now() + 20_000;
      left.items.length + left.calls.length && Date.now() < deadline;
    ) {
      await sleep(500);
      left = await missingFromLog(log, project.projectId, answered);
    }
    await again.stop();
    expect(left).toEqual({ items: [], calls: [] });
  }, 120_000);
});
