import type { Actor, IdempotencyRecordState } from '@sightline/schemas';
import { stringify } from 'safe-stable-stringify';
import { ConflictError, InvalidInputError } from '../common/errors';
import type { NewControlEvent } from './control-events';
import { idempotencyKey, type ControlState } from './control-state';
import { sha256 } from './credentials';

/** Longest idempotency key a client may send. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/** A claim still pending after this long is taken over: the process that held it stopped (ms). */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** One mutation call made with an idempotency key: who, where, which mutation, and what it asked. */
export interface OnceRequest {
  readonly actor: Actor;
  readonly projectId: string;
  /** The GraphQL mutation, e.g. `createBudget`. */
  readonly mutation: string;
  /** sha256 of the client's key. */
  readonly keyHash: string;
  /** sha256 of the input as canonical JSON (key order does not matter). */
  readonly inputHash: string;
}

/** The same key came back with another input: it names another intent. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super('This idempotency key was used with a different input', 'idempotency_key_reused');
  }
}

/** The first call with this key still runs (in this or another process): retry later. */
export class IdempotencyKeyInProgressError extends ConflictError {
  constructor() {
    super('A call with this idempotency key is still running; retry later', 'idempotency_key_in_progress');
  }
}

/**
 * The request of a mutation called with `key`, or undefined when it was called without one.
 * `input` is everything the mutation was asked besides the key (its arguments, its input object).
 * @throws InvalidInputError `invalid_idempotency_key` (param `idempotencyKey`): blank or over 128 characters
 */
export function onceRequest(
  actor: Actor,
  projectId: string,
  mutation: string,
  key: string | null | undefined,
  input: unknown,
): OnceRequest | undefined {
  if (key === null || key === undefined) return undefined;
  if (!key.trim() || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw new InvalidInputError(
      `idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      'invalid_idempotency_key',
      'idempotencyKey',
    );
  return { actor, projectId, mutation, keyHash: sha256(key), inputHash: sha256(stringify(input ?? null)) };
}

/** What a call finds: run it (nothing recorded, or its claim lapsed), the first result, or a call still running. */
export type OnceDecision =
  | { readonly kind: 'first' }
  | { readonly kind: 'done'; readonly resultEnc: string }
  | { readonly kind: 'running' };

/** @throws IdempotencyKeyReusedError when the key was used with another input */
export function decideOnce(request: OnceRequest, state: ControlState, now: Date): OnceDecision {
  const record = state.idempotency.get(idempotencyKey(request));
  if (!record || record.status === 'released') return { kind: 'first' };
  if (record.inputHash !== request.inputHash) throw new IdempotencyKeyReusedError();
  if (record.status === 'done') return { kind: 'done', resultEnc: record.resultEnc! };
  return now.getTime() - Date.parse(record.claimedAt) > CLAIM_LEASE_MS
    ? { kind: 'first' }
    : { kind: 'running' };
}

type RecordEvent = Extract<NewControlEvent, { type: `idempotency.${string}` }>;

function recordEvent(
  type: RecordEvent['type'],
  request: OnceRequest,
  data: Omit<IdempotencyRecordState, 'projectId' | 'mutation' | 'keyHash' | 'inputHash'>,
): NewControlEvent {
  const { projectId, mutation, keyHash, inputHash } = request;
  return {
    type,
    entityKey: `idempotency:${idempotencyKey(request)}`,
    projectId,
    data: { projectId, mutation, keyHash, inputHash, ...data },
  };
}

/** The first call takes the key before it runs (work outside the control plane: a replay, demo traffic). */
export const claimed = (request: OnceRequest, claimId: string, now: Date): NewControlEvent =>
  recordEvent('idempotency.claimed', request, {
    claimId,
    status: 'pending',
    resultEnc: null,
    claimedAt: now.toISOString(),
    doneAt: null,
  });

/** The first call's (sealed) result, appended with the events it caused or once its work is done. */
export const recorded = (
  request: OnceRequest,
  claimId: string,
  resultEnc: string,
  claimedAt: Date,
  now: Date,
): NewControlEvent =>
  recordEvent('idempotency.recorded', request, {
    claimId,
    status: 'done',
    resultEnc,
    claimedAt: claimedAt.toISOString(),
    doneAt: now.toISOString(),
  });

/**
 * How a claimed call ends: its result recorded, or, when it failed (`resultEnc` null), the key
 * released so that a retry runs again. Nothing when another call took the lapsed claim over.
 */
export function settle(
  request: OnceRequest,
  claimId: string,
  resultEnc: string | null,
  state: ControlState,
  now: Date,
): NewControlEvent[] {
  const record = state.idempotency.get(idempotencyKey(request));
  if (record?.claimId !== claimId || record.status !== 'pending') return [];
  const claimedAt = new Date(record.claimedAt);
  if (resultEnc !== null) return [recorded(request, claimId, resultEnc, claimedAt, now)];
  return [
    recordEvent('idempotency.released', request, {
      claimId,
      status: 'released',
      resultEnc: null,
      claimedAt: record.claimedAt,
      doneAt: now.toISOString(),
    }),
  ];
}
