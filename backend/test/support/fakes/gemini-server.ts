/**
 * A local HTTP server speaking Google's Gemini API (Generative Language `v1beta`), powered by the
 * deterministic mock model (`src/providers/mock/mock-model.ts`, test hooks included: `[mock:error:429]`,
 * `[mock:tool:name]`, `[mock:tokens:n]`, `[mock:delay:ms]`, `[mock:drop:n]`). Faithful to the
 * documented wire format (https://ai.google.dev/api/generate-content):
 *
 * - `POST /v1beta/models/{model}:generateContent`: a `GenerateContentResponse` (`candidates` with
 *   `content.parts`, `finishReason`, `index`; `usageMetadata`; `modelVersion`; `responseId`).
 * - `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`: one `data: <GenerateContentResponse>`
 *   per event, CRLF-framed as Google frames it, each with the usage so far, the last one with
 *   `finishReason`; a function call arrives whole in one part. Without `alt=sse` the stream is a
 *   JSON array of the same responses.
 * - The request is checked as Google checks it: unknown fields are refused
 *   (`Invalid JSON payload received. Unknown name "x"`), `contents` must be set, roles are `user` or
 *   `model`. `generationConfig` is honoured: `maxOutputTokens` (`MAX_TOKENS`), `stopSequences`,
 *   `candidateCount`, `responseMimeType: application/json` (the text is then a JSON value matching
 *   `responseJsonSchema` / `responseSchema`), and `thinkingConfig.includeThoughts` (a thought part first).
 * - Errors are `{ error: { code, message, status, details? } }` with Google's canonical statuses; a
 *   429 is `RESOURCE_EXHAUSTED` with `QuotaFailure`, `Help` and `RetryInfo` (`retryDelay`) details
 *   (Google sends no `retry-after` header). The key is read from `x-goog-api-key` (or `?key=`) when
 *   `apiKey` is set: missing → 403 `PERMISSION_DENIED`, wrong → 400 `API_KEY_INVALID`, as Google answers.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  countTokens,
  messageText,
  runMockModel,
  type MockMessage,
  type MockReply,
} from '../../../src/providers/mock/mock-model';
import {
  drop,
  FakeHttpError,
  isObject,
  pause,
  sendJson,
  startFakeHttpServer,
  type FakeRequest,
  type FakeServer,
} from './fake-http';

export interface FakeGeminiServerOptions {
  readonly port?: number;
  /** Pause before each streamed event (ms). Default 0. */
  readonly tokenIntervalMs?: number;
  /** When set, requests must carry it in `x-goog-api-key` (or `?key=`). */
  readonly apiKey?: string;
  /** The `retryDelay` of a 429's `RetryInfo`, in seconds. Default 7. */
  readonly retryDelaySeconds?: number;
}

export interface FakeGeminiServer extends FakeServer {
  /** Base URL including the version, e.g. `http://127.0.0.1:41234/v1beta`. */
  readonly url: string;
}

