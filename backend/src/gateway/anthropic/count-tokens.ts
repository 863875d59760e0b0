import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage as Request } from 'node:http';
import { CallerResolver } from '../../auth/caller';
import { AppConfig } from '../../config/app-config';
import { AnthropicAdapter } from '../../providers/anthropic/anthropic.adapter';
import { anthropicMessagesFormat } from '../../providers/wire/anthropic-messages/anthropic-messages.format';
import { Router } from '../../routing/router';
import { GatewayRateLimit } from '../gateway-rate-limit';
import { forwardedHeaders, passthroughBody } from '../passthrough';
import { readRequestBody } from '../request-body';
import { estimateInputTokens } from './token-estimate';

const ID_HEADER = /^[A-Za-z0-9_.:-]{1,128}$/;

/** `x-sightline-token-count`: whether the count is the provider's own or Sightline's estimate. */
export type TokenCountSource = 'provider' | 'estimate';

export interface TokenCountAnswer {
  /** Headers to send: the provider's (request id, rate limits) and `x-sightline-token-count`. */
  readonly headers: Readonly<Record<string, string>>;
  /** `{ input_tokens }`, as Anthropic answers it. */
  readonly body: { readonly input_tokens: number; readonly [field: string]: unknown };
}

/**
 * `POST /v1/messages/count_tokens` for any model: a model served by Anthropic counts with
 * Anthropic's own endpoint (the caller's body, its model renamed to the provider's); any other is
 * estimated with a BPE tokenizer (`gpt-tokenizer`, o200k) and marked `estimate`. Authenticated and
 * rate-limited like the gateway; nothing is recorded (no generation happens).
 */
@Injectable()
export class TokenCounter {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(GatewayRateLimit) private readonly limits: GatewayRateLimit,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Router) private readonly router: Router,
  ) {}

  async count(req: Request, signal: AbortSignal): Promise<TokenCountAnswer> {
    const caller = this.callers.fromHttp(req);
    const project = req.headers['x-sightline-project-id'];
    const access = this.callers.authorize(
      caller,
      typeof project === 'string' && ID_HEADER.test(project) ? project : undefined,
      'member',
    );
    this.limits.check(caller.kind === 'api-key' ? caller.keyId : access.projectId);
    const body = await readRequestBody(req, this.config.gatewayMaxBodyBytes);
    // count_tokens takes a Messages body without max_tokens: checked as one that has it.
    const request = anthropicMessagesFormat.toChatRequest({ max_tokens: 1, ...(body.json as object) });
    const { result } = await this.router.run(
      access.projectId,
      request.model,
      signal,
      async (target, attempt) => {
        if (!(target.adapter instanceof AnthropicAdapter)) {
          const { countTokens } = await import('gpt-tokenizer');
          const tokens = estimateInputTokens({ ...request, model: target.model }, countTokens);
          return { headers: { 'x-sightline-token-count': 'estimate' }, body: { input_tokens: tokens } };
        }
        const { headers, count } = await target.adapter.countTokens({
          credential: target.credential,
          headers: forwardedHeaders(req.headers),
          signal: attempt,
          body: passthroughBody('anthropic-messages', body.bytes, request, target.model),
        });
        return { headers: { ...headers, 'x-sightline-token-count': 'provider' }, body: count };
      },
    );
    return result;
  }
}
