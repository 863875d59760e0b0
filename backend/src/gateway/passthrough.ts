import type { IncomingHttpHeaders } from 'node:http';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../providers/wire/chat-completions';
import type { WireFormatId } from '../providers/wire/wire-format';
import { setMembers } from './json-members';

/** Caller headers a provider of the caller's own format understands: passed on a same-format call. */
const FORWARDED = ['openai-beta', 'anthropic-version', 'anthropic-beta'];

export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/**
 * Formats whose streams report usage only when asked: the member that asks for it. Sightline always
 * asks (usage is recorded); the pipeline keeps the caller from seeing what it did not ask for.
 */
const ASK_FOR_USAGE: Partial<
  Record<WireFormatId, (request: ChatCompletionRequest) => Record<string, string>>
> = {
  'openai-chat': (request): Record<string, string> =>
    request.stream_options?.include_usage === true
      ? {}
      : { stream_options: JSON.stringify({ ...request.stream_options, include_usage: true }) },
};

/**
 * The caller's bytes for a provider of the same format: unchanged, except `model` when the
 * provider's name for it differs and, on a stream, the request for usage.
 */
export function passthroughBody(
  format: WireFormatId,
  bytes: Buffer,
  request: ChatCompletionRequest,
  wireModel: string,
): Buffer {
  const set = {
    ...(wireModel !== request.model ? { model: JSON.stringify(wireModel) } : {}),
    ...(request.stream === true ? ASK_FOR_USAGE[format]?.(request) : {}),
  };
  return setMembers(bytes, set);
}

/** Whether the caller asked for streamed usage (a hub request; formats that always report it set it). */
export function askedForUsage(request: ChatCompletionRequest): boolean {
  return request.stream_options?.include_usage === true;
}

/** A chunk that only carries usage (`choices: []`), which a caller that did not ask for usage never sees. */
export function isUsageOnly(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.length === 0 && chunk.usage != null;
}
