/**
 * A reproducible month of LLM traffic for the query benchmarks: traces of 1–8 gateway generations
 * over 30 days (daily rhythm), six models with their own speeds and prices, Zipf-like users, sessions,
 * tags, metadata, prompts and answers of log-normal lengths, 3 % errors, 70 % streamed. The events
 * have the shapes the gateway records; rows are made from them by Sightline's own row builders.
 */
import type { GenerationRequested, SightlineEvent } from '@sightline/schemas';

export interface SyntheticOptions {
  readonly generations: number;
  /** The end of the month (exclusive); traces start in the 30 days before. */
  readonly end: number;
  readonly projectId: string;
  readonly seed?: number;
}

const DAY_MS = 86_400_000;

const MODELS = [
  {
    model: 'gpt-4o-mini',
    provider: 'openai',
    share: 0.35,
    baseMs: 350,
    msPerToken: 9,
    inUsd: 0.15,
    outUsd: 0.6,
  },
  { model: 'gpt-4o', provider: 'openai', share: 0.2, baseMs: 500, msPerToken: 14, inUsd: 2.5, outUsd: 10 },
  {
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    share: 0.15,
    baseMs: 700,
    msPerToken: 16,
    inUsd: 3,
    outUsd: 15,
  },
  {
    model: 'claude-haiku-4-5',
    provider: 'anthropic',
    share: 0.12,
    baseMs: 300,
    msPerToken: 7,
    inUsd: 1,
    outUsd: 5,
  },
  {
    model: 'gemini-2.5-flash',
    provider: 'google',
    share: 0.1,
    baseMs: 400,
    msPerToken: 5,
    inUsd: 0.3,
    outUsd: 2.5,
  },
  {
    model: 'llama-3.3-70b',
    provider: 'vllm',
    share: 0.08,
    baseMs: 250,
    msPerToken: 20,
    inUsd: 0.6,
    outUsd: 0.6,
  },
] as const;
const TAGS = ['chat', 'rag', 'agent', 'summarize', 'translate', 'eval', 'beta', 'experiment'];
const FEATURES = [
  'support-bot',
  'search',
  'writer',
  'code-review',
  'sql-helper',
  'triage',
  'digest',
  'tutor',
];
const TEAMS = ['core', 'growth', 'platform', 'data', 'mobile'];
const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'];
const ERRORS = [
  { errorClass: 'rate_limited', providerStatus: 429, message: 'Rate limit reached for requests' },
  {
    errorClass: 'provider_error',
    providerStatus: 500,
    message: 'The server had an error processing your request',
  },
  { errorClass: 'timeout', providerStatus: null, message: 'upstream timed out after 60000 ms' },
] as const;
/** Rare words a full-text search looks for: about 1 prompt in 2,000 has each. */
export const NEEDLES = ['zanzibar', 'quixotic', 'obsidian'];

/** Park–Miller, seeded: the same month every run. */
class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state * 48271) % 2147483647;
    return this.state / 2147483647;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** Log-normal around `median` (σ in log space), clamped. */
  logNormal(median: number, sigma: number, max: number): number {
    const u = Math.max(this.next(), 1e-9);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(max, Math.max(1, Math.round(median * Math.exp(sigma * z))));
  }
}

const WORDS = (() => {
  const r = new Random(99);
  const letters = 'etaoinshrdlucmfwypvbgkjqxz';
  return Array.from({ length: 3000 }, () => {
    const length = 2 + r.int(8);
    let word = '';
    for (let i = 0; i < length; i++) word += letters[Math.min(25, Math.floor(r.next() ** 2 * 26))];
    return word;
  });
})();

function text(r: Random, chars: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = r.pick(WORDS);
    words.push(word);
    length += word.length + 1;
  }
  if (r.next() < 0.0015) words.splice(r.int(words.length), 0, r.pick(NEEDLES));
  return words.join(' ');
}

function pickModel(r: Random) {
  let x = r.next();
  for (const m of MODELS) if ((x -= m.share) < 0) return m;
  return MODELS[0];
}

/** Nano-dollars as a 9-decimal USD string. */
const usd = (nano: number) => `${Math.floor(nano / 1e9)}.${String(Math.round(nano % 1e9)).padStart(9, '0')}`;

/** Busier in working hours (UTC), quieter at night. */
function startOf(r: Random, end: number): number {
  for (;;) {
    const at = end - 30 * DAY_MS + r.next() * 30 * DAY_MS;
    const hour = new Date(at).getUTCHours();
    if (r.next() < 0.35 + 0.65 * Math.sin((Math.PI * hour) / 24) ** 2) return at;
  }
}

