import { describe, expect, it } from 'vitest';
import { isPublicPath, loginHref, safeNext } from './redirect';

describe('isPublicPath', () => {
  it('lets /login and /invite/<token> through, nothing else', () => {
    expect(isPublicPath('/login')).toBe(true);
    expect(isPublicPath('/invite/inv_abc')).toBe(true);
    expect(isPublicPath('/')).toBe(false);
    expect(isPublicPath('/settings/keys')).toBe(false);
    expect(isPublicPath('/account')).toBe(false);
    expect(isPublicPath('/login-help')).toBe(false);
    expect(isPublicPath('/invite')).toBe(false);
  });
});

describe('loginHref', () => {
  it('carries the current path and query in ?next=', () => {
    expect(loginHref({ pathname: '/settings/keys', search: '' })).toBe('/login?next=%2Fsettings%2Fkeys');
    expect(loginHref({ pathname: '/audit', search: '?project=p1' }, '/base/login')).toBe(
      '/base/login?next=%2Faudit%3Fproject%3Dp1',
    );
  });

  it('round-trips through URLSearchParams and safeNext', () => {
    const href = loginHref({ pathname: '/audit', search: '?project=p1&x=a%20b' });
    const next = new URL(href, 'http://h').searchParams.get('next');
    expect(safeNext(next)).toBe('/audit?project=p1&x=a%20b');
  });
});

describe('safeNext', () => {
  it('keeps same-origin paths with query and hash', () => {
    expect(safeNext('/settings/keys')).toBe('/settings/keys');
    expect(safeNext('/?project=p2#top')).toBe('/?project=p2#top');
  });

  it('falls back for missing, foreign or looping targets', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'settings',
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
      '/login',
      '/login?next=%2F',
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
    expect(safeNext('//evil.example', '/account')).toBe('/account');
  });
});
