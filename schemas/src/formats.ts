import { FormatRegistry } from '@sinclair/typebox';

// TypeBox validates `format` only for formats registered here. Every recorded event is checked on
// its way into the log and again on its way out, so these run millions of times: plain character
// loops (several times faster than a regex and Date.parse) decide the usual shapes.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
const DIGIT = 'd'.charCodeAt(0);
const HEX = 'x'.charCodeAt(0);

/** Whether `text` has `shape`'s length, a digit (`d`) or hex digit (`x`) where it says, its other characters as they are. */
function fits(text: string, shape: string): boolean {
  if (text.length !== shape.length) return false;
  for (let i = 0; i < shape.length; i++) {
    const want = shape.charCodeAt(i);
    const c = text.charCodeAt(i);
    if (want === DIGIT ? !isDigit(c) : want === HEX ? !isHex(c) : c !== want) return false;
  }
  return true;
}

const UUID = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
const CANONICAL_UTC = 'dddd-dd-ddTdd:dd:dd.dddZ';

/** 8-4-4-4-12 hex digits, either case. */
export const isUuid = (text: string): boolean => fits(text, UUID);

const field = (text: string, from: number) =>
  (text.charCodeAt(from) - 48) * 10 + text.charCodeAt(from + 1) - 48;

/** What `toISOString` writes, every field in range (Date.parse takes day 31 of any month too). */
function isCanonicalUtc(text: string): boolean {
  if (!fits(text, CANONICAL_UTC)) return false;
  const month = field(text, 5);
  const day = field(text, 8);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    field(text, 11) <= 23 &&
    field(text, 14) <= 59 &&
    field(text, 17) <= 59
  );
}

/** RFC 3339 date-time with a 4-digit year that Date.parse accepts. */
export const isDateTime = (text: string): boolean =>
  isCanonicalUtc(text) || (DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)));

if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', isUuid);
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime);
