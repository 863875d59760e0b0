import { findSecrets } from './secret-scanner';

export const REDACTED = '[REDACTED]';

// Sightline API keys are `sl_pk_<12>_<secret>` (control/credentials.ts): the pk_ id is public, the rest is not.
const SIGHTLINE_SECRET = /\bsl_([A-Za-z0-9_-]{16,})/g;
const SIGHTLINE_KEY_ID = /^(pk_[A-Za-z0-9_-]{12}_)[A-Za-z0-9_-]{16,}$/;
// Each keeps its recognisable prefix so a log still tells what was there.
const SECRET_PATTERNS: [RegExp, string][] = [
  // Anthropic before OpenAI: `sk-ant-…` also starts with `sk-`.
  [/\bsk-ant-[A-Za-z0-9_-]{16,}/g, `sk-ant-${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, `sk-${REDACTED}`],
  // JSON Web Tokens: header and payload are base64url of JSON objects, so both start with `eyJ`.
  [/\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
];
// RFC 6750 b64token. Real tokens are long or carry digits; "Bearer of bad news" is left alone.
const BEARER = /\b(Bearer\s+)([A-Za-z0-9\-._~+/]+=*)/gi;

// Every pattern here and in the scanner needs one of these: a run of 16 token characters (keys,
// `sl_…`, `sk-…`), a URL (with a password), a PEM block, a JWT's `eyJ`, or the word bearer; and
// 6 characters at least. A plain loop and native searches (several times faster than one regex)
// let most text — short values, object keys, prose — skip the six patterns and the scanner.
const TOKEN_CHAR = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+/=.-')
  TOKEN_CHAR[c.charCodeAt(0)] = 1;
const BEARER_WORD = /bearer/i;

function mayHoldSecret(text: string): boolean {
  if (text.length < 6) return false;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && TOKEN_CHAR[c]) {
      if (++run === 16) return true;
    } else run = 0;
  }
  return (
    text.includes('://') || text.includes('-----BEGIN') || text.includes('eyJ') || BEARER_WORD.test(text)
  );
}

/**
 * Masks credentials anywhere in `text`; idempotent. Sightline keys, OpenAI/Anthropic keys, JWTs and
 * bearer tokens keep a recognisable prefix; every other format secretlint knows becomes `[REDACTED]`.
 */
export function redactSecrets(text: string): string {
  if (!mayHoldSecret(text)) return text;
  return maskRanges(redactKnownPrefixes(text));
}

function maskRanges(text: string): string {
  let result = '';
  let from = 0;
  for (const [start, end] of findSecrets(text)) {
    result += text.slice(from, start) + REDACTED;
    from = end;
  }
  return from ? result + text.slice(from) : text;
}

function redactKnownPrefixes(text: string): string {
  let result = text.replace(SIGHTLINE_SECRET, (match, body: string, offset: number) =>
    // Already masked (`sl_pk_…_[REDACTED]`): leave it, so redacting twice changes nothing.
    text.startsWith(REDACTED, offset + match.length)
      ? match
      : `sl_${SIGHTLINE_KEY_ID.exec(body)?.[1] ?? ''}${REDACTED}`,
  );
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result.replace(BEARER, (match, prefix: string, token: string) =>
    token !== REDACTED && (token.length >= 16 || /\d/.test(token)) ? `${prefix}${REDACTED}` : match,
  );
}
