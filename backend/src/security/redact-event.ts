import {
  ALL_SCHEMAS,
  LIVE_SCHEMAS,
  mapJsonStrings,
  type LiveEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import { redactSecrets } from './redact';
import { redactFreeText, type TextRedactor } from './redact-free-text';

/** Every property name of the event schemas, e.g. `timeToFirstTokenMs`. */
function fieldNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null) return into;
  const { properties } = schema as { properties?: Record<string, unknown> };
  if (properties && typeof properties === 'object') Object.keys(properties).forEach((n) => into.add(n));
  Object.values(schema).forEach((value) => fieldNames(value, into));
  return into;
}

// Public constants, never a secret: the longer ones look like tokens to the scanner's cheap test
// and sent every completed event through the whole secret scanner (~3 % of the gateway's CPU).
const FIELD_NAMES: ReadonlySet<string> = fieldNames([...ALL_SCHEMAS, ...LIVE_SCHEMAS]);
const LONGEST_FIELD_NAME = Math.max(...[...FIELD_NAMES].map((n) => n.length));

const redactText = (text: string): string =>
  text.length <= LONGEST_FIELD_NAME && FIELD_NAMES.has(text) ? text : redactSecrets(text);

/**
 * The redaction run before an event is appended: every free-text value of the event is masked
 * wherever it sits — messages, output, user, tags, metadata, tools and tool calls, errors, keys
 * included. The envelope's ids are validated identifiers, not free text; its end user is free text.
 * `project`, when the event's project has redaction rules, then runs over its free text
 * (see {@link redactFreeText}). Throws TooDeepError past MAX_EVENT_DEPTH.
 */
export function redactEvent<E extends SightlineEvent | LiveEvent>(event: E, project?: TextRedactor): E {
  const masked = {
    ...event,
    ...(event.endUserId !== undefined ? { endUserId: redactSecrets(event.endUserId) } : {}),
    data: mapJsonStrings(event.data, redactText),
  } as E;
  return project ? redactFreeText(masked, project) : masked;
}
