import { randomBytes } from 'node:crypto';
import { kafkaBrokersForTests } from './support/kafka-brokers';
import { liveProgress } from './support/live-progress.suite';

liveProgress('Kafka', {
  KAFKA_BROKERS: kafkaBrokersForTests(),
  EVENT_PARTITIONS: '3',
  SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64'),
});
