import type { KafkaMessage } from 'kafkajs';
import type { LogRecord } from '../event-log';

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ? message.key.toString('utf8') : '',
    value: message.value ?? Buffer.alloc(0),
    timestamp: Number(message.timestamp),
  };
}

export function assertOffset(offset: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${offset}`);
  }
}