const hex = (r: Random, bytes: number) => {
  let out = '';
  for (let i = 0; i < bytes; i++) out += (r.int(256) + 256).toString(16).slice(1);
  return out;
};
const uuid = (r: Random) => {
  const h = hex(r, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** One generation's two events (requested, then completed or failed), starting at `at`. */
function generation(
  r: Random,
  ids: { projectId: string; traceId: string; parentSpanId?: string },
  at: number,
  trace: { user: string; session: string; tags: string[]; metadata: Record<string, string> },
): { events: [GenerationRequested, SightlineEvent]; endsAt: number } {
  const m = pickModel(r);
  const spanId = hex(r, 8);
  const envelope = { ...ids, spanId, source: 'gateway' as const, endUserId: trace.user };
  const stream = r.next() < 0.7;
  const prompt = text(r, r.logNormal(500, 0.9, 12_000));
  const requested: GenerationRequested = {
    ...envelope,
    eventId: uuid(r),
    type: 'generation.requested',
    version: 2,
    occurredAt: new Date(at).toISOString(),
    data: {
      provider: m.provider,
      model: m.model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant for the product team.' },
        { role: 'user', content: prompt },
      ],
      params: { temperature: 0.2 },
      stream,
      user: trace.user,
      sessionId: trace.session,
      tags: trace.tags,
      metadata: trace.metadata,
    },
  } as GenerationRequested;
  const inputTokens = Math.ceil(prompt.length / 4) + 12;
  if (r.next() < 0.03) {
    const error = r.pick(ERRORS);
    const latencyMs = error.errorClass === 'timeout' ? 60_000 : r.logNormal(200, 0.6, 5000);
    const failed = {
      ...envelope,
      eventId: uuid(r),
      type: 'generation.failed',
      version: 3,
      occurredAt: new Date(at + latencyMs).toISOString(),
      data: {
        ...error,
        startedAt: requested.occurredAt,
        latencyMs,
        output: null,
        usage: null,
        timeToFirstTokenMs: null,
        // Refused before answering: nothing billed.
        cost: { totalUsd: '0.000000000', priceVersion: 'not_billed', flags: [] },
      },
    } as SightlineEvent;
    return { events: [requested, failed], endsAt: at + latencyMs };
  }
  const answer = text(r, r.logNormal(350, 0.8, 8000));
  const outputTokens = Math.ceil(answer.length / 4);
  const cachedTokens = r.next() < 0.3 ? Math.floor(inputTokens / 2) : 0;
  const ttft = stream ? r.logNormal(m.baseMs, 0.5, 20_000) : null;
  const latencyMs = (ttft ?? m.baseMs) + Math.round(outputTokens * m.msPerToken * (0.7 + r.next() * 0.6));
  const completed = {
    ...envelope,
    eventId: uuid(r),
    type: 'generation.completed',
    version: 3,
    occurredAt: new Date(at + latencyMs).toISOString(),
    data: {
      servedBy: { provider: m.provider, model: m.model },
      output: { choices: [{ index: 0, content: answer, toolCalls: [], finishReason: 'stop' }] },
      finishReason: 'stop',
      usage: {
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        cachedTokens,
        reasoningTokens: 0,
        source: 'reported',
      },
      startedAt: requested.occurredAt,
      latencyMs,
      timeToFirstTokenMs: ttft,
      cost: {
        totalUsd: usd(inputTokens * m.inUsd * 1000 + outputTokens * m.outUsd * 1000),
        priceVersion: 'catalog:bench',
        flags: [],
      },
    },
  } as SightlineEvent;
  return { events: [requested, completed], endsAt: at + latencyMs };
}

/**
 * The month's traces, `batch` generations' worth at a time (whole traces), as events in order.
 * Memory stays flat whatever the size.
 */
export function* syntheticTraces(options: SyntheticOptions, batch: number): Generator<SightlineEvent[][]> {
  const r = new Random(options.seed ?? 20261130);
  let made = 0;
  let traces: SightlineEvent[][] = [];
  let inBatch = 0;
  while (made < options.generations) {
    const size = Math.min(
      options.generations - made,
      r.next() < 0.45 ? 1 : 2 + Math.floor(r.next() ** 2 * 7),
    );
    const user = `user-${Math.floor(20_000 * r.next() ** 3)}`;
    let at = startOf(r, options.end);
    const context = {
      user,
      session: `${user}-s${Math.floor(at / DAY_MS)}`,
      tags: [...(r.next() < 0.7 ? ['prod'] : ['staging']), ...TAGS.filter(() => r.next() < 0.12)],
      metadata: { feature: r.pick(FEATURES), team: r.pick(TEAMS), region: r.pick(REGIONS) },
    };
    const ids = { projectId: options.projectId, traceId: hex(r, 16) };
    const events: SightlineEvent[] = [];
    let root: string | undefined;
    for (let i = 0; i < size; i++) {
      const g = generation(r, { ...ids, ...(root ? { parentSpanId: root } : {}) }, at, context);
      root ??= g.events[0].spanId;
      events.push(...g.events);
      at = g.endsAt + r.int(400);
    }
    traces.push(events);
    made += size;
    inBatch += size;
    if (inBatch >= batch) {
      yield traces;
      traces = [];
      inBatch = 0;
    }
  }
  if (traces.length) yield traces;
}
