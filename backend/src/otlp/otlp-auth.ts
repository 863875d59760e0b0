import type { IncomingHttpHeaders } from 'node:http';

/** `/v1/traces`: the API key of `Authorization: Bearer sl_…` (or `x-api-key`), as the gateway takes it. */
export function apiKeyFromBearer(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const apiKey = headers['x-api-key'];
  return bearer ?? (typeof apiKey === 'string' && apiKey ? apiKey : undefined);
}

/**
 * `/api/public/otel/v1/traces`: `Authorization: Basic base64(public key : secret key)`, as OTel-based
 * SDKs of other platforms (Langfuse...) send it. The public key is the API key's id (`pk_…`); the
 * secret key is the whole API key (`sl_pk_…_…`) or its part after the id. A whole key naming
 * another id than the public key given is no key.
 */
export function apiKeyFromBasic(headers: IncomingHttpHeaders): string | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const publicKey = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (!secret.startsWith('sl_')) return `sl_${publicKey}_${secret}`;
  return secret.startsWith(`sl_${publicKey}_`) ? secret : undefined;
}
