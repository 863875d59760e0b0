import { Type, type Static } from '@sinclair/typebox';
import { envelope } from '../envelope';

/**
 * Requests the gateway refused before any provider was tried (unknown model, provider not
 * configured, malformed or oversized body, unsupported feature, rate limited...), so the project
 * owner sees them. One event counts every refusal of one kind (endpoint, status, code, model, key)
 * within a window of at most a minute, so a flood of refusals becomes a handful of events.
 * Never holds the request body, headers or the error message.
 */
export const GatewayRequestRefused = envelope(
  'gateway.request-refused',
  1,
  Type.Object({
    endpoint: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'the route refused, e.g. `POST /v1/chat/completions`',
    }),
    status: Type.Integer({ minimum: 400, maximum: 599, description: 'HTTP status answered' }),
    code: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z0-9_]+$',
      description: 'stable error code answered, e.g. `model_not_found`, `too_many_requests`',
    }),
    model: Type.Union([Type.String({ maxLength: 256 }), Type.Null()], {
      description: 'the model asked for, when the body could be read; null past the per-window cap',
    }),
    apiKeyId: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()], {
      description: 'the API key used; null for a signed-in session',
    }),
    count: Type.Integer({ minimum: 1, maximum: 0xffff_ffff, description: 'refusals counted here' }),
    firstAt: Type.String({ format: 'date-time', description: 'the first of them' }),
    lastAt: Type.String({ format: 'date-time', description: 'the last of them' }),
  }),
);
export type GatewayRequestRefused = Static<typeof GatewayRequestRefused>;
