import { mapJsonStrings, type LiveEvent, type SightlineEvent } from '@sightline/schemas';
import { redactSecrets } from './redact';

/**
 * The redaction rule run before an event is appended: every free-text value of the event is masked
 * wherever it sits — messages, output, user, tags, metadata, tools and tool calls, errors, keys
 * included. The envelope's ids are validated identifiers, not free text; its end user is free text.
 * Throws TooDeepError past MAX_EVENT_DEPTH.
 */
export function redactEvent<E extends SightlineEvent | LiveEvent>(event: E): E {
  return {
    ...event,
    ...(event.endUserId !== undefined ? { endUserId: redactSecrets(event.endUserId) } : {}),
    data: mapJsonStrings(event.data, redactSecrets),
  } as E;
}
