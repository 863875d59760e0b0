import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id } from '../envelope';
import { ROLES } from '../roles';

/**
 * Control-plane events: users, projects, memberships, keys... They live on a compacted topic keyed
 * by entity, so every event carries the entity's whole state after the change (compaction keeps
 * the newest per key), while its `type` says what changed (for the audit log).
 */

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const Actor = Type.Object({
  /** The user who acted; null for the system (first start) or an API key. */
  userId: Type.Union([Id('user id'), Type.Null()]),
  via: Type.Union([Type.Literal('session'), Type.Literal('api-key'), Type.Literal('system')]),
});
export type Actor = Static<typeof Actor>;

function controlEnvelope<T extends string, D extends TSchema>(type: T, data: D) {
  return Type.Object(
    {
      eventId: Type.String({ format: 'uuid' }),
      type: Type.Literal(type),
      version: Type.Literal(1),
      occurredAt: Time,
      actor: Actor,
      /** The entity's key on the compacted topic. */
      entityKey: Type.String({ minLength: 1, maxLength: 300 }),
      /** The project concerned, when there is one: scopes the audit log. */
      projectId: Type.Union([Id('project id'), Type.Null()]),
      data,
    },
    { $id: `${type}.v1`, additionalProperties: false },
  );
}

export const UserState = Type.Object({
  userId: Id('user id'),
  email: Type.String({ minLength: 3, maxLength: 320 }),
  name: Type.String({ maxLength: 200 }),
  /** argon2 hash, encrypted at rest with the instance's secret key; null until a password is set. */
  passwordHashEnc: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
});
export type UserState = Static<typeof UserState>;

export const OrganizationState = Type.Object({
  organizationId: Id('organization id'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  createdAt: Time,
});
export type OrganizationState = Static<typeof OrganizationState>;

export const ProjectState = Type.Object({
  projectId: Id('project id'),
  organizationId: Id('organization id'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  createdAt: Time,
  deletedAt: NullableTime,
});
export type ProjectState = Static<typeof ProjectState>;

export const MembershipState = Type.Object({
  projectId: Id('project id'),
  userId: Id('user id'),
  /** null once revoked. */
  role: Type.Union([RoleSchema, Type.Null()]),
});
export type MembershipState = Static<typeof MembershipState>;

export const ApiKeyState = Type.Object({
  keyId: Id('public key id'),
  projectId: Id('project id'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  /** sha256 of the secret part: secrets are random 256-bit values, so a fast hash is enough. */
  secretHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  /** First characters of the full key, to recognise it in lists. */
  preview: Type.String({ maxLength: 40 }),
  createdAt: Time,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
  revokedAt: NullableTime,
});
export type ApiKeyState = Static<typeof ApiKeyState>;

export const InviteState = Type.Object({
  inviteId: Id('invite id'),
  projectId: Id('project id'),
  role: RoleSchema,
  email: Type.Union([Type.String({ maxLength: 320 }), Type.Null()]),
  tokenHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  expiresAt: Time,
  acceptedBy: Type.Union([Id('user id'), Type.Null()]),
  /**
   * Who sent it (null: the system): accepting checks they may still give this role. Absent on
   * invites sent before it was recorded.
   */
  invitedBy: Type.Optional(Type.Union([Id('user id'), Type.Null()])),
});
export type InviteState = Static<typeof InviteState>;

export const LoginLinkState = Type.Object({
  linkId: Id('link id'),
  userId: Id('user id'),
  tokenHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  expiresAt: Time,
  usedAt: NullableTime,
});
export type LoginLinkState = Static<typeof LoginLinkState>;

export const DATA_DELETION_SCOPES = ['trace', 'end-user', 'project'] as const;
export type DataDeletionScope = (typeof DATA_DELETION_SCOPES)[number];

export const DataTombstone = Type.Object({
  projectId: Id('project id'),
  scope: Type.Union(DATA_DELETION_SCOPES.map((s) => Type.Literal(s))),
  /** trace id, end-user id, or the project id itself. */
  target: Type.String({ minLength: 1, maxLength: 256 }),
  deletedAt: Time,
});
export type DataTombstone = Static<typeof DataTombstone>;

/**
 * A provider credential of a project (an API key for OpenAI, Anthropic...; AWS keys for Bedrock).
 * The secret parts are sealed (AES-256-GCM under the instance's master key, bound to the credential
 * id) and never stored in plain; removing a credential drops the sealed secret too, so once the
 * compacted topic keeps only the newest state per key, the secret is gone from the log.
 */
export const ProviderCredentialState = Type.Object({
  credentialId: Id('credential id'),
  projectId: Id('project id'),
  /** Provider id as routing knows it: `openai`, `anthropic`, `bedrock`, `azure`... */
  provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  /** Sealed JSON `{ apiKey, accessKeyId? }`; null once removed. */
  secretEnc: Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()]),
  /** The secret's last 4 characters, to recognise it in lists. */
  last4: Type.String({ maxLength: 4 }),
  /** Overrides the provider's default base URL (Azure: the resource endpoint). */
  baseUrl: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  /** Non-secret settings: Bedrock `region`, Azure `apiVersion`. */
  settings: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 200 })),
  /** Relative weight when a project has several credentials for one provider. */
  weight: Type.Integer({ minimum: 1, maximum: 1000 }),
  createdAt: Time,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
  rotatedAt: NullableTime,
  removedAt: NullableTime,
});
export type ProviderCredentialState = Static<typeof ProviderCredentialState>;

