import { randomUUID } from 'node:crypto';
import { isDateTime, isUuid } from './formats';

// The checks as they were written first: a regex, and Date.parse for the date-time.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const referenceDateTime = (v: string) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));

/** Every string one character away from `text`: each position replaced by each of `alphabet`. */
function mutations(text: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    for (const c of alphabet) out.push(text.slice(0, i) + c + text.slice(i + 1));
  }
  return out;
}

describe('formats', () => {
  it('accepts exactly the UUIDs the regex accepts, either case', () => {
    const uuid = randomUUID();
    const samples = [uuid, uuid.toUpperCase(), '', uuid.slice(1), `${uuid}0`, ...mutations(uuid, '0aF-g Z')];
    for (const sample of samples) expect([sample, isUuid(sample)]).toEqual([sample, UUID.test(sample)]);
  });

  it('accepts exactly the date-times the regex and Date.parse accept', () => {
    const samples = [
      '2026-11-30T12:00:00.000Z',
      '2026-02-31T23:59:59.999Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:00:60.000Z',
      '2026-11-30T13:00:00+01:00',
      '2026-11-30T12:00:00Z',
      '2026-11-30T12:00:00.1234567Z',
      '2026-11-30 12:00:00.000Z',
      ...mutations('2026-11-30T12:00:00.000Z', '09-:.TZ+x'),
    ];
    for (const sample of samples) {
      expect([sample, isDateTime(sample)]).toEqual([sample, referenceDateTime(sample)]);
    }
  });
});
