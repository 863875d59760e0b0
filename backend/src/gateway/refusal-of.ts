import type { IncomingMessage } from 'node:http';
import type { Caller, CallerResolver, ProjectAccess } from '../auth/caller';
import { isDomainError, ProviderError, UnauthenticatedError } from '../common/errors';
import type { Refusal } from '../refusals/request-refusals';

/** Who a refused gateway request is counted for: a project, and the API key when one was named. */
export interface Asker {
  readonly projectId: string;
  readonly apiKeyId: string | null;
}

/** An authorized caller's project and key. */
export const askerOf = (caller: Caller, access: ProjectAccess): Asker => ({
  projectId: access.projectId,
  apiKeyId: caller.kind === 'api-key' ? caller.keyId : null,
});

/**
 * Who a request refused before it was authorized is counted for: the project of the known key it
 * names when it was refused as unauthenticated (a wrong secret, a revoked key), so the key's owner
 * sees it; else nobody (no project to count it in).
 */
export function unauthorizedAsker(
  callers: CallerResolver,
  req: IncomingMessage,
  error: unknown,
): Asker | undefined {
  if (!(error instanceof UnauthenticatedError)) return undefined;
  const key = callers.namedKey(req);
  return key && { projectId: key.projectId, apiKeyId: key.keyId };
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
    projectId: asker.projectId,
    endpoint: `${req.method} ${path}`.slice(0, 64),
    status,
    code: CODE.test(reason) ? reason : 'invalid_request',
    model: typeof model === 'string' ? model : null,
    apiKeyId: asker.apiKeyId,
  };
}
