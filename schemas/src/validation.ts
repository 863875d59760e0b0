import './formats';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import {
  ALL_SCHEMAS,
  CURRENT_SCHEMAS,
  LIVE_SCHEMAS,
  schemaKey,
  type LiveEvent,
  type SightlineEvent,
} from './registry';
import { UPCASTERS } from './upcasters';
import { CONTROL_SCHEMAS, type ControlEvent } from './events/control';
import { normaliseForLog, TooDeepError } from './normalise';

export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** An event that is not well-formed; `reason` is what goes to the dead-letter topic. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    readonly reason: string,
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(
      issues.length ? `${reason}: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}` : reason,
    );
  }
}

const checks = new Map<string, TypeCheck<TSchema>>(
  [...ALL_SCHEMAS, ...CONTROL_SCHEMAS, ...LIVE_SCHEMAS].map((schema) => [
    schema.$id as string,
    TypeCompiler.Compile(schema),
  ]),
);

function check(key: string, value: unknown): void {
  const compiled = checks.get(key);
  if (!compiled) throw new EventValidationError(`unknown event type/version ${key}`);
  if (compiled.Check(value)) return;
  const issues = [...compiled.Errors(value)].slice(0, 10).map((e) => ({ path: e.path, message: e.message }));
  throw new EventValidationError(`invalid ${key}`, issues);
}

function header(value: unknown): { type: string; version: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError('event is not a JSON object');
  }
  const { type, version } = value as { type?: unknown; version?: unknown };
  if (typeof type !== 'string' || typeof version !== 'number') {
    throw new EventValidationError('event has no string `type` and numeric `version`');
  }
  return { type, version };
}

/** Producer side: only the current version of a known type may be appended. */
export function validateNewEvent(value: unknown): SightlineEvent {
  const { type, version } = header(value);
  const current = CURRENT_SCHEMAS[type as keyof typeof CURRENT_SCHEMAS];
  if (!current) throw new EventValidationError(`unknown event type ${type}`);
  const key = schemaKey(type, version);
  if (key !== current.$id)
    throw new EventValidationError(`${key} is not the current version (${current.$id})`);
  check(key, value);
  return value as SightlineEvent;
}

/** Consumer side: accept any published version, validate it, then upcast to the current one. */
export function parseEvent(value: unknown): SightlineEvent {
  let { type, version } = header(value);
  const key = schemaKey(type, version);
  check(key, value);
  // The current version, just checked: checking it again is a second walk of the whole event (a
  // twentieth of the projector thread's CPU went to checking each event twice).
  if (key === CURRENT_SCHEMAS[type as keyof typeof CURRENT_SCHEMAS]?.$id) return value as SightlineEvent;
  let event = value;
  for (
    let upcast = UPCASTERS[schemaKey(type, version)];
    upcast;
    upcast = UPCASTERS[schemaKey(type, version)]
  ) {
    event = upcast(event as never);
    ({ type, version } = header(event));
  }
  return validateNewEvent(event);
}

/**
 * The door to the log, for every producer: what is appended is the normalised copy (see
 * `normaliseForLog`), validated. Throws EventValidationError.
 */
function normalised<E>(event: E): E {
  try {
    return normaliseForLog(event);
  } catch (error) {
    if (error instanceof TooDeepError) throw new EventValidationError(`event ${error.message}`);
    throw error;
  }
}

export function encodeEvent(event: SightlineEvent): Buffer {
  return encodeEventAsLogged(event).value;
}

/**
 * `encodeEvent`, with the object its bytes hold: the normalised, validated copy, so that a
 * producer can hand it on in-process without decoding the bytes back.
 */
export function encodeEventAsLogged(event: SightlineEvent): { event: SightlineEvent; value: Buffer } {
  const logged = validateNewEvent(normalised(event));
  return { event: logged, value: Buffer.from(JSON.stringify(logged)) };
}

function parseJson(bytes: Buffer | Uint8Array | string): unknown {
  try {
    return JSON.parse(
      typeof bytes === 'string'
        ? bytes
        : // A Buffer is read in place; only a plain Uint8Array needs wrapping (no copy either way).
          (Buffer.isBuffer(bytes)
            ? bytes
            : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
          ).toString('utf8'),
    );
  } catch (err) {
    throw new EventValidationError(`malformed JSON: ${(err as Error).message}`);
  }
}

export function decodeEvent(bytes: Buffer | Uint8Array | string): SightlineEvent {
  return parseEvent(parseJson(bytes));
}

const CONTROL_KEYS = new Set(CONTROL_SCHEMAS.map((s) => s.$id as string));

/** Control events have one version each so far; a second version would get an upcaster here too. */
export function validateControlEvent(value: unknown): ControlEvent {
  const { type, version } = header(value);
  const key = schemaKey(type, version);
  if (!CONTROL_KEYS.has(key)) throw new EventValidationError(`unknown control event ${key}`);
  check(key, value);
  return value as ControlEvent;
}

export function encodeControlEvent(event: ControlEvent): Buffer {
  return Buffer.from(JSON.stringify(validateControlEvent(normalised(event))));
}

export function decodeControlEvent(bytes: Buffer | Uint8Array | string): ControlEvent {
  return validateControlEvent(parseJson(bytes));
}

const LIVE_KEYS = new Set(LIVE_SCHEMAS.map((s) => s.$id as string));

/** Live events have one version each; a second version would get an upcaster here too. */
function validateLiveEvent(value: unknown): LiveEvent {
  const { type, version } = header(value);
  const key = schemaKey(type, version);
  if (!LIVE_KEYS.has(key)) throw new EventValidationError(`unknown live event ${key}`);
  check(key, value);
  return value as LiveEvent;
}

export function encodeLiveEvent(event: LiveEvent): Buffer {
  return encodeLiveEventAsLogged(event).value;
}

/** `encodeLiveEvent`, with the object its bytes hold (see `encodeEventAsLogged`). */
export function encodeLiveEventAsLogged(event: LiveEvent): { event: LiveEvent; value: Buffer } {
  const logged = validateLiveEvent(normalised(event));
  return { event: logged, value: Buffer.from(JSON.stringify(logged)) };
}

export function decodeLiveEvent(bytes: Buffer | Uint8Array | string): LiveEvent {
  return validateLiveEvent(parseJson(bytes));
}
