import { randomBytes } from 'node:crypto';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { otlpApiSuite } from '../../test/support/otlp-api.suite';

otlpApiSuite('Kafka', {
  KAFKA_BROKERS: kafkaBrokersForTests(),
  EVENT_PARTITIONS: '3',
  SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64'),
});
