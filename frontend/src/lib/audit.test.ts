import { describe, expect, it } from 'vitest';
import { auditFilter, auditQueryOf, auditSearch } from './audit';

describe('audit filters', () => {
  it('read from the URL, unknown values as none, and write back only what is set', () => {
    const query = auditQueryOf(new URLSearchParams('action=api-key&actor=usr_1&period=7d'));
    expect(query).toEqual({ action: 'api-key', actor: 'usr_1', period: '7d' });
    expect(auditSearch(query)).toBe('?action=api-key&actor=usr_1&period=7d');
    expect(auditQueryOf(new URLSearchParams('action=DROP&period=1y'))).toEqual({
      action: '',
      actor: '',
      period: '',
    });
    expect(auditSearch({ action: '', actor: '', period: '' })).toBe('');
  });

  it('become the API filter: prefixes, the actor, a start time', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(auditFilter({ action: 'membership', actor: '', period: '24h' }, now)).toEqual({
      actions: ['membership'],
      since: '2026-11-30T00:00:00.000Z',
    });
    expect(auditFilter({ action: '', actor: '', period: '' }, now)).toEqual({});
  });
});
