import { createParser } from 'eventsource-parser';
import { CSRF_COOKIE, CSRF_HEADER, readCookie } from '$lib/graphql/client';
import { applyChunk, startedRun, type ChatChunk, type RunState } from './run-state';

/** The gateway's OpenAI-compatible endpoint: playground runs are recorded and traced like any call. */
export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';

export interface StreamChatOptions {
  readonly projectId: string;
  /** A Chat Completions request; `stream` and `stream_options.include_usage` are set here. */
  readonly body: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly onState: (state: RunState) => void;
  /** Recorded on the generation (`x-sightline-metadata`), e.g. the prompt version the run used. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly cookies?: string;
}

async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON
  }
  return `The gateway answered ${response.status}`;
}

/**
 * Streams one chat completion through the gateway with the member's session (cookie + CSRF header),
 * reporting the state after every chunk. Resolves with the final state; never rejects: a refusal,
 * a broken stream and a stop by `signal` are states too.
 */
export async function streamChat(options: StreamChatOptions): Promise<RunState> {
  const now = options.now ?? (() => performance.now());
  let state = startedRun(now());
  const report = (next: RunState) => {
    state = next;
    options.onState(state);
  };
  const csrf = readCookie(options.cookies ?? document.cookie, CSRF_COOKIE);
  try {
    const response = await (options.fetch ?? fetch)(CHAT_COMPLETIONS_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      signal: options.signal,
      headers: {
        'content-type': 'application/json',
        'x-sightline-project-id': options.projectId,
        'x-sightline-tags': 'playground',
        ...(options.metadata && Object.keys(options.metadata).length
          ? { 'x-sightline-metadata': JSON.stringify(options.metadata) }
          : {}),
        ...(csrf ? { [CSRF_HEADER]: csrf } : {}),
      },
      body: JSON.stringify({ ...options.body, stream: true, stream_options: { include_usage: true } }),
    });
    const ids = {
      traceId: response.headers.get('x-sightline-trace-id'),
      spanId: response.headers.get('x-sightline-span-id'),
    };
    report({ ...state, ...ids });
    if (!response.ok || !response.body) {
      report({ ...state, status: 'failed', error: await errorOf(response), endedAt: now() });
      return state;
    }
    const parser = createParser({
      onEvent: (event) => {
        if (event.data === '[DONE]') return;
        report(applyChunk(state, JSON.parse(event.data) as ChatChunk, now()));
      },
    });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    if (state.status === 'running') report({ ...state, status: 'done', endedAt: now() });
  } catch (error) {
    if (options.signal.aborted) report({ ...state, status: 'stopped', endedAt: now() });
    else report({ ...state, status: 'failed', error: (error as Error).message, endedAt: now() });
  }
  return state;
}