/** Fields of the request objects as the API reference lists them (anything else is refused). */
const FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  request: new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings', 'cachedContent']),
  content: new Set(['role', 'parts']),
  part: new Set(['text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult', 'videoMetadata', 'partMetadata', 'mediaResolution']),
  generationConfig: new Set([
    'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
    'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs',
    'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig', 'thinkingConfig', 'imageConfig', 'mediaResolution',
  ]),
  thinkingConfig: new Set(['includeThoughts', 'thinkingBudget', 'thinkingLevel']),
  tool: new Set(['functionDeclarations', 'googleSearchRetrieval', 'codeExecution', 'googleSearch', 'computerUse', 'urlContext', 'fileSearch', 'googleMaps']),
  functionDeclaration: new Set(['name', 'description', 'behavior', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema']),
  toolConfig: new Set(['functionCallingConfig', 'retrievalConfig']),
  functionCallingConfig: new Set(['mode', 'allowedFunctionNames']),
}; // prettier-ignore

const STATUS_OF: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const THOUGHT = 'Weighing what was asked before answering.';
const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function startFakeGeminiServer(
  options: FakeGeminiServerOptions = {},
): Promise<FakeGeminiServer> {
  const interval = Math.max(0, options.tokenIntervalMs ?? 0);
  const retryDelay = options.retryDelaySeconds ?? 7;
  const server = await startFakeHttpServer(async (request, res) => {
    const url = new URL(request.path, 'http://fake');
    if (options.apiKey !== undefined) checkKey(request, url, options.apiKey);
    const route = ROUTE.exec(url.pathname);
    if (request.method !== 'POST' || !route) {
      throw googleError(404, `The requested URL ${url.pathname} was not found on this server.`);
    }
    const [, model, method] = route;
    const ask = readRequest(request.body);
    const outcome = runMockModel({ messages: ask.messages, params: ask.params });
    if (outcome.delayMs > 0 && !(await pause(outcome.delayMs, res))) return;
    if (outcome.kind === 'error') throw hookError(outcome.status, outcome.message, model, retryDelay);
    const answer = shape(outcome, ask, model);
    if (method === 'generateContent') {
      if (outcome.dropAfterTokens !== null) return drop(res);
      return sendJson(res, 200, answer.whole, HEADERS);
    }
    await stream(res, answer, url.searchParams.get('alt') === 'sse', outcome.dropAfterTokens, interval);
  }, options.port);
  return { ...server, url: `${server.origin}/v1beta` };
}

const HEADERS = { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer' };

interface Ask {
  readonly messages: MockMessage[];
  readonly params: Record<string, unknown>;
  readonly candidates: number;
  readonly stop: readonly string[];
  readonly json: boolean;
  readonly schema: unknown;
  readonly thoughts: boolean;
}

/** Validates the body as Google does (the subset the fake depends on) and reads what the mock model needs. */
function readRequest(body: unknown): Ask {
  if (!isObject(body)) throw googleError(400, 'Invalid JSON payload received. Expected an object.');
  checkFields(body, 'request', '');
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    throw googleError(400, '* GenerateContentRequest.contents: contents is not specified\n');
  }
  const messages: MockMessage[] = [];
  if (isObject(body.systemInstruction)) {
    checkFields(body.systemInstruction, 'content', 'system_instruction.');
    messages.push({ role: 'system', content: partsText(body.systemInstruction.parts) });
  }
  contents.forEach((content: unknown, i) => {
    if (!isObject(content)) throw googleError(400, `Invalid value at 'contents[${i}]'`);
    checkFields(content, 'content', `contents[${i}].`);
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      throw googleError(400, 'Please use a valid role: user, model.');
    }
    const parts = Array.isArray(content.parts) ? content.parts.filter(isObject) : [];
    parts.forEach((part, n) => checkFields(part, 'part', `contents[${i}].parts[${n}].`));
    // Function results play the role of OpenAI's tool messages: the same conversation gives the same reply.
    const results = parts.length > 0 && parts.every((p) => isObject(p.functionResponse));
    messages.push({
      role: content.role === 'model' ? 'assistant' : results ? 'tool' : 'user',
      content: partsText(parts),
    });
  });
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  tools.forEach((tool, i) => {
    checkFields(tool, 'tool', `tools[${i}].`);
    const declarations = Array.isArray(tool.functionDeclarations)
      ? tool.functionDeclarations.filter(isObject)
      : [];
    declarations.forEach((d, n) =>
      checkFields(d, 'functionDeclaration', `tools[${i}].function_declarations[${n}].`),
    );
  });
  if (isObject(body.toolConfig)) {
    checkFields(body.toolConfig, 'toolConfig', 'tool_config.');
    if (isObject(body.toolConfig.functionCallingConfig)) {
      checkFields(
        body.toolConfig.functionCallingConfig,
        'functionCallingConfig',
        'tool_config.function_calling_config.',
      );
    }
  }
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  checkFields(config, 'generationConfig', 'generation_config.');
  const thinking = isObject(config.thinkingConfig) ? config.thinkingConfig : {};
  checkFields(thinking, 'thinkingConfig', 'generation_config.thinking_config.');
  const candidates = typeof config.candidateCount === 'number' ? config.candidateCount : 1;
  if (candidates < 1 || candidates > 8)
    throw googleError(400, 'Only values between 1 and 8 are supported for candidate_count.');
  return {
    messages,
    params: typeof config.maxOutputTokens === 'number' ? { max_tokens: config.maxOutputTokens } : {},
    candidates,
    stop: Array.isArray(config.stopSequences)
      ? config.stopSequences.filter((s) => typeof s === 'string')
      : [],
    json: config.responseMimeType === 'application/json',
    schema: config.responseJsonSchema ?? config.responseSchema,
    thoughts: thinking.includeThoughts === true && thinking.thinkingBudget !== 0,
  };
}