/**
 * A model a project added itself: a fine-tune or a self-hosted model, called by `name` and sent to
 * `provider` as `wireModel`. Limits and prices come from `baseModel` (a catalog id) unless given.
 */
export const ProjectModelState = Type.Object({
  modelId: Id('model id'),
  projectId: Id('project id'),
  /** What callers send as `model`: unique among the project's live models. */
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S+$' }),
  provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
  wireModel: Type.String({ minLength: 1, maxLength: 300, pattern: '^\\S+$' }),
  baseModel: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
  contextWindow: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  maxOutputTokens: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  /** USD per 1M tokens. */
  inputPerMTok: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  outputPerMTok: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  createdAt: Time,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
  removedAt: NullableTime,
});
export type ProjectModelState = Static<typeof ProjectModelState>;

const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
/** USD per 1M tokens (at most 9 decimals); null = the provider's catalog rule for that part. */
const PerMTok = Type.Number({ minimum: 0, maximum: 100_000 });

/**
 * A project's own price for a model (a negotiated discount, a self-hosted model, a fine-tune),
 * from `effectiveFrom` until `effectiveUntil` (UTC days, the end exclusive; null = open). It wins
 * over the catalog's and the project model's price for generations that started in its dates.
 * Two live prices of one project, model and provider never overlap.
 */
export const CustomPriceState = Type.Object({
  priceId: Id('custom price id'),
  projectId: Id('project id'),
  /** The model as served: its name on the provider's wire, a catalog id or alias. */
  model: Type.String({ minLength: 1, maxLength: 300, pattern: '^\\S+$' }),
  /** Null: whichever provider serves `model`. */
  provider: Type.Union([Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }), Type.Null()]),
  effectiveFrom: Day,
  effectiveUntil: Type.Union([Day, Type.Null()]),
  inputPerMTok: PerMTok,
  outputPerMTok: PerMTok,
  cachedInputPerMTok: Type.Union([PerMTok, Type.Null()]),
  cacheWritePerMTok: Type.Union([PerMTok, Type.Null()]),
  reasoningPerMTok: Type.Union([PerMTok, Type.Null()]),
  /** USD per request, on top of tokens. */
  perRequestUsd: Type.Union([Type.Number({ minimum: 0, maximum: 1_000 }), Type.Null()]),
  note: Type.String({ maxLength: 500 }),
  createdAt: Time,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
  removedAt: NullableTime,
});
export type CustomPriceState = Static<typeof CustomPriceState>;

/** A prompt's name: letters, digits and `_ . - /`, 1–128 characters (slashes group prompts into folders). */
export const PROMPT_NAME = '^[A-Za-z0-9_][A-Za-z0-9_./-]{0,127}$';
/** A label names one version (`production`, `staging`...); `latest` is implied, never set. */
export const PROMPT_LABEL = '^[a-z0-9][a-z0-9_-]{0,35}$';

/**
 * One version of a named prompt: a playground setup saved as it was. Versions count from 1 per
 * name and project and never change. `messages` are Chat Completions messages whose text may hold
 * `{{variables}}`; the JSON fields are stored as text, as typed.
 */
