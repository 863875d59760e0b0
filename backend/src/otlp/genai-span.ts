import type { ChatMessage, OutputChoice, SpanKind, SpanRecorded } from '@sightline/schemas';
import { choicesOf, inputMessages, messagesOf, outputChoices, parsedJson } from './genai-messages';
import type { Attributes, AttributeValue, OtlpSpan } from './otlp-spans';

/** Token counts a span reported (each an integer 0…2^32−1); absent when it reported none. */
export interface SpanUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  readonly cacheWriteTokens?: number;
  /** A count attribute was no whole number of tokens in range: clamped, and priced as suspicious. */
  readonly outOfRange?: true;
}

/** What an OTLP span says, in Sightline's terms; pure data, no ids minted yet. */
export interface MappedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly kind: SpanKind;
  readonly name: string;
  /** ISO-8601 UTC, milliseconds. */
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly status: NonNullable<SpanRecorded['data']['status']>;
  readonly statusMessage?: string;
  readonly level?: NonNullable<SpanRecorded['data']['level']>;
  readonly input?: unknown;
  readonly output?: unknown;
  /** Generations: the messages sent and the answer's choices (empty when the span recorded none). */
  readonly messages: readonly ChatMessage[];
  readonly choices: readonly OutputChoice[];
  readonly model?: string;
  /** The model that answered (`gen_ai.response.model`), when it differs from the one asked. */
  readonly responseModel?: string;
  /** Sightline's provider id where known (`openai`, `bedrock`...), else the span's own name for it. */
  readonly provider?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly usage?: SpanUsage;
  readonly finishReason?: string;
  readonly timeToFirstTokenMs?: number;
  /** `error.type`: the class of error of a failed span. */
  readonly errorType?: string;
  readonly sessionId?: string;
  readonly userId?: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly release?: string;
  readonly version?: string;
  readonly environment?: string;
}

/** A span that cannot be recorded, and why (answered in `partialSuccess.errorMessage`). */
export class SpanRejected extends Error {}

const first = (attrs: Attributes, keys: readonly string[]): AttributeValue | undefined => {
  for (const key of keys)
    if (attrs[key] !== undefined && attrs[key] !== null && attrs[key] !== '') return attrs[key];
  return undefined;
};
const text = (attrs: Attributes, ...keys: string[]): string | undefined => {
  const v = first(attrs, keys);
  return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
};
const UINT32_MAX = 0xffff_ffff;
const count = (attrs: Attributes, ...keys: string[]): number | undefined => {
  const v = first(attrs, keys);
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n)
    ? Math.min(UINT32_MAX, Math.max(0, Math.round(n)))
    : undefined;
};

/** The first of `keys` is set but is no whole number of tokens in range (`count` had to change it). */
const offRange = (attrs: Attributes, ...keys: string[]): boolean => {
  const v = first(attrs, keys);
  if (v === undefined) return false;
  const n = typeof v === 'string' ? Number(v) : v;
  return !(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= UINT32_MAX);
};

const BY_LANGFUSE: Record<string, SpanKind> = {
  generation: 'generation',
  span: 'span',
  agent: 'agent',
  tool: 'tool',
  retriever: 'retrieval',
  embedding: 'embedding',
  chain: 'chain',
  guardrail: 'guardrail',
  event: 'event',
  evaluator: 'span',
};
const BY_OPENINFERENCE: Record<string, SpanKind> = {
  LLM: 'generation',
  EMBEDDING: 'embedding',
  TOOL: 'tool',
  AGENT: 'agent',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  CHAIN: 'chain',
  GUARDRAIL: 'guardrail',
  EVALUATOR: 'span',
  PROMPT: 'span',
};
const BY_OPERATION: Record<string, SpanKind> = {
  chat: 'generation',
  text_completion: 'generation',
  generate_content: 'generation',
  embeddings: 'embedding',
  create_agent: 'agent',
  invoke_agent: 'agent',
  execute_tool: 'tool',
  retrieval: 'retrieval',
  invoke_workflow: 'chain',
};
// OpenLLMetry (Traceloop): `llm.request.type` on model calls, `traceloop.span.kind` on the rest.
const BY_TRACELOOP: Record<string, SpanKind> = {
  chat: 'generation',
  completion: 'generation',
  embedding: 'embedding',
  rerank: 'retrieval',
  workflow: 'chain',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
};

function kindOf(a: Attributes): SpanKind {
  const lookups: [Record<string, SpanKind>, string | undefined][] = [
    [BY_LANGFUSE, text(a, 'langfuse.observation.type')?.toLowerCase()],
    [BY_OPENINFERENCE, text(a, 'openinference.span.kind')?.toUpperCase()],
    [BY_OPERATION, text(a, 'gen_ai.operation.name')],
    [BY_TRACELOOP, text(a, 'llm.request.type', 'traceloop.span.kind')],
  ];
  for (const [table, value] of lookups) if (value && Object.hasOwn(table, value)) return table[value];
  return first(a, ['gen_ai.request.model', 'llm.model_name']) !== undefined ? 'generation' : 'span';
}