function checkFields(object: Record<string, unknown>, kind: string, at: string): void {
  for (const key of Object.keys(object)) {
    if (!FIELDS[kind].has(key)) {
      throw googleError(
        400,
        `Invalid JSON payload received. Unknown name "${key}" at '${at.replace(/\.$/, '')}': Cannot find field.`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [
              {
                field: `${at}${key}`,
                description: `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`,
              },
            ],
          },
        ],
      );
    }
  }
}

/** The text the mock model reads from parts: texts, and function calls/results as JSON. */
function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return messageText(
    parts.filter(isObject).map((p) => ({
      text:
        typeof p.text === 'string'
          ? p.text
          : isObject(p.functionResponse)
            ? JSON.stringify(p.functionResponse.response)
            : isObject(p.functionCall)
              ? JSON.stringify(p.functionCall)
              : undefined,
    })),
  );
}

/** One candidate's answer as events: the parts of each streamed event, and the finish reason. */
interface Shaped {
  readonly events: readonly Record<string, unknown>[][];
  readonly finishReason: string;
  readonly outputTokens: number;
}

interface Answer {
  readonly whole: unknown;
  readonly candidates: readonly Shaped[];
  readonly head: { readonly modelVersion: string; readonly responseId: string };
  readonly promptTokens: number;
  readonly thoughtsTokens: number;
}

function shape(reply: MockReply, ask: Ask, model: string): Answer {
  const thoughtsTokens = ask.thoughts ? countTokens(THOUGHT) : 0;
  const candidate = ((): Shaped => {
    const call = reply.toolCalls?.[0];
    if (call) {
      const part = {
        functionCall: { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown },
      };
      return { events: [[part]], finishReason: 'STOP', outputTokens: reply.usage.outputTokens };
    }
    const tokens = ask.json
      ? [JSON.stringify(sampleOf(ask.schema, reply.content ?? ''))]
      : cutAtStop(reply.tokens, ask.stop);
    return {
      events: tokens.map((token) => [{ text: token }]),
      finishReason: reply.finishReason === 'length' && !ask.json ? 'MAX_TOKENS' : 'STOP',
      // Tokens are the mock model's words; a JSON answer is counted like any text.
      outputTokens: ask.json ? countTokens(tokens.join('')) : tokens.length,
    };
  })();
  const thought = ask.thoughts ? [[{ text: THOUGHT, thought: true }]] : [];
  const shaped = { ...candidate, events: [...thought, ...candidate.events] };
  const candidates = Array.from({ length: ask.candidates }, () => shaped);
  const head = { modelVersion: model, responseId: responseId() };
  const promptTokens = reply.usage.inputTokens;
  return {
    head,
    candidates,
    promptTokens,
    thoughtsTokens,
    whole: {
      candidates: candidates.map((c, index) => ({
        content: { parts: joinTexts(c.events.flat()), role: 'model' },
        finishReason: c.finishReason,
        index,
      })),
      usageMetadata: usage(
        promptTokens,
        candidates.reduce((sum, c) => sum + c.outputTokens, 0),
        thoughtsTokens,
      ),
      ...head,
    },
  };
}

/** Adjacent text parts as one (a whole answer holds its text in one part, thoughts in another). */
function joinTexts(parts: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (
      last &&
      typeof last.text === 'string' &&
      typeof part.text === 'string' &&
      last.thought === part.thought
    ) {
      out[out.length - 1] = { ...last, text: last.text + part.text };
    } else out.push(part);
  }
  return out;
}

