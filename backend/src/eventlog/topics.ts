import type { TopicSpec } from './event-log';

/** Topic names; one place so every feature agrees. */
export const TOPICS = {
  /** LLM events (generations, spans, scores), keyed by trace id: per-trace order. */
  llm: 'sightline.llm-events',
  /** Control plane (projects, keys, credentials...), compacted, keyed by entity id. */
  control: 'sightline.control',
  /** Transient live progress of in-flight generations (`generation.progressed`), keyed by trace id. */
  live: 'sightline.llm-live',
  /** Records that failed validation, with the reason. Never stops a partition. */
  deadLetter: 'sightline.dead-letter',
} as const;

export function topicSpecs(llmPartitions: number): TopicSpec[] {
  return [
    { name: TOPICS.llm, partitions: llmPartitions, retentionMs: 7 * 24 * 3600 * 1000 },
    { name: TOPICS.live, partitions: llmPartitions, retentionMs: 3600 * 1000, transient: true },
    { name: TOPICS.control, partitions: 1, compacted: true },
    { name: TOPICS.deadLetter, partitions: 1, retentionMs: 30 * 24 * 3600 * 1000 },
  ];
}
