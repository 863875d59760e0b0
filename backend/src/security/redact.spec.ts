import { randomBytes } from 'node:crypto';
import { REDACTED, redactSecrets } from './redact';

const b64url = (bytes: number): string => randomBytes(bytes).toString('base64url');
// Shaped like the real thing: `sl_<pk_ + 12>_<43>` (control/credentials.ts), OpenAI project keys, Anthropic keys.
const sightlineKey = `sl_pk_${b64url(9)}_${b64url(32)}`;
const openaiKey = `sk-proj-${b64url(48)}`;
const anthropicKey = `sk-ant-api03-${b64url(70)}`;
const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.${b64url(32)}`;

const upper = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const alnum = (n: number) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[+/=]/g, '')
    .slice(0, n);

describe('redactSecrets', () => {
  // From secretlint's maintained rules; each masked to `[REDACTED]`, the text around it kept.
  it.each([
    ['an AWS access key id', `AKIA${upper(16)}`],
    ['a GitHub token', `ghp_${alnum(36)}`],
    ['a GitHub fine-grained token', `github_pat_${alnum(22)}_${alnum(59)}`],
    ['a Slack token', `xoxb-${Date.now()}-${Date.now()}1-${alnum(24)}`],
    ['a database URL with a password', `postgres://admin:${alnum(12)}@db.internal:5432/app`],
  ])('masks %s', (_name, secret) => {
    const result = redactSecrets(`before ${secret} after`);
    expect(result).not.toContain(secret);
    expect(result).toMatch(/^before .*\[REDACTED\].* after$/);
    expect(redactSecrets(result)).toBe(result);
  });

  it('masks the AWS secret access key itself, not just its label', () => {
    const key = alnum(40);
    expect(redactSecrets(`aws_secret_access_key = "${key}"`)).not.toContain(key.slice(10));
  });

  it('masks Sightline keys but keeps their public id', () => {
    const keyId = sightlineKey.slice(3, 18);
    expect(redactSecrets(`key=${sightlineKey}&x=1`)).toBe(`key=sl_${keyId}_${REDACTED}&x=1`);
  });

  it('masks other sl_ secrets', () => {
    expect(redactSecrets(`sl_${b64url(24)}`)).toBe(`sl_${REDACTED}`);
  });

  it('masks OpenAI and Anthropic keys, keeping the vendor prefix', () => {
    expect(redactSecrets(`OPENAI_API_KEY=${openaiKey}`)).toBe(`OPENAI_API_KEY=sk-${REDACTED}`);
    expect(redactSecrets(`{"key":"${anthropicKey}"}`)).toBe(`{"key":"sk-ant-${REDACTED}"}`);
    expect(redactSecrets(`sk-${b64url(36)}`)).toBe(`sk-${REDACTED}`);
  });

  it('masks bearer tokens and JWTs', () => {
    expect(redactSecrets(`Authorization: Bearer ${b64url(30)}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactSecrets('authorization: bearer abc123==')).toBe(`authorization: bearer ${REDACTED}`);
    expect(redactSecrets(`token ${jwt} end`)).toBe(`token ${REDACTED} end`);
    expect(redactSecrets(`Bearer ${openaiKey}`)).toBe(`Bearer sk-${REDACTED}`);
  });

  // The cheap pre-filter must let the shortest secret of each kind through to the patterns.
  it('masks the shortest secrets of each kind', () => {
    expect(redactSecrets('Bearer a1')).toBe(`Bearer ${REDACTED}`);
    expect(redactSecrets('eyJa.eyJb.c')).toBe(REDACTED);
    expect(redactSecrets(`sk-${'a'.repeat(16)}`)).toBe(`sk-${REDACTED}`);
    expect(redactSecrets('postgres://a:secret123@h/db')).toBe(REDACTED);
  });

  it('masks every occurrence', () => {
    const text = `${openaiKey} and ${openaiKey} and ${sightlineKey}`;
    const result = redactSecrets(text);
    expect(result).not.toContain(openaiKey.slice(3));
    expect(result).not.toContain(sightlineKey.slice(18));
    expect(result.split(REDACTED)).toHaveLength(4);
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'The bearer of bad news',
      'A Bearer token goes in the Authorization header',
      'risk-free and task-oriented sk-learn',
      'the sl_session cookie',
      'eyJ alone is not a token',
      '',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('is idempotent', () => {
    const once = redactSecrets(
      `Bearer ${openaiKey} ${sightlineKey} ${anthropicKey} ${jwt} Bearer ${b64url(20)}`,
    );
    expect(redactSecrets(once)).toBe(once);
  });

  it('does not take long on hostile input', () => {
    const started = performance.now();
    redactSecrets(`Bearer ${'a'.repeat(200_000)}= sk-${'-'.repeat(200_000)} eyJ${'a.'.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