/** The tokens up to the first stop sequence (excluded), as Gemini stops. */
function cutAtStop(tokens: readonly string[], stops: readonly string[]): readonly string[] {
  const text = tokens.join('');
  const at = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0));
  if (!Number.isFinite(at)) return tokens;
  const out: string[] = [];
  let length = 0;
  for (const token of tokens) {
    if (length + token.length > at) {
      if (at > length) out.push(token.slice(0, at - length));
      break;
    }
    out.push(token);
    length += token.length;
  }
  return out;
}

/** A deterministic JSON value matching a (JSON or OpenAPI) schema: strings hold the mock reply. */
function sampleOf(schema: unknown, text: string): unknown {
  if (!isObject(schema)) return { reply: text };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = String(Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? 'object')).toLowerCase();
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, sampleOf(s, text)]));
    }
    case 'array':
      return [sampleOf(schema.items, text)];
    case 'integer':
    case 'number':
      return countTokens(text);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return text;
  }
}

function usage(prompt: number, candidates: number, thoughts: number): Record<string, unknown> {
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + thoughts,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
}

async function stream(
  res: ServerResponse,
  answer: Answer,
  sse: boolean,
  dropAfter: number | null,
  interval: number,
): Promise<void> {
  res.writeHead(200, {
    ...HEADERS,
    'content-type': sse ? 'text/event-stream' : 'application/json; charset=UTF-8',
  });
  const steps = Math.max(...answer.candidates.map((c) => c.events.length));
  let output = 0;
  let thoughts = 0;
  if (!sse) res.write('[');
  for (let step = 0; step < steps; step++) {
    if (step === dropAfter) return drop(res);
    if (interval > 0 && !(await pause(interval, res))) return;
    const last = step === steps - 1;
    const candidates = answer.candidates.flatMap((c, index) => {
      const parts = c.events[step];
      if (!parts) return [];
      // Usage so far: each streamed text event is one of the mock model's tokens.
      if (parts.some((part) => part.thought === true)) thoughts = answer.thoughtsTokens;
      else output += 1;
      return [
        { content: { parts, role: 'model' }, ...(last ? { finishReason: c.finishReason } : {}), index },
      ];
    });
    const body = {
      candidates,
      usageMetadata: usage(answer.promptTokens, last ? sum(answer) : output, thoughts),
      ...answer.head,
    };
    res.write(
      sse ? `data: ${JSON.stringify(body)}\r\n\r\n` : `${step > 0 ? ',\r\n' : ''}${JSON.stringify(body)}`,
    );
  }
  res.end(sse ? undefined : ']');
}

function sum(answer: Answer): number {
  return answer.candidates.reduce((total, c) => total + c.outputTokens, 0);
}

function checkKey(request: FakeRequest, url: URL, apiKey: string): void {
  const header = request.headers['x-goog-api-key'];
  const key = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('key');
  if (key === null || key === '') {
    throw googleError(
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
  }
  if (key !== apiKey) {
    throw googleError(400, 'API key not valid. Please pass a valid API key.', [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
    ]);
  }
}

/** The error the `[mock:error:<status>]` hook asks for, as Google words it. */
function hookError(status: number, message: string, model: string, retryDelay: number): FakeHttpError {
  if (status === 429) {
    return googleError(
      429,
      `You exceeded your current quota, please check your plan and billing details. ${message}`,
      [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              quotaDimensions: { location: 'global', model },
              quotaValue: '10',
            },
          ],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [
            {
              description: 'Learn more about Gemini API quotas',
              url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelay}s` },
      ],
    );
  }
  if (status === 503) return googleError(503, `The model is overloaded. Please try again later. ${message}`);
  return googleError(status, message);
}

function googleError(code: number, message: string, details?: readonly unknown[]): FakeHttpError {
  const status = STATUS_OF[code] ?? (code >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION');
  return new FakeHttpError(
    code,
    { error: { code, message, status, ...(details ? { details } : {}) } },
    HEADERS,
  );
}

/** A response id as Google's look: 22 URL-safe characters. */
function responseId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}
