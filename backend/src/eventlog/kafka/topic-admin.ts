import type { Admin } from 'kafkajs';
import type { TopicSpec } from '../event-log';
import type { KafkaConnection } from './kafka-connection';

/** Create the topics that do not exist yet, with their cleanup policy and retention. */
export async function ensureTopics(connection: KafkaConnection, specs: readonly TopicSpec[]): Promise<void> {
  const admin = await connection.getAdmin();
  const existing = new Set(await admin.listTopics());
  const missing = new Map<string, TopicSpec>();
  for (const spec of specs) if (!existing.has(spec.name)) missing.set(spec.name, spec);
  if (!missing.size) return;
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [...missing.values()].map((spec) => ({
      topic: spec.name,
      numPartitions: spec.partitions,
      replicationFactor: connection.options.replicationFactor ?? 1,
      configEntries: [
        ...(spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
        ...(spec.retentionMs !== undefined
          ? [{ name: 'retention.ms', value: String(spec.retentionMs) }]
          : []),
      ],
    })),
  });
  // false: someone else created (some of) them meanwhile, and kafkajs skipped waiting for leaders.
  if (!created) await waitForLeaders(admin, [...missing.keys()]);
}

/** Per partition, the last stable offset: where a read_committed reader that read everything stands. */
export async function endOffsets(connection: KafkaConnection, topic: string): Promise<number[]> {
  const offsets = await topicOffsets(await connection.getAdmin(), topic);
  return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
}

/** Per partition, the group's committed offset; 0 where it never committed (Kafka says -1). */
export async function committedOffsets(
  connection: KafkaConnection,
  group: string,
  topic: string,
): Promise<number[]> {
  const admin = await connection.getAdmin();
  const [fetched] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return [...(fetched?.partitions ?? [])]
    .sort((a, b) => a.partition - b.partition)
    .map((p) => Math.max(0, Number(p.offset)));
}

type PartitionOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/**
 * `fetchTopicOffsets`, retried while the broker answers with a retriable error: right after a topic
 * is created its leader is in the metadata a moment before it serves ListOffsets
 * (NOT_LEADER_OR_FOLLOWER), and kafkajs's admin does not retry that.
 */
export async function topicOffsets(
  admin: Admin,
  topic: string,
  timeoutMs = 10000,
): Promise<PartitionOffsets> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics }).catch(() => ({ topics: [] }));
    const ready =
      metadata.length === topics.length &&
      metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for leaders of ${topics.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
