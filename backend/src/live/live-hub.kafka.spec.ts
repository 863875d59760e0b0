import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { liveHubSuite } from '../../test/support/live-hub.suite';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';
import { Outbox } from '../eventlog/outbox';
import { TOPICS, topicSpecs } from '../eventlog/topics';

const dir = mkdtempSync(join(tmpdir(), 'sightline-live-hub-kafka-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = randomBytes(4).toString('hex');

// Two Kafka clients, each with its recorder's own outbox, stand for two Sightline processes.
liveHubSuite('Kafka', {
  openLog: async () => {
    const log = new KafkaEventLog({
      brokers: [kafkaBrokersForTests()],
      clientId: `live-hub-${run}`,
      logLevel: 1,
    });
    await log.ensureTopics(topicSpecs(3));
    return log;
  },
  outbox: (log, name) => Outbox.open(join(dir, name), log, TOPICS.llm),
});
