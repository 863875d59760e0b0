import type { TextRedactor } from '../security/redact-free-text';

/*
 * The built-in rules. Each is a linear scan: native regexes whose every quantifier is unambiguous
 * (a run of one class, then a fixed check), or a plain loop — never a pattern that backtracks.
 */

export const EMAIL = '[EMAIL]';
export const CARD = '[CARD]';
export const API_KEY = '[API_KEY]';

const table = (chars: string): Uint8Array => {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
};
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOCAL_PART = table(`${ALNUM}._%+-`);
const DOMAIN = table(`${ALNUM}.-`);
const inTable = (t: Uint8Array, code: number): boolean => code < 128 && t[code] === 1;
const TLD = /^[A-Za-z]{2,63}$/;

/**
 * E-mail addresses (`local@domain.tld`) → `[EMAIL]`. From each `@`, the local part is read back
 * and the domain forward; the ranges of two `@`s never overlap, so the scan is linear.
 */
export function redactEmails(text: string): string {
  let at = text.indexOf('@');
  if (at < 0) return text;
  let result = '';
  let copied = 0;
  while (at >= 0) {
    let start = at;
    while (start > copied && inTable(LOCAL_PART, text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && inTable(DOMAIN, text.charCodeAt(end))) end++;
    // A sentence may end right after an address: trailing dots and dashes are not the domain's.
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    let dot = end - 1;
    while (dot > at && text[dot] !== '.') dot--;
    if (start < at && dot > at + 1 && TLD.test(text.slice(dot + 1, end))) {
      result += text.slice(copied, start) + EMAIL;
      copied = end;
      at = text.indexOf('@', end);
    } else at = text.indexOf('@', at + 1);
  }
  return copied ? result + text.slice(copied) : text;
}

// 13 to 19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
const CARD_NUMBER = /\b\d(?:[ -]?\d){12,18}\b/g;

/** Card numbers (13–19 digits, grouped or not) that pass the Luhn check → `[CARD]`. */
export function redactCardNumbers(text: string): string {
  if (!hasDigits(text, 13)) return text;
  return text.replace(CARD_NUMBER, (match) => (luhn(match.replace(/[ -]/g, '')) ? CARD : match));
}

/** The Luhn checksum (ISO/IEC 7812): every second digit from the right doubled, digits summed. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function hasDigits(text: string, count: number): boolean {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++seen === count) return true;
  }
  return false;
}

// A run of base64 characters; inside it, runs of token characters.
const BLOB = /[A-Za-z0-9_+/=-]{20,}/g;
const TOKEN = /[A-Za-z0-9_-]{20,}/g;
/** Longer runs are data (an image, a file in base64), not a key. */
const MAX_KEY_LENGTH = 256;

/**
 * API-key-like strings → `[API_KEY]`: a token of 20–256 letters, digits, `_` and `-` that mixes
 * upper case, lower case and digits (at least two of each), as generated keys do and words,
 * hex ids and UUIDs do not. Base64 data longer than 256 characters is left whole.
 */
export function redactApiKeys(text: string): string {
  if (text.length < 20) return text;
  return text.replace(BLOB, (blob) =>
    blob.length > MAX_KEY_LENGTH ? blob : blob.replace(TOKEN, (token) => (keyLike(token) ? API_KEY : token)),
  );
}

function keyLike(token: string): boolean {
  let upper = 0;
  let lower = 0;
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digits++;
  }
  return upper >= 2 && lower >= 2 && digits >= 2;
}

export const BUILTIN_RULES = {
  emails: redactEmails,
  cardNumbers: redactCardNumbers,
  apiKeys: redactApiKeys,
} as const satisfies Record<string, TextRedactor>;
