/**
 * A local Azure OpenAI resource: Azure's URL layout and authentication in front of the fake OpenAI
 * server (the mock model answers). Routes, as Azure documents them:
 * - `POST /openai/deployments/{deployment}/chat/completions?api-version=…` and `…/embeddings`: the
 *   deployment names the model; without `api-version` Azure answers 404 `Resource not found`;
 * - `POST /openai/v1/chat/completions`, `/openai/v1/responses`, `/openai/v1/embeddings` (the v1 GA
 *   API): the deployment is the body's `model`, no `api-version` needed.
 * Authentication is the `api-key` header (or `Authorization: Bearer`); a wrong key gets Azure's 401.
 * An unknown deployment gets 404 `DeploymentNotFound`. Answers carry `apim-request-id` and
 * `x-ms-region`; chat answers carry Azure's content-filter results (`prompt_filter_results` in the
 * first streamed chunk, `content_filter_results` per choice).
 */
import type { ServerResponse } from 'node:http';
import { startFakeOpenAiServer } from '../fake-openai-server';
import {
  fakeId,
  FakeHttpError,
  isObject,
  sendJson,
  startFakeHttpServer,
  type FakeRequest,
  type FakeServer,
} from './fake-http';

export interface FakeAzureOpenAiOptions {
  readonly apiKey: string;
  /** Deployment names this resource has. */
  readonly deployments: readonly string[];
}

export interface FakeAzureOpenAiServer extends FakeServer {
  /** The resource endpoint, e.g. `http://127.0.0.1:41234` (what `AZURE_OPENAI_ENDPOINT` holds). */
  readonly endpoint: string;
}

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const V1_PATH = /^\/openai\/v1\/(chat\/completions|responses|embeddings)$/;
const AZURE_HEADERS = { 'x-ms-region': 'Sweden Central' };
const FILTERED = { filtered: false, severity: 'safe' };
const CONTENT_FILTER = { hate: FILTERED, self_harm: FILTERED, sexual: FILTERED, violence: FILTERED };
const PROMPT_FILTER = [{ prompt_index: 0, content_filter_results: CONTENT_FILTER }];

export async function startFakeAzureOpenAiServer(
  options: FakeAzureOpenAiOptions,
): Promise<FakeAzureOpenAiServer> {
  const openai = await startFakeOpenAiServer();
  const handle = async (request: FakeRequest, res: ServerResponse): Promise<void> => {
    const url = new URL(request.path, 'http://azure.local');
    const headers = { ...AZURE_HEADERS, 'apim-request-id': fakeId('') };
    const key = request.headers['api-key'] ?? request.headers.authorization?.replace(/^Bearer /, '');
    if (key !== options.apiKey) throw azureError(401, '401', ACCESS_DENIED, headers);
    const deployment = DEPLOYMENT_PATH.exec(url.pathname);
    const v1 = V1_PATH.exec(url.pathname);
    if (
      request.method !== 'POST' ||
      (!deployment && !v1) ||
      (deployment && !url.searchParams.get('api-version'))
    )
      throw azureError(404, '404', 'Resource not found', headers);
    const body = isObject(request.body) ? request.body : {};
    const name = deployment ? decodeURIComponent(deployment[1]) : String(body.model ?? '');
    if (!options.deployments.includes(name))
      throw azureError(404, 'DeploymentNotFound', NO_DEPLOYMENT, headers);
    const operation = deployment ? deployment[2] : v1![1];
    await forward(`${openai.url}/${operation}`, { ...body, model: name }, operation, res, headers);
  };
  const server = await startFakeHttpServer(handle);
  return {
    ...server,
    endpoint: server.origin,
    close: async () => {
      await server.close();
      await openai.close();
    },
  };
}

/** Asks the fake OpenAI server and answers in Azure's dress. */
async function forward(
  url: string,
  body: Record<string, unknown>,
  operation: string,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const upstream = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const chat = operation === 'chat/completions';
  if (!upstream.ok) {
    const error = (await upstream.json()) as { error?: Record<string, unknown> };
    const retry = upstream.headers.get('retry-after');
    throw azureError(upstream.status, String(upstream.status), String(error.error?.message ?? ''), {
      ...headers,
      ...(retry ? { 'retry-after': retry, 'x-ratelimit-remaining-requests': '0' } : {}),
    });
  }
  if (!(upstream.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const json = (await upstream.json()) as Record<string, unknown>;
    if (chat && Array.isArray(json.choices)) {
      json.prompt_filter_results = PROMPT_FILTER;
      for (const choice of json.choices as Record<string, unknown>[])
        choice.content_filter_results = CONTENT_FILTER;
    }
    return sendJson(res, 200, json, headers);
  }
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  // Azure's first chunk holds only the prompt's filter results.
  if (chat)
    res.write(
      `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER })}\n\n`,
    );
  for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

const ACCESS_DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
const NO_DEPLOYMENT =
  'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.';

function azureError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string>,
): FakeHttpError {
  return new FakeHttpError(status, { error: { code, message } }, headers);
}
