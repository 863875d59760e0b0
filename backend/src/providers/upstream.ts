import type { WireEvent, WireFormatId } from './wire/wire-format';

/** Where and as whom to call a provider. Secrets live only here: never logged, never recorded. */
export interface ProviderCredential {
  /** Stable id for logs, load balancing and health, e.g. `env:openai` or a credential's uuid. */
  readonly id: string;
  /** Base URL including any version path, e.g. `https://api.openai.com/v1`. */
  readonly baseUrl: string;
  /** API key / token; for Bedrock the AWS secret access key (with `accessKeyId`, `region`). */
  readonly apiKey?: string;
  /** Provider-specific settings: Azure `apiVersion`, Bedrock `region`/`accessKeyId`/`sessionToken`... */
  readonly options?: Readonly<Record<string, string>>;
  /** Relative weight for load balancing across several credentials of one provider. Default 1. */
  readonly weight?: number;
}

export interface UpstreamRequest {
  /** The model's name on the provider's wire (aliases and prefixes already resolved). */
  readonly model: string;
  /** The body in the adapter's wire format. */
  readonly body: unknown;
  /**
   * The caller's exact bytes when no translation is needed (same format, same model name): sent
   * as they are, so unknown fields and number formatting survive.
   */
  readonly rawBody?: Buffer;
  readonly stream: boolean;
  /** Caller headers the provider understands (e.g. `anthropic-version`, `anthropic-beta`, `openai-beta`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly credential: ProviderCredential;
  /** Aborted when the caller goes away or a timeout fires: the upstream request must be cancelled. */
  readonly signal: AbortSignal;
}

/**
 * A provider's answer, accepted (2xx). Non-2xx answers are thrown as `ProviderError` carrying the
 * status, the provider's own error body and its retry/rate-limit headers.
 */
export type UpstreamResponse =
  | {
      readonly kind: 'json';
      readonly status: number;
      /** Response headers worth passing to the caller: request ids, `x-ratelimit-*`, `retry-after`... */
      readonly headers: Readonly<Record<string, string>>;
      readonly body: Buffer;
    }
  | {
      /** Server-sent events, as raw bytes (passed through untouched on a same-format call). */
      readonly kind: 'sse';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly bytes: AsyncIterable<Uint8Array>;
    }
  | {
      /** Already-decoded events (binary framings such as AWS's event stream). */
      readonly kind: 'events';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly events: AsyncIterable<WireEvent>;
    };

/** The transport to one provider: URL layout, authentication, framing. No translation here. */
export interface ProviderAdapter {
  /** Stable provider id recorded on generations: `openai`, `anthropic`, `gemini`, `bedrock`... */
  readonly id: string;
  /** The format its bodies are in. */
  readonly format: WireFormatId;
  call(request: UpstreamRequest): Promise<UpstreamResponse>;
}
