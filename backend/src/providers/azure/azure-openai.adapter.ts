import type { UpstreamHttp } from '../http/upstream-http';
import { callOpenAiStyle, under } from '../openai-compatible/openai-style-call';
import type { ProviderAdapter, ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';

/** What an Azure OpenAI deployment serves, as URL path segments. */
export type AzureOperation = 'chat/completions' | 'embeddings' | 'responses';

/** `AZURE_OPENAI_API_VERSION=v1` (or an endpoint ending in `/openai/v1`) selects the v1 GA API. */
const V1 = 'v1';
const DEFAULT_API_VERSION = '2024-10-21';

/**
 * Azure OpenAI's transport. The credential's `baseUrl` is the resource endpoint
 * (`https://<resource>.openai.azure.com`); the wire model is the deployment name. Two URL layouts:
 * - deployments (default): `{endpoint}/openai/deployments/{deployment}/{operation}?api-version={apiVersion}`;
 * - v1 GA (`options.apiVersion = 'v1'`, or an endpoint already ending in `/openai/v1`):
 *   `{endpoint}/openai/v1/{operation}`, the deployment in the body's `model`.
 * Authenticates with the `api-key` header. Bodies are OpenAI's (Azure adds content-filter results,
 * passed through untouched); errors keep Azure's body (`{"error":{"code","message"}}`) and headers.
 */
export class AzureOpenAiAdapter implements ProviderAdapter {
  readonly id = 'azure';
  readonly format;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly operation: AzureOperation = 'chat/completions',
  ) {
    this.format = operation === 'responses' ? ('openai-responses' as const) : ('openai-chat' as const);
  }

  call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    return callOpenAiStyle(
      this.http,
      {
        provider: this.id,
        format: this.format,
        url: azureUrl(credential, request.model, this.operation),
        auth: credential.apiKey ? { 'api-key': credential.apiKey } : {},
      },
      request,
    );
  }
}

export function azureUrl(credential: ProviderCredential, deployment: string, operation: AzureOperation): URL {
  const endpoint = credential.baseUrl.replace(/\/+$/, '');
  if (endpoint.endsWith('/openai/v1')) return under(endpoint, `/${operation}`);
  const apiVersion = credential.options?.apiVersion ?? DEFAULT_API_VERSION;
  if (apiVersion === V1 || operation === 'responses') return under(endpoint, `/openai/v1/${operation}`);
  const url = under(endpoint, `/openai/deployments/${encodeURIComponent(deployment)}/${operation}`);
  url.searchParams.set('api-version', apiVersion);
  return url;
}
