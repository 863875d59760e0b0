import { AppConfig } from './app-config';

describe('AppConfig: partitions of the LLM topics', () => {
  it('defaults to one on the embedded log (one projector takes partitions in turn) and six on Kafka; EVENT_PARTITIONS wins', () => {
    expect(new AppConfig({}).llmPartitions).toBe(1);
    expect(new AppConfig({ KAFKA_BROKERS: '127.0.0.1:9092' }).llmPartitions).toBe(6);
    expect(new AppConfig({ EVENT_PARTITIONS: '4' }).llmPartitions).toBe(4);
    expect(new AppConfig({ KAFKA_BROKERS: '127.0.0.1:9092', EVENT_PARTITIONS: '3' }).llmPartitions).toBe(3);
  });
});
