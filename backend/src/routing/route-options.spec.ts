import { InvalidInputError } from '../common/errors';
import { routeOptionsFromHeaders } from './route-options';
import { parseRoutingSettings } from './routing-settings';

describe('a call’s routing options', () => {
  it('reads x-sightline-fallbacks in order; empty turns fallbacks off; absent keeps the configured ones', () => {
    expect(routeOptionsFromHeaders({ 'x-sightline-fallbacks': ' claude-sonnet-4-5, gpt-4o ' })).toEqual({
      fallbacks: ['claude-sonnet-4-5', 'gpt-4o'],
    });
    expect(routeOptionsFromHeaders({ 'x-sightline-fallbacks': '' })).toEqual({ fallbacks: [] });
    expect(routeOptionsFromHeaders({})).toEqual({});
  });

  it('refuses too many names or names with spaces', () => {
    expect(() => routeOptionsFromHeaders({ 'x-sightline-fallbacks': 'a,b,c,d,e,f' })).toThrow(
      InvalidInputError,
    );
    expect(() => routeOptionsFromHeaders({ 'x-sightline-fallbacks': 'gpt 4o' })).toThrow(/comma-separated/);
  });
});

describe('routing settings from the environment', () => {
  it('has documented defaults', () => {
    expect(parseRoutingSettings({})).toEqual({
      maxAttempts: 3,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxRetryAfterMs: 60_000,
      totalTimeoutMs: 600_000,
      firstTokenTimeoutMs: 300_000,
      fallbacks: {},
    });
  });

  it('reads each variable and refuses malformed ones by name', () => {
    const settings = parseRoutingSettings({
      SIGHTLINE_MAX_ATTEMPTS: '5',
      SIGHTLINE_FIRST_TOKEN_TIMEOUT_MS: '30000',
      SIGHTLINE_FALLBACKS: '{"gpt-4o":["claude-sonnet-4-5"]}',
    });
    expect(settings).toMatchObject({
      maxAttempts: 5,
      firstTokenTimeoutMs: 30_000,
      fallbacks: { 'gpt-4o': ['claude-sonnet-4-5'] },
    });
    expect(() => parseRoutingSettings({ SIGHTLINE_MAX_ATTEMPTS: '0' })).toThrow(/SIGHTLINE_MAX_ATTEMPTS/);
    expect(() => parseRoutingSettings({ SIGHTLINE_FALLBACKS: '[1]' })).toThrow(/SIGHTLINE_FALLBACKS/);
    expect(() => parseRoutingSettings({ SIGHTLINE_FALLBACKS: '{' })).toThrow(/must be JSON/);
  });
});
