import { NotFoundError } from '../common/errors';
import { anthropicError } from './anthropic/anthropic-errors';
import { openAiError } from './openai-errors';

/** The routes named in the answer, so a caller sees what would have worked. */
const GATEWAY_ROUTES =
  'POST /v1/chat/completions, /v1/responses, /v1/embeddings, /v1/messages, /v1/messages/count_tokens ' +
  'and GET /v1/models';

/** What the gateway answers for a request no route takes. */
export interface UnknownUrlAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A `/v1/*` request no gateway route takes (an unknown path or the wrong method): 404 in the wire
 * format its path belongs to — Anthropic's for `/v1/messages…`, else OpenAI's with code
 * `unknown_url`, as OpenAI answers it — so an SDK shows it like the provider's own. Undefined for
 * paths outside the gateway.
 */
export function unknownGatewayUrl(method: string, path: string): UnknownUrlAnswer | undefined {
  if (!path.startsWith('/v1/')) return undefined;
  const error = new NotFoundError(
    `Unknown request URL: ${method} ${path}. Please check the URL for typos and the method: the ` +
      `gateway serves ${GATEWAY_ROUTES}.`,
    'unknown_url',
  );
  const { status, body } = /^\/v1\/messages(\/|$)/.test(path) ? anthropicError(error) : openAiError(error);
  return { status, body };
}
