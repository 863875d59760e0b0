/** The loopback broker `deploy/kafka/start.sh` runs (npm test starts it). */
export function kafkaBrokersForTests(): string {
  return process.env.KAFKA_TEST_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`;
}