export const PromptVersionState = Type.Object({
  projectId: Id('project id'),
  name: Type.String({ pattern: PROMPT_NAME }),
  version: Type.Integer({ minimum: 1 }),
  /** JSON array of Chat Completions messages. */
  messages: Type.String({ maxLength: 262_144 }),
  /** The model it was written for; null when any. */
  model: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()]),
  /** JSON object of sampling parameters (temperature, max_tokens...). */
  params: Type.String({ maxLength: 16_384 }),
  /** JSON array of Chat Completions tools; null when none. */
  tools: Type.Union([Type.String({ maxLength: 262_144 }), Type.Null()]),
  /** JSON `response_format`; null when none. */
  responseFormat: Type.Union([Type.String({ maxLength: 65_536 }), Type.Null()]),
  commitMessage: Type.String({ maxLength: 500 }),
  createdAt: Time,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
});
export type PromptVersionState = Static<typeof PromptVersionState>;

/** The labels of one prompt: label → version. The whole map, as it is after the change. */
export const PromptLabelsState = Type.Object({
  projectId: Id('project id'),
  name: Type.String({ pattern: PROMPT_NAME }),
  labels: Type.Record(Type.String({ pattern: PROMPT_LABEL }), Type.Integer({ minimum: 1 })),
  changedAt: Time,
  changedBy: Type.Union([Id('user id'), Type.Null()]),
});
export type PromptLabelsState = Static<typeof PromptLabelsState>;
/** A custom redaction rule: every match of `pattern` (RE2 syntax) becomes `replacement`, literally. */
export const RedactionRuleState = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  pattern: Type.String({ minLength: 1, maxLength: 500 }),
  replacement: Type.String({ maxLength: 100 }),
  caseInsensitive: Type.Boolean(),
});
export type RedactionRuleState = Static<typeof RedactionRuleState>;

/**
 * A project's redaction rules, applied to the free text of every event before it is appended (on
 * top of the credential masking that always runs): e-mail addresses, card numbers (Luhn-checked),
 * API-key-like strings, and custom patterns. `redactForwarded`: the gateway also sends the redacted
 * request to the provider (default: the provider gets the caller's request unchanged).
 */
export const RedactionSettingsState = Type.Object({
  projectId: Id('project id'),
  emails: Type.Boolean(),
  cardNumbers: Type.Boolean(),
  apiKeys: Type.Boolean(),
  customRules: Type.Array(RedactionRuleState, { maxItems: 50 }),
  redactForwarded: Type.Boolean(),
  updatedAt: Time,
  updatedBy: Type.Union([Id('user id'), Type.Null()]),
});
export type RedactionSettingsState = Static<typeof RedactionSettingsState>;

export const VIEW_COLUMNS_MAX = 30;

/**
 * A saved view of the traces list, shared by the project's members: its filters as the list's URL
 * query (`range=24h&model=gpt-4o&errors=only`, the same parameters a shared link carries), the
 * columns shown in order, and the sort. `deletedAt` set once deleted (kept for the audit log).
 */
export const SavedViewState = Type.Object({
  viewId: Id('view id'),
  projectId: Id('project id'),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  query: Type.String({ maxLength: 2000 }),
  columns: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: VIEW_COLUMNS_MAX }),
  sortField: Type.String({ minLength: 1, maxLength: 40 }),
  sortDirection: Type.Union([Type.Literal('ASC'), Type.Literal('DESC')]),
  updatedAt: Time,
  updatedBy: Type.Union([Id('user id'), Type.Null()]),
  deletedAt: NullableTime,
});
export type SavedViewState = Static<typeof SavedViewState>;

export const BUDGET_SCOPES = ['project', 'api-key', 'end-user'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_WINDOWS = ['day', 'month'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

/** A USD amount as an exact decimal: up to 9 digits after the point (nano-dollars). */
const Usd = Type.String({ pattern: '^[0-9]{1,9}(\\.[0-9]{1,9})?$' });

/**
 * A spend limit of a project, per calendar day or month (UTC). `scope` says whose spend counts:
 * the whole project's, an API key's or an end user's; `target` names the key or end user, or is
 * null for "each one separately" (and always for a project budget). Past `softLimitUsd` an alert
 * is raised once per window; past `hardLimitUsd` the gateway refuses calls with a 429.
 */
export const BudgetState = Type.Object({
  budgetId: Id('budget id'),
  projectId: Id('project id'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  scope: Type.Union(BUDGET_SCOPES.map((s) => Type.Literal(s))),
  target: Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()]),
  window: Type.Union(BUDGET_WINDOWS.map((w) => Type.Literal(w))),
  softLimitUsd: Type.Union([Usd, Type.Null()]),
  hardLimitUsd: Type.Union([Usd, Type.Null()]),
  createdAt: Time,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
  updatedAt: NullableTime,
  removedAt: NullableTime,
});
export type BudgetState = Static<typeof BudgetState>;

/** A budget's threshold was crossed in one window, for one subject: raised once per window. */
export const BudgetAlertState = Type.Object({
  alertId: Id('alert id'),
  budgetId: Id('budget id'),
  projectId: Id('project id'),
  level: Type.Union([Type.Literal('soft'), Type.Literal('hard')]),
  /** The API key id or end user id whose spend crossed it; null for a project budget. */
  subject: Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()]),
  /** First day of the window (`YYYY-MM-DD`, UTC). */
  windowStart: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
  spentUsd: Usd,
  limitUsd: Usd,
  raisedAt: Time,
});
export type BudgetAlertState = Static<typeof BudgetAlertState>;

