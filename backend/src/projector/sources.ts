import { decodeControlEvent, decodeEvent, type ControlEvent, type SightlineEvent } from '@sightline/schemas';
import { TOPICS } from '../eventlog/topics';
import { isErased } from '../privacy/erasure';
import type { Source } from './read-model';

/** LLM events. Deleted data never comes back, whatever part of the log is re-read. */
export const LLM_EVENTS: Source<SightlineEvent> = {
  topic: TOPICS.llm,
  group: 'sightline-projector',
  decode: decodeEvent,
  keep: (event, control) => !isErased(event, control),
};

/** The consumer group projecting `source` (`PROJECTOR_GROUP_SUFFIX` sets projectors apart, e.g. for a rebuild). */
export const projectorGroup = (source: { readonly group: string }, suffix: string | undefined): string =>
  suffix ? `${source.group}-${suffix}` : source.group;

/** Control-plane events. */
export const CONTROL_EVENTS: Source<ControlEvent> = {
  topic: TOPICS.control,
  group: 'sightline-audit',
  decode: decodeControlEvent,
};
