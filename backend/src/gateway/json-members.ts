/**
 * Edits top-level members of a JSON object text without re-serialising it: every other byte stays
 * as the caller sent it (unknown fields, number formatting, key order). The text must be a valid
 * JSON object (it was parsed before). Strings are skipped with native `indexOf`, so a large body
 * (images as base64) costs little more than its structure.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length && isSpace(bytes[i])) i++;
  return i;
}

/** `i` at an opening quote → the index after its closing quote. */
function skipString(bytes: Buffer, i: number): number {
  let at = i + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, at);
    if (quote === -1) throw new Error('unterminated string');
    let slashes = 0;
    while (bytes[quote - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** `i` at the start of a value → the index after it. */
function skipValue(bytes: Buffer, i: number): number {
  const first = bytes[i];
  if (first === QUOTE) return skipString(bytes, i);
  if (first !== 0x7b && first !== 0x5b) {
    while (
      i < bytes.length &&
      !isSpace(bytes[i]) &&
      bytes[i] !== 0x2c &&
      bytes[i] !== 0x7d &&
      bytes[i] !== 0x5d
    )
      i++;
    return i;
  }
  let depth = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      i = skipString(bytes, i);
      continue;
    }
    if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new Error('unterminated value');
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The byte spans of the values of top-level `keys`, and where the object's closing brace is. */
function locate(bytes: Buffer, keys: readonly string[]): { spans: Map<string, Span>; close: number } {
  const spans = new Map<string, Span>();
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== 0x7b) throw new Error('not a JSON object');
  i = skipSpace(bytes, i + 1);
  while (bytes[i] !== 0x7d) {
    const keyEnd = skipString(bytes, i);
    const key = JSON.parse(bytes.toString('utf8', i, keyEnd)) as string;
    i = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1); // past ':'
    const end = skipValue(bytes, i);
    if (keys.includes(key)) spans.set(key, { start: i, end }); // a repeated key: the last wins, as JSON.parse
    i = skipSpace(bytes, end);
    if (bytes[i] === 0x2c) i = skipSpace(bytes, i + 1);
  }
  return { spans, close: i };
}

/**
 * `bytes` with the top-level members in `set` replaced (or appended when absent), each value given
 * as JSON text. Returns `bytes` itself when `set` is empty.
 */
export function setMembers(bytes: Buffer, set: Readonly<Record<string, string>>): Buffer {
  const keys = Object.keys(set);
  if (keys.length === 0) return bytes;
  const { spans, close } = locate(bytes, keys);
  const edits = [...spans.entries()].sort((a, b) => a[1].start - b[1].start);
  const parts: Buffer[] = [];
  let at = 0;
  for (const [key, span] of edits) {
    parts.push(bytes.subarray(at, span.start), Buffer.from(set[key]));
    at = span.end;
  }
  parts.push(bytes.subarray(at, close));
  const added = keys.filter((k) => !spans.has(k)).map((k) => `${JSON.stringify(k)}:${set[k]}`);
  if (added.length) {
    const empty = skipSpace(bytes, bytes.indexOf(0x7b) + 1) === close;
    parts.push(Buffer.from(`${empty ? '' : ','}${added.join(',')}`));
  }
  parts.push(bytes.subarray(close));
  return Buffer.concat(parts);
}
