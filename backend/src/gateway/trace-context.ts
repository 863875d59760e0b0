import type { IncomingHttpHeaders } from 'node:http';
import { InvalidInputError } from '../common/errors';

/** What a caller says about where a gateway call belongs (see README, "Trace context"). */
export interface TraceContext {
  readonly traceId?: string;
  readonly parentSpanId?: string;
  readonly sessionId?: string;
  /** The app's end user; overrides the body's `user`. */
  readonly userId?: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  /** The generation (span id) this call replays; set by replay, never from headers. */
  readonly replayOf?: string;
}

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Printable, no control characters. */
const TEXT = /^\P{Cc}{1,256}$/u;
/** W3C Trace Context: `version-traceid-parentid-flags`, lower-case hex. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const MAX_TAGS = 64;
const MAX_METADATA_KEYS = 64;

function invalid(header: string, expected: string): InvalidInputError {
  return new InvalidInputError(`Invalid header '${header}': expected ${expected}.`, 'invalid_header', header);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node hands header bytes over as latin1 characters; callers (curl, browsers, most SDKs) send
 * non-ASCII text as UTF-8, so `user-ü` arrives as `user-Ã¼`. Decode it back, and refuse bytes
 * that are not UTF-8 rather than store mojibake.
 */
function utf8(name: string, value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  try {
    return UTF8.decode(Buffer.from(value, 'latin1'));
  } catch {
    throw invalid(name, 'UTF-8 text');
  }
}

function one(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw invalid(name, 'a single value');
  return utf8(name, value);
}

function matching(
  headers: IncomingHttpHeaders,
  name: string,
  pattern: RegExp,
  expected: string,
): string | undefined {
  const value = one(headers, name);
  if (value !== undefined && !pattern.test(value)) throw invalid(name, expected);
  return value;
}

/** `traceparent` → trace id and parent span id; all-zero ids and version `ff` are invalid (W3C). */
function traceparent(headers: IncomingHttpHeaders): { traceId?: string; parentSpanId?: string } {
  const value = one(headers, 'traceparent');
  if (value === undefined) return {};
  const match = TRACEPARENT.exec(value.trim());
  const expected = "'00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>' (W3C Trace Context)";
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]) || /^0+$/.test(match[3]))
    throw invalid('traceparent', expected);
  if (match[1] === '00' && match[5] !== undefined) throw invalid('traceparent', expected);
  return { traceId: match[2], parentSpanId: match[3] };
}

/** `a,b,c` or a JSON array of strings; each tag 1–256 printable characters, at most 64. */
function tags(headers: IncomingHttpHeaders): string[] {
  const name = 'x-sightline-tags';
  const value = one(headers, name);
  if (value === undefined) return [];
  const expected = `a comma-separated list or a JSON array of at most ${MAX_TAGS} tags of 1–256 characters`;
  let list: unknown;
  try {
    list = value.trimStart().startsWith('[') ? JSON.parse(value) : value.split(',').map((t) => t.trim());
  } catch {
    throw invalid(name, expected);
  }
  if (!Array.isArray(list)) throw invalid(name, expected);
  const out = list.filter((t) => t !== '');
  if (out.length > MAX_TAGS || !out.every((t) => typeof t === 'string' && TEXT.test(t)))
    throw invalid(name, expected);
  return [...new Set(out as string[])];
}

/** A JSON object of string, number or boolean values (stored as strings). */
function metadata(headers: IncomingHttpHeaders): Record<string, string> {
  const name = 'x-sightline-metadata';
  const value = one(headers, name);
  if (value === undefined) return {};
  const expected = `a JSON object of at most ${MAX_METADATA_KEYS} keys (1–256 characters) with string, number or boolean values (up to 4096 characters)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid(name, expected);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(name, expected);
  const entries = Object.entries(parsed);
  if (entries.length > MAX_METADATA_KEYS) throw invalid(name, expected);
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (!['string', 'number', 'boolean'].includes(typeof v) || !TEXT.test(key)) throw invalid(name, expected);
    const text = String(v);
    if (text.length > 4096) throw invalid(name, expected);
    out[key] = text;
  }
  return out;
}

/**
 * The trace context of a gateway call from its headers: `x-sightline-trace-id` (else W3C
 * `traceparent`'s trace id), `x-sightline-parent-span-id` (else `traceparent`'s parent id),
 * `x-sightline-session-id`, `x-sightline-user-id`, `x-sightline-tags`, `x-sightline-metadata`.
 * An invalid header throws `InvalidInputError` naming it (400), before anything is sent upstream.
 */
export function traceContext(headers: IncomingHttpHeaders): TraceContext {
  const w3c = traceparent(headers);
  const idShape = '1–128 characters among letters, digits and _ . : -';
  const textShape = '1–256 printable characters';
  return {
    traceId: matching(headers, 'x-sightline-trace-id', ID, idShape) ?? w3c.traceId,
    parentSpanId: matching(headers, 'x-sightline-parent-span-id', ID, idShape) ?? w3c.parentSpanId,
    sessionId: matching(headers, 'x-sightline-session-id', TEXT, textShape),
    userId: matching(headers, 'x-sightline-user-id', TEXT, textShape),
    tags: tags(headers),
    metadata: metadata(headers),
  };
}
