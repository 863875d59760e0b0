import { randomBytes } from 'node:crypto';
import { endToEnd } from './support/end-to-end.suite';
import { kafkaBrokersForTests } from './support/kafka-brokers';

endToEnd('Kafka + chDB', {
  KAFKA_BROKERS: kafkaBrokersForTests(),
  EVENT_PARTITIONS: '3',
  SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64'),
});