/** Most days a project may keep its data for: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** How long a project keeps its LLM data: events older than `days` are deleted; null keeps them. */
export const ProjectRetentionState = Type.Object({
  projectId: Id('project id'),
  days: Type.Union([Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS }), Type.Null()]),
  setAt: Time,
  setBy: Type.Union([Id('user id'), Type.Null()]),
});
export type ProjectRetentionState = Static<typeof ProjectRetentionState>;

/** Most replay configurations one experiment compares with the original. */
export const MAX_EXPERIMENT_CONFIGURATIONS = 4;
/** Most requests an experiment replays at once. */
export const MAX_EXPERIMENT_CONCURRENCY = 64;
export const EXPERIMENT_STATUSES = ['running', 'cancelled', 'finished', 'failed'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** What one replay changes of the recorded request; absent fields replay as recorded. */
export const ExperimentConfiguration = Type.Object({
  /** `c1`, `c2`...: tags and metadata of its replays name it. */
  configurationId: Type.String({ pattern: '^c[0-9]{1,2}$' }),
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  system: Type.Optional(Type.String({ maxLength: 100_000 })),
  /** A prompt version as `name@label` or `name@<version>`. */
  prompt: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  /**
   * Values of the prompt version's `{{name}}`s, over those read back from each recorded request
   * (as a single replay's `variables`); absent on experiments started before it existed.
   */
  variables: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 100_000 }))),
});
export type ExperimentConfiguration = Static<typeof ExperimentConfiguration>;

