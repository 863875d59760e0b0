// The audit log's filters: what they offer and how they read from and write to the URL.

/** Action prefixes a person filters by, as the API takes them (`api-key` matches every key event). */
export const AUDIT_ACTIONS: readonly { readonly prefix: string; readonly label: string }[] = [
  { prefix: 'api-key', label: 'API keys' },
  { prefix: 'membership', label: 'Members and roles' },
  { prefix: 'invite', label: 'Invites' },
  { prefix: 'project', label: 'Project and retention' },
  { prefix: 'provider-credential', label: 'Provider credentials' },
  { prefix: 'project-model', label: 'Custom models' },
  { prefix: 'custom-price', label: 'Prices' },
  { prefix: 'budget', label: 'Budgets' },
  { prefix: 'redaction', label: 'Redaction' },
  { prefix: 'prompt', label: 'Prompts' },
  { prefix: 'data', label: 'Data deletion' },
];

export const AUDIT_PERIODS: readonly { readonly id: string; readonly label: string; readonly ms: number }[] =
  [
    { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
    { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
    { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  ];

export interface AuditQuery {
  readonly action: string;
  readonly actor: string;
  readonly period: string;
}

/** The filters in `params` (unknown values read as none). */
export function auditQueryOf(params: URLSearchParams): AuditQuery {
  const action = params.get('action') ?? '';
  const period = params.get('period') ?? '';
  return {
    action: AUDIT_ACTIONS.some((a) => a.prefix === action) ? action : '',
    actor: params.get('actor') ?? '',
    period: AUDIT_PERIODS.some((p) => p.id === period) ? period : '',
  };
}

/** `?action=…&actor=…&period=…`, only what is set ('' when nothing is). */
export function auditSearch(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API's `AuditFilter` for `query` at `now`. */
export function auditFilter(query: AuditQuery, now: Date) {
  const period = AUDIT_PERIODS.find((p) => p.id === query.period);
  return {
    ...(query.action ? { actions: [query.action] } : {}),
    ...(query.actor ? { actorId: query.actor } : {}),
    ...(period ? { since: new Date(now.getTime() - period.ms).toISOString() } : {}),
  };
}
