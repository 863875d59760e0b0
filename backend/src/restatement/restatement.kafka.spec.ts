import { randomUUID } from 'node:crypto';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { restatementSuite } from '../../test/support/restatement.suite';

const topic = `test.restatement.${randomUUID().slice(0, 8)}`;

restatementSuite(
  'Kafka',
  async () => {
    const log = new KafkaEventLog({
      brokers: [kafkaBrokersForTests()],
      clientId: 'restatement-test',
      logLevel: 1,
    });
    await log.ensureTopics([{ name: topic, partitions: 3 }]);
    return log;
  },
  topic,
);
