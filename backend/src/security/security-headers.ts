import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';

export interface SecurityHeadersOptions {
  /** Adds Strict-Transport-Security: only meaningful (and only safe) behind HTTPS. */
  readonly production: boolean;
  /**
   * `'sha256-…'` of the UI's inline scripts (see `uiScriptHashes`). SvelteKit's static build boots
   * from an inline script; without its hash the UI does not start. API-only servers can omit it.
   */
  readonly scriptHashes?: readonly string[];
}

const HASH_SOURCE = /^'sha(256|384|512)-[A-Za-z0-9+/]+={0,2}'$/;

/**
 * The CSP for the same-origin SPA, one directive per entry. `fontSources` adds to `'self'` for fonts,
 * for a page whose stylesheet embeds them (GraphiQL's, as `data:` URLs).
 */
export function contentSecurityPolicy(
  scriptHashes: readonly string[] = [],
  fontSources: readonly 'data:'[] = [],
): string {
  const bad = scriptHashes.filter((hash) => !HASH_SOURCE.test(hash));
  if (bad.length) throw new RangeError(`not CSP hash sources: ${bad.join(', ')}`);
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...scriptHashes],
    // Svelte transitions and the route announcer set inline styles; styles cannot run code.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    ...(fontSources.length ? { 'font-src': ["'self'", ...fontSources] } : {}),
    // GraphQL subscriptions over graphql-ws; older browsers do not let 'self' cover ws:/wss:.
    'connect-src': ["'self'", 'ws:', 'wss:'],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Browser-facing hardening for every response (UI, GraphQL, gateway); computed once, set per response. */
export function securityHeaderSetter(options: SecurityHeadersOptions): (res: ServerResponse) => void {
  const headers: [string, string][] = [
    ['Content-Security-Policy', contentSecurityPolicy(options.scriptHashes)],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    // Legacy twin of frame-ancestors 'none', for browsers without CSP 2.
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
  ];
  if (options.production) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);

  return (res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}

/** {@link securityHeaderSetter} as Express middleware. */
export function securityHeaders(options: SecurityHeadersOptions): RequestHandler {
  const set = securityHeaderSetter(options);
  return (_req: Request, res: Response, next: NextFunction): void => {
    set(res);
    res.removeHeader('X-Powered-By');
    next();
  };
}
