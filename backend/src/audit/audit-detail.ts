import type { ControlEvent } from '@sightline/schemas';

/** What a person needs to read an audit entry: names, e-mails, roles, days. Never secrets or hashes. */
export interface AuditDetail {
  readonly name?: string;
  readonly email?: string | null;
  readonly userId?: string;
  readonly role?: string | null;
  readonly days?: number | null;
  readonly scope?: string;
}

const READABLE = ['name', 'label', 'email', 'userId', 'role', 'days', 'scope'] as const;

/**
 * The readable facts of a control event, from its data as it was then (a key's name, an invitee's
 * e-mail, a member's new role): only the fields named in {@link READABLE}, `label` read as `name`.
 */
export function auditDetail(event: ControlEvent): AuditDetail {
  const data = event.data as Readonly<Record<string, unknown>>;
  const detail: Record<string, unknown> = {};
  for (const field of READABLE) {
    const value = data[field];
    if (typeof value === 'string' || typeof value === 'number' || value === null)
      detail[field === 'label' ? 'name' : field] = value;
  }
  return detail;
}

/** The stored column back; `{}` for rows projected before it existed. */
export function parseAuditDetail(text: string): AuditDetail {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value !== null && typeof value === 'object' ? (value as AuditDetail) : {};
  } catch {
    return {};
  }
}
