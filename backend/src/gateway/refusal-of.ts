import type { IncomingMessage } from 'node:http';
import type { Caller, ProjectAccess } from '../auth/caller';
import { isDomainError, ProviderError } from '../common/errors';
import type { Refusal } from '../refusals/request-refusals';

/** The caller of a gateway request, once authorized: what a refusal is attributed to. */
export interface Asker {
  readonly caller: Caller;
  readonly access: ProjectAccess;
}

const CODE = /^[a-z0-9_]{1,64}$/;

/**
 * Whether an error answered to a caller is Sightline's own refusal (unknown model, provider not
 * configured, bad body, untranslatable feature, rate limit...): not a provider's error (that call is
 * a failed generation) nor a caller who went away.
 */
export function isRefusal(error: unknown, caller: AbortSignal): boolean {
  return !(error instanceof ProviderError) && !caller.aborted;
}

/**
 * A refused request as counted for its project: method and path (no query), the status answered,
 * Sightline's stable reason as the code, the model if the body named one, and the key.
 */
export function refusalOf(
  req: IncomingMessage,
  asker: Asker,
  body: unknown,
  status: number,
  error: unknown,
): Refusal {
  const path = (req.url ?? '/').split('?')[0];
  const reason = isDomainError(error) ? error.reason : 'internal_error';
  const model = (body as { model?: unknown } | null | undefined)?.model;
  return {
    projectId: asker.access.projectId,
    endpoint: `${req.method} ${path}`.slice(0, 64),
    status,
    code: CODE.test(reason) ? reason : 'invalid_request',
    model: typeof model === 'string' ? model : null,
    apiKeyId: asker.caller.kind === 'api-key' ? asker.caller.keyId : null,
  };
}
