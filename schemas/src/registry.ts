import type { TSchema } from '@sinclair/typebox';
import { GatewayRequestRefused } from './events/gateway';
import {
  GenerationCancelled,
  GenerationCancelledV1,
  GenerationCompleted,
  GenerationCompletedV1,
  GenerationCompletedV2,
  GenerationFailed,
  GenerationFailedV1,
  GenerationFailedV2,
  GenerationProgressed,
  GenerationRequested,
  GenerationRequestedV1,
} from './events/generation';
import { ScoreRecorded, ScoreRecordedV1, SpanRecorded, SpanRecordedV1 } from './events/trace';

/** The current version of every event type; producers only append these. */
export type SightlineEvent =
  | GenerationRequested
  | GenerationCompleted
  | GenerationFailed
  | GenerationCancelled
  | SpanRecorded
  | ScoreRecorded
  | GatewayRequestRefused;
export type EventType = SightlineEvent['type'];

export const CURRENT_SCHEMAS: { readonly [T in EventType]: TSchema } = {
  'generation.requested': GenerationRequested,
  'generation.completed': GenerationCompleted,
  'generation.failed': GenerationFailed,
  'generation.cancelled': GenerationCancelled,
  'span.recorded': SpanRecorded,
  'score.recorded': ScoreRecorded,
  'gateway.request-refused': GatewayRequestRefused,
};

/** Transient events of the live topic (not archived, not projected); one version each so far. */
export type LiveEvent = GenerationProgressed;
export const LIVE_SCHEMAS: readonly TSchema[] = [GenerationProgressed];

/** Every version ever published, current ones included: consumers accept all of them. */
export const ALL_SCHEMAS: readonly TSchema[] = [
  GenerationRequestedV1,
  GenerationRequested,
  GenerationCompletedV1,
  GenerationCompletedV2,
  GenerationCompleted,
  GenerationFailedV1,
  GenerationFailedV2,
  GenerationFailed,
  GenerationCancelledV1,
  GenerationCancelled,
  SpanRecordedV1,
  SpanRecorded,
  ScoreRecordedV1,
  ScoreRecorded,
  GatewayRequestRefused,
];

export const schemaKey = (type: string, version: number): string => `${type}.v${version}`;
