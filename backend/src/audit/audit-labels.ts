import type { AuditDetail } from './audit-detail';

/** An audit entry as the label needs it. */
export interface LabelledEntry {
  readonly action: string;
  readonly target: string;
  readonly detail: AuditDetail;
  /** Membership events: the member's role before this one (null: none); undefined otherwise. */
  readonly previousRole?: string | null;
}

/** Current names, for entries projected before their detail was kept. */
export interface CurrentNames {
  userEmail(userId: string): string | undefined;
  keyName(keyId: string): string | undefined;
}

const quoted = (name: string | undefined) => (name ? `“${name}”` : undefined);

/**
 * The target of an audit entry as a person reads it: `key “CI” (pk_…)`, `ada@example.com: member →
 * admin`, `invite for bo@example.com as viewer`, `project “Support bot”`, `retention: 30 days`.
 */
export function targetLabel(entry: LabelledEntry, names: CurrentNames): string {
  const { action, target, detail } = entry;
  const [kind] = action.split('.');
  switch (kind) {
    case 'api-key': {
      const name = quoted(detail.name ?? names.keyName(target));
      return name ? `key ${name} (${target})` : `key ${target}`;
    }
    case 'membership': {
      const userId = detail.userId ?? target.slice(target.indexOf('/') + 1);
      const who = names.userEmail(userId) ?? userId;
      return `${who}: ${entry.previousRole ?? 'none'} → ${detail.role ?? 'removed'}`;
    }
    case 'invite':
      return `invite for ${detail.email ?? 'anyone with the link'}${detail.role ? ` as ${detail.role}` : ''}`;
    case 'project':
      if (action === 'project.retention-set')
        return detail.days ? `retention: ${detail.days} days` : 'retention: keep for ever';
      return `project ${quoted(detail.name) ?? target}`;
    case 'user':
      return detail.email ?? names.userEmail(target) ?? target;
    case 'data':
      return `${detail.scope ?? 'data'} ${target}`;
    default:
      return quoted(detail.name) ?? target;
  }
}
