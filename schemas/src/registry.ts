import type { TSchema } from '@sinclair/typebox';
import {
  GenerationCompleted,
  GenerationFailed,
  GenerationRequested,
  GenerationRequestedV1,
} from './events/generation';

/** The current version of every event type; producers only append these. */
export type SightlineEvent = GenerationRequested | GenerationCompleted | GenerationFailed;
export type EventType = SightlineEvent['type'];

export const CURRENT_SCHEMAS: { readonly [T in EventType]: TSchema } = {
  'generation.requested': GenerationRequested,
  'generation.completed': GenerationCompleted,
  'generation.failed': GenerationFailed,
};

/** Every version ever published, current ones included: consumers accept all of them. */
export const ALL_SCHEMAS: readonly TSchema[] = [
  GenerationRequestedV1,
  GenerationRequested,
  GenerationCompleted,
  GenerationFailed,
];

export const schemaKey = (type: string, version: number): string => `${type}.v${version}`;
