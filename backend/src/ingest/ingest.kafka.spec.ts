import { randomBytes } from 'node:crypto';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { ingestApiSuite } from '../../test/support/ingest-api.suite';

ingestApiSuite('Kafka', {
  KAFKA_BROKERS: kafkaBrokersForTests(),
  EVENT_PARTITIONS: '3',
  SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64'),
});
