import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'sl_session';
export const CSRF_COOKIE = 'sl_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface SessionClaims {
  /** Session id: ended sessions are listed in the control plane. */
  readonly sid: string;
  readonly uid: string;
  /** Expiry, epoch ms. */
  readonly exp: number;
  /** The CSRF token bound to this session (double-submit). */
  readonly csrf: string;
}

/** Stateless signed session cookies: any instance verifies them with the shared key. */
export class SessionCodec {
  constructor(private readonly key: Buffer) {}

  encode(claims: SessionClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The claims of a well-signed, unexpired cookie; undefined otherwise. */
  decode(cookie: string, nowMs: number): SessionClaims | undefined {
    const [payload, signature, ...rest] = cookie.split('.');
    if (!payload || !signature || rest.length) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
      return typeof claims.exp === 'number' && claims.exp > nowMs ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
