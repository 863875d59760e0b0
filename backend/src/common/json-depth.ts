/**
 * How deep a request body may nest (objects and arrays). Deeper bodies are refused before they are
 * parsed: nothing legitimate nests this deep, and every walk over the recorded copy stays bounded.
 */
export const MAX_BODY_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];

/**
 * Whether the JSON text in `bytes` (UTF-8) nests objects and arrays deeper than `maxDepth`.
 * One pass, no recursion, brackets inside strings ignored; for malformed JSON the answer is a guess
 * and the parser reports the real problem.
 */
export function nestsDeeperThan(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** The message every transport gives for a body over MAX_BODY_DEPTH. */
export const TOO_DEEP_MESSAGE = `The request body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels.`;