/** Which of the matched generations are replayed: all, a fraction (by a hash of the id), or a count. */
export const ExperimentSample = Type.Union([
  Type.Object({ kind: Type.Literal('all') }),
  Type.Object({ kind: Type.Literal('rate'), rate: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }),
  Type.Object({ kind: Type.Literal('count'), count: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
]);
export type ExperimentSample = Static<typeof ExperimentSample>;

/**
 * A bulk replay: every generation `filter` matched when it started (sampled), replayed under each
 * configuration, at most `concurrency` at a time, stopping before the spend would pass `budgetUsd`.
 * Its items and results live in ClickHouse (`experiment_items`, `experiment_results`); the replays
 * are ordinary generations with `replayOf`, tagged `experiment:<id>`.
 */
export const ExperimentState = Type.Object({
  experimentId: Id('experiment id'),
  projectId: Id('project id'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  idempotencyKey: Type.String({ minLength: 1, maxLength: 128 }),
  /** The GraphQL `GenerationFilter` as given. */
  filter: Type.Record(Type.String(), Type.Unknown()),
  sample: ExperimentSample,
  configurations: Type.Array(ExperimentConfiguration, {
    minItems: 1,
    maxItems: MAX_EXPERIMENT_CONFIGURATIONS,
  }),
  concurrency: Type.Integer({ minimum: 1, maximum: MAX_EXPERIMENT_CONCURRENCY }),
  budgetUsd: Usd,
  /** The whole run's estimated cost when it started (every item under every configuration). */
  estimateUsd: Usd,
  /**
   * Replays in that estimate whose model had no price (counted as 0 in it); absent on experiments
   * started before it was recorded.
   */
  estimateUnpriced: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Generations to replay (per configuration). */
  items: Type.Integer({ minimum: 0 }),
  status: Type.Union(EXPERIMENT_STATUSES.map((s) => Type.Literal(s))),
  /** Why it failed (`budget_reached`, `replay_failed`...); null otherwise. */
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  startedAt: Time,
  updatedAt: Time,
  finishedAt: NullableTime,
  createdBy: Type.Union([Id('user id'), Type.Null()]),
});
export type ExperimentState = Static<typeof ExperimentState>;

/**
 * What a mutation retried with an idempotency key finds: the first call's input (hashed) and, once it
 * is done, its result. Keyed per project, mutation and key; the client's key itself is not kept.
 */
export const IdempotencyRecordState = Type.Object({
  projectId: Id('project id'),
  /** The GraphQL mutation, e.g. `createBudget`. */
  mutation: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$' }),
  /** sha256 (hex) of the client's key. */
  keyHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  /** sha256 (hex) of the mutation's input as canonical JSON. */
  inputHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  /** The call that holds the claim: only it completes or releases it. */
  claimId: Type.String({ minLength: 1, maxLength: 64 }),
  /** `pending` while the first call runs; `released` when it failed (a retry runs again). */
  status: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('released')]),
  /** The first call's result as JSON, sealed under the master key (it may hold a secret shown once); null until done. */
  resultEnc: Type.Union([Type.String({ maxLength: 1_048_576 }), Type.Null()]),
  claimedAt: Time,
  doneAt: NullableTime,
});
export type IdempotencyRecordState = Static<typeof IdempotencyRecordState>;

/**
 * Which process runs an experiment: it holds the run until `expiresAt` and renews it while it runs,
 * so two instances sharing the log never run one experiment at once; one that stopped lets it lapse.
 */
export const ExperimentLeaseState = Type.Object({
  experimentId: Id('experiment id'),
  projectId: Id('project id'),
  /** A random id per process. */
  runnerId: Type.String({ minLength: 1, maxLength: 64 }),
  expiresAt: Time,
});
export type ExperimentLeaseState = Static<typeof ExperimentLeaseState>;

export const UserRegistered = controlEnvelope('user.registered', UserState);
export const UserPasswordSet = controlEnvelope('user.password-set', UserState);
export const OrganizationCreated = controlEnvelope('organization.created', OrganizationState);
export const ProjectCreated = controlEnvelope('project.created', ProjectState);
export const ProjectDeleted = controlEnvelope('project.deleted', ProjectState);
export const ProjectRenamed = controlEnvelope('project.renamed', ProjectState);
export const MembershipGranted = controlEnvelope('membership.granted', MembershipState);
export const MembershipRevoked = controlEnvelope('membership.revoked', MembershipState);
export const ApiKeyCreated = controlEnvelope('api-key.created', ApiKeyState);
export const ApiKeyRevoked = controlEnvelope('api-key.revoked', ApiKeyState);
export const ApiKeyUsed = controlEnvelope(
  'api-key.used',
  Type.Object({ keyId: Id('public key id'), lastUsedAt: Time }),
);
export const InviteCreated = controlEnvelope('invite.created', InviteState);
export const InviteAccepted = controlEnvelope('invite.accepted', InviteState);
/** An invite withdrawn before anyone used it: its link no longer works. */
export const InviteRevoked = controlEnvelope('invite.revoked', InviteState);
export const LoginLinkCreated = controlEnvelope('login-link.created', LoginLinkState);
export const LoginLinkUsed = controlEnvelope('login-link.used', LoginLinkState);
export const SessionEnded = controlEnvelope(
  'session.ended',
  Type.Object({ sessionId: Id('session id'), userId: Id('user id'), endedAt: Time }),
);
export const DataDeleted = controlEnvelope('data.deleted', DataTombstone);
export const ProviderCredentialAdded = controlEnvelope('provider-credential.added', ProviderCredentialState);
export const ProviderCredentialRotated = controlEnvelope(
  'provider-credential.rotated',
  ProviderCredentialState,
);
export const ProviderCredentialRemoved = controlEnvelope(
  'provider-credential.removed',
  ProviderCredentialState,
);

export const ProjectModelAdded = controlEnvelope('project-model.added', ProjectModelState);
export const ProjectModelRemoved = controlEnvelope('project-model.removed', ProjectModelState);
export const BudgetCreated = controlEnvelope('budget.created', BudgetState);
export const BudgetUpdated = controlEnvelope('budget.updated', BudgetState);
export const BudgetRemoved = controlEnvelope('budget.removed', BudgetState);
export const BudgetAlerted = controlEnvelope('budget.alerted', BudgetAlertState);
export const CustomPriceSet = controlEnvelope('custom-price.set', CustomPriceState);
export const CustomPriceRemoved = controlEnvelope('custom-price.removed', CustomPriceState);
export const PromptVersionCreated = controlEnvelope('prompt.version-created', PromptVersionState);
export const PromptLabelsSet = controlEnvelope('prompt.labels-set', PromptLabelsState);
export const RedactionSet = controlEnvelope('redaction.set', RedactionSettingsState);
export const ProjectRetentionSet = controlEnvelope('project.retention-set', ProjectRetentionState);
export const ViewSaved = controlEnvelope('view.saved', SavedViewState);
export const ViewDeleted = controlEnvelope('view.deleted', SavedViewState);

export const ExperimentRunClaimed = controlEnvelope('experiment.run-claimed', ExperimentLeaseState);
export const IdempotencyClaimed = controlEnvelope('idempotency.claimed', IdempotencyRecordState);
export const IdempotencyRecorded = controlEnvelope('idempotency.recorded', IdempotencyRecordState);
export const IdempotencyReleased = controlEnvelope('idempotency.released', IdempotencyRecordState);

export const ExperimentStarted = controlEnvelope('experiment.started', ExperimentState);
export const ExperimentCancelled = controlEnvelope('experiment.cancelled', ExperimentState);
export const ExperimentResumed = controlEnvelope('experiment.resumed', ExperimentState);
export const ExperimentFinished = controlEnvelope('experiment.finished', ExperimentState);
export const ExperimentFailed = controlEnvelope('experiment.failed', ExperimentState);

export type ControlEvent =
  | Static<typeof UserRegistered>
  | Static<typeof UserPasswordSet>
  | Static<typeof OrganizationCreated>
  | Static<typeof ProjectCreated>
  | Static<typeof ProjectDeleted>
  | Static<typeof ProjectRenamed>
  | Static<typeof MembershipGranted>
  | Static<typeof MembershipRevoked>
  | Static<typeof ApiKeyCreated>
  | Static<typeof ApiKeyRevoked>
  | Static<typeof ApiKeyUsed>
  | Static<typeof InviteCreated>
  | Static<typeof InviteAccepted>
  | Static<typeof InviteRevoked>
  | Static<typeof LoginLinkCreated>
  | Static<typeof LoginLinkUsed>
  | Static<typeof SessionEnded>
  | Static<typeof DataDeleted>
  | Static<typeof ProviderCredentialAdded>
  | Static<typeof ProviderCredentialRotated>
  | Static<typeof ProviderCredentialRemoved>
  | Static<typeof ProjectModelAdded>
  | Static<typeof ProjectModelRemoved>
  | Static<typeof BudgetCreated>
  | Static<typeof BudgetUpdated>
  | Static<typeof BudgetRemoved>
  | Static<typeof BudgetAlerted>
  | Static<typeof CustomPriceSet>
  | Static<typeof CustomPriceRemoved>
  | Static<typeof PromptVersionCreated>
  | Static<typeof PromptLabelsSet>
  | Static<typeof RedactionSet>
  | Static<typeof ProjectRetentionSet>
  | Static<typeof ExperimentStarted>
  | Static<typeof ExperimentCancelled>
  | Static<typeof ExperimentResumed>
  | Static<typeof ExperimentFinished>
  | Static<typeof ExperimentFailed>
  | Static<typeof ViewSaved>
  | Static<typeof ViewDeleted>
  | Static<typeof ExperimentRunClaimed>
  | Static<typeof IdempotencyClaimed>
  | Static<typeof IdempotencyRecorded>
  | Static<typeof IdempotencyReleased>;

export const CONTROL_SCHEMAS = [
  UserRegistered,
  UserPasswordSet,
  OrganizationCreated,
  ProjectCreated,
  ProjectDeleted,
  ProjectRenamed,
  MembershipGranted,
  MembershipRevoked,
  ApiKeyCreated,
  ApiKeyRevoked,
  ApiKeyUsed,
  InviteCreated,
  InviteAccepted,
  InviteRevoked,
  LoginLinkCreated,
  LoginLinkUsed,
  SessionEnded,
  DataDeleted,
  ProviderCredentialAdded,
  ProviderCredentialRotated,
  ProviderCredentialRemoved,
  ProjectModelAdded,
  ProjectModelRemoved,
  BudgetCreated,
  BudgetUpdated,
  BudgetRemoved,
  BudgetAlerted,
  CustomPriceSet,
  CustomPriceRemoved,
  PromptVersionCreated,
  PromptLabelsSet,
  RedactionSet,
  ProjectRetentionSet,
  ExperimentStarted,
  ExperimentCancelled,
  ExperimentResumed,
  ExperimentFinished,
  ExperimentFailed,
  ViewSaved,
  ViewDeleted,
  ExperimentRunClaimed,
  IdempotencyClaimed,
  IdempotencyRecorded,
  IdempotencyReleased,
] as const;
