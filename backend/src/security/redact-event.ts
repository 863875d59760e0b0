import { mapJsonStrings, type LiveEvent, type SightlineEvent } from '@sightline/schemas';
import { redactSecrets } from './redact';
import { redactFreeText, type TextRedactor } from './redact-free-text';

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
    data: mapJsonStrings(event.data, redactSecrets),
  } as E;
  return project ? redactFreeText(masked, project) : masked;
}