/** `gen_ai.provider.name` / `gen_ai.system` values → Sightline provider ids. */
const PROVIDERS: Record<string, string> = {
  'aws.bedrock': 'bedrock',
  'azure.ai.openai': 'azure',
  'az.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  azure: 'azure',
  'gcp.gemini': 'gemini',
  'gcp.gen_ai': 'gemini',
  'gcp.vertex_ai': 'gemini',
  vertex_ai: 'gemini',
  google: 'gemini',
  mistral_ai: 'mistral',
  mistralai: 'mistral',
  x_ai: 'xai',
  'together.ai': 'together',
  together_ai: 'together',
};

function providerOf(a: Attributes): string | undefined {
  const named = text(a, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system');
  const lower = named?.toLowerCase();
  return lower ? (PROVIDERS[lower] ?? lower) : undefined;
}

function usageOf(a: Attributes): SpanUsage | undefined {
  const details = parsedJson(a['langfuse.observation.usage_details']);
  const lf = typeof details === 'object' && details !== null && !Array.isArray(details) ? details : {};
  const keys = {
    input: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'],
    output: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'],
    total: ['llm.token_count.total', 'llm.usage.total_tokens', 'gen_ai.usage.total_tokens'],
    cacheWrite: [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
      'llm.token_count.prompt_details.cache_write',
    ],
    cacheRead: [
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'llm.token_count.prompt_details.cache_read',
    ],
    reasoning: ['gen_ai.usage.reasoning.output_tokens', 'llm.token_count.completion_details.reasoning'],
  };
  const input = count(a, ...keys.input) ?? count(lf, 'input');
  const output = count(a, ...keys.output) ?? count(lf, 'output');
  const total = count(a, ...keys.total) ?? count(lf, 'total');
  if (input === undefined && output === undefined && total === undefined) return undefined;
  const cacheWrite = count(a, ...keys.cacheWrite);
  const outOfRange =
    Object.values(keys).some((k) => offRange(a, ...k)) ||
    (['input', 'output', 'total'] as const).some((k) => offRange(lf, k));
  return {
    ...(outOfRange ? { outOfRange: true as const } : {}),
    inputTokens: input ?? 0,
    outputTokens: output ?? 0,
    totalTokens: total ?? Math.min(UINT32_MAX, (input ?? 0) + (output ?? 0)),
    cachedTokens: count(a, ...keys.cacheRead) ?? 0,
    reasoningTokens: count(a, ...keys.reasoning) ?? 0,
    ...(cacheWrite ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

/** Sampling parameters: `gen_ai.request.*` (model aside) as `temperature`, `max_tokens`...; OpenInference's JSON. */
function paramsOf(a: Attributes): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(a)) {
    if (key.startsWith('gen_ai.request.') && key !== 'gen_ai.request.model') params[key.slice(15)] = value;
  }
  const invocation = parsedJson(a['llm.invocation_parameters']);
  if (typeof invocation === 'object' && invocation !== null && !Array.isArray(invocation)) {
    const { model: _model, messages: _messages, input: _input, ...rest } = invocation;
    Object.assign(params, rest);
  }
  return params;
}

// The text of prompts and answers travels as input/output, not again as metadata.
const CONTENT =
  /^(gen_ai\.(prompt|completion|input|output|system_instructions|tool\.call\.(arguments|result))|llm\.(input|output)_messages|input\.|output\.|traceloop\.entity\.(input|output)|langfuse\.observation\.(input|output)|llm\.invocation_parameters)/;
const MAX_METADATA = 64;

/** Attributes that are not content, as strings (resource's `service.name` and the scope first). */
function metadataOf(span: OtlpSpan): Record<string, string> {
  const entries: [string, AttributeValue][] = [];
  const service = span.resource['service.name'];
  if (typeof service === 'string') entries.push(['service.name', service]);
  if (span.scope.name) entries.push(['otel.scope.name', span.scope.name]);
  for (const [key, value] of Object.entries(span.attributes)) {
    const lf = /^langfuse\.(trace|observation)\.metadata\.(.+)$/.exec(key);
    if (lf) entries.push([lf[2], value]);
    else if (!CONTENT.test(key) && value !== null) entries.push([key, value]);
  }
  return Object.fromEntries(
    entries
      .slice(0, MAX_METADATA)
      .map(([k, v]) => [k.slice(0, 256), (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 4096)]),
  );
}

function tagsOf(a: Attributes): string[] {
  const raw = parsedJson(first(a, ['langfuse.trace.tags', 'tag.tags']));
  const tags = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return [
    ...new Set(
      tags.filter((t): t is string => typeof t === 'string' && t.length > 0).map((t) => t.slice(0, 256)),
    ),
  ].slice(0, 64);
}

/** Input and output of spans that are not chat calls (tools, chains, agents, retrievals). */
function contentOf(a: Attributes, side: 'input' | 'output'): unknown {
  const keys =
    side === 'input'
      ? [
          'langfuse.observation.input',
          'input.value',
          'traceloop.entity.input',
          'gen_ai.tool.call.arguments',
          'gen_ai.retrieval.query.text',
          'gen_ai.prompt',
        ]
      : [
          'langfuse.observation.output',
          'output.value',
          'traceloop.entity.output',
          'gen_ai.tool.call.result',
          'gen_ai.retrieval.documents',
          'gen_ai.completion',
        ];
  return parsedJson(first(a, keys));
}

const LEVELS: Record<string, MappedSpan['level']> = {
  DEBUG: 'debug',
  DEFAULT: 'default',
  WARNING: 'warning',
  ERROR: 'error',
};
const EARLIEST_NS = 0n;
const LATEST_NS = BigInt(Date.UTC(2299, 11, 31)) * 1_000_000n;

function isoOf(ns: bigint, field: string): string {
  if (ns <= EARLIEST_NS || ns > LATEST_NS)
    throw new SpanRejected(`${field} ${ns} is missing or outside 1970–2299`);
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

function checkId(id: string, hexChars: number, field: string): void {
  if (!new RegExp(`^[0-9a-f]{${hexChars}}$`).test(id) || /^0+$/.test(id)) {
    throw new SpanRejected(
      `${field} must be ${hexChars / 2} bytes (${hexChars} hex digits), not all zero; got ${JSON.stringify(id)}`,
    );
  }
}

/** The error an exception event or the status reports. */
function errorMessageOf(span: OtlpSpan): string | undefined {
  const exception = span.events.find((e) => e.name === 'exception')?.attributes;
  const thrown =
    exception && [exception['exception.type'], exception['exception.message']].filter(Boolean).join(': ');
  return span.status.message || thrown || undefined;
}

/** An OTLP span in Sightline's terms. Throws {@link SpanRejected} for what cannot be recorded. */
export function mapSpan(span: OtlpSpan): MappedSpan {
  checkId(span.traceId, 32, 'traceId');
  checkId(span.spanId, 16, 'spanId');
  if (span.parentSpanId) checkId(span.parentSpanId, 16, 'parentSpanId');
  const a = span.attributes;
  const kind = kindOf(a);
  const status = span.status.code === 2 ? 'error' : span.status.code === 1 ? 'ok' : 'unset';
  const statusMessage =
    status === 'error' ? errorMessageOf(span) : text(a, 'langfuse.observation.status_message');
  const level = LEVELS[text(a, 'langfuse.observation.level')?.toUpperCase() ?? ''];
  const fallbackInput = contentOf(a, 'input');
  const fallbackOutput = contentOf(a, 'output');
  const generation = kind === 'generation';
  const given = generation ? inputMessages(a, span.events) : [];
  const messages = generation && !given.length ? messagesOf(fallbackInput, 'user') : given;
  const answered = generation ? outputChoices(a, span.events) : [];
  const choices =
    generation && !answered.length ? choicesOf(messagesOf(fallbackOutput, 'assistant')) : answered;
  const finishReasons = parsedJson(a['gen_ai.response.finish_reasons']);
  const model = text(
    a,
    'gen_ai.request.model',
    'llm.model_name',
    'embedding.model_name',
    'langfuse.observation.model.name',
    'gen_ai.response.model',
  );
  const responseModel = text(a, 'gen_ai.response.model');
  const ttft = count(a, 'gen_ai.response.time_to_first_chunk');
  const input = messages.length ? messages : fallbackInput;
  const output = choices.length ? { choices } : fallbackOutput;
  const optional = {
    parentSpanId: span.parentSpanId || undefined,
    endedAt: span.endTimeUnixNano ? isoOf(span.endTimeUnixNano, 'endTimeUnixNano') : undefined,
    statusMessage: statusMessage?.slice(0, 4096),
    level,
    input,
    output,
    model: model?.slice(0, 256),
    responseModel: responseModel && responseModel !== model ? responseModel.slice(0, 256) : undefined,
    provider: providerOf(a)?.slice(0, 128),
    usage: usageOf(a),
    finishReason:
      Array.isArray(finishReasons) && typeof finishReasons[0] === 'string' ? finishReasons[0] : undefined,
    timeToFirstTokenMs: ttft === undefined ? undefined : ttft * 1000,
    errorType: text(a, 'error.type'),
    sessionId: text(
      a,
      'langfuse.session.id',
      'session.id',
      'gen_ai.conversation.id',
      'traceloop.association.properties.session_id',
    )?.slice(0, 256),
    userId: text(
      a,
      'langfuse.user.id',
      'user.id',
      'enduser.id',
      'traceloop.association.properties.user_id',
    )?.slice(0, 256),
    release: text(a, 'langfuse.release') ?? text(span.resource, 'service.version'),
    version: text(a, 'langfuse.version'),
    environment: (
      text(a, 'langfuse.environment') ??
      text(span.resource, 'deployment.environment.name', 'deployment.environment')
    )?.slice(0, 64),
  };
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    kind,
    name: (span.name || text(a, 'gen_ai.operation.name') || kind).slice(0, 512),
    startedAt: isoOf(span.startTimeUnixNano, 'startTimeUnixNano'),
    status,
    messages,
    choices,
    params: kind === 'generation' || kind === 'embedding' ? paramsOf(a) : {},
    tags: tagsOf(a),
    metadata: metadataOf(span),
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<MappedSpan>),
  };
}
