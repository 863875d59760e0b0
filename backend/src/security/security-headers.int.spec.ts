import express from 'express';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy, securityHeaders } from './security-headers';

const HASH = "'sha256-Ff8O14PHvZeehVX/9Bzh5hxVzduz8OVkt2jumn5ekHY='";

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows only same-origin resources, plus the hashed inline scripts', () => {
    const csp = directives(contentSecurityPolicy([HASH]));
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", HASH],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", 'ws:', 'wss:'],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'object-src': ["'none'"],
    });
  });

  it("never allows inline or eval'd scripts wholesale", () => {
    const scriptSrc = directives(contentSecurityPolicy([HASH])).get('script-src') ?? [];
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy()).get('script-src')).toEqual(["'self'"]);
  });

  it('adds font-src only when a page asks for font sources', () => {
    expect(directives(contentSecurityPolicy()).has('font-src')).toBe(false);
    const withFonts = directives(contentSecurityPolicy([], ['data:']));
    expect(withFonts.get('font-src')).toEqual(["'self'", 'data:']);
    withFonts.delete('font-src');
    expect(withFonts).toEqual(directives(contentSecurityPolicy()));
  });

  it('refuses anything but hash sources, so no directive can be smuggled in', () => {
    expect(() => contentSecurityPolicy(["'unsafe-inline'"])).toThrow(RangeError);
    expect(() => contentSecurityPolicy(["'sha256-abc='; script-src *"])).toThrow(RangeError);
  });
});

describe('securityHeaders', () => {
  async function headersFor(options: Parameters<typeof securityHeaders>[0]): Promise<Headers> {
    const app = express();
    app.use(securityHeaders(options));
    app.get('/', (_req, res) => {
      res.send('<p>ok</p>');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(200);
      return response.headers;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('sets the hardening headers on responses', async () => {
    const headers = await headersFor({ production: false, scriptHashes: [HASH] });
    expect(headers.get('content-security-policy')).toBe(contentSecurityPolicy([HASH]));
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(headers.get('permissions-policy')).toMatch(/^camera=\(\), microphone=\(\), geolocation=\(\)/);
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('sends Strict-Transport-Security only in production', async () => {
    expect((await headersFor({ production: false })).get('strict-transport-security')).toBeNull();
    expect((await headersFor({ production: true })).get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });
});
