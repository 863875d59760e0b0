import type { SightlineEvent } from '@sightline/schemas';
import { redactSecrets } from './redact';

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)]));
  }
  return value;
}

/** The redaction rule run before an event is appended: credentials pasted into prompts or outputs are masked. */
export function redactEvent<E extends SightlineEvent>(event: E): E {
  return { ...event, data: redactValue(event.data) } as E;
}
