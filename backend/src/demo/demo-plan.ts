/**
 * What a minute of demo traffic sends: a pure, deterministic plan (the same seed gives the same
 * plan) of gateway calls — chat, streaming, tool calls, JSON answers, errors and slow calls through
 * the mock's test hooks, over several models, end users, sessions and features — and nested agent
 * traces (agent, retrieval, tool, guardrail, chain spans with a gateway generation inside, scores).
 * Every call and span is tagged `demo`.
 */
import { seededRandom, pick, type Random } from '../providers/mock/mock-prose';

export const DEMO_TAG = 'demo';

export const DEMO_MODELS = ['mock-1', 'mock-large'] as const;

const USERS = ['user-ana', 'user-bo', 'user-chen', 'user-dara', 'user-eli', 'user-fay'];
const FEATURES = ['support', 'search', 'summarize', 'onboarding'] as const;
const RELEASES = ['2026.11.2', '2026.11.3'];

/** A tool in OpenAI's Chat Completions shape. */
const tool = (name: string, description: string, properties: Record<string, unknown>) => ({
  type: 'function',
  function: {
    name,
    description,
    parameters: {
      type: 'object',
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
    },
  },
});
export const DEMO_TOOLS = [
  tool('get_weather', 'Current weather for a city', {
    location: { type: 'string' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  }),
  tool('search_docs', 'Search the product documentation', { query: { type: 'string' } }),
  tool('lookup_order', 'Look up an order by its number', { order: { type: 'string' } }),
];

const TRIAGE_SCHEMA = {
  type: 'object',
  properties: {
    category: { enum: ['billing', 'bug', 'question', 'feature-request'] },
    urgency: { type: 'integer', minimum: 1, maximum: 5 },
    summary: { type: 'string', maxLength: 120 },
  },
  required: ['category', 'urgency', 'summary'],
  additionalProperties: false,
};

const QUESTIONS = [
  'How do I rotate an API key without downtime?',
  'Can you explain what a trace span is?',
  'Why is my dashboard showing higher latency this week?',
  'Summarise the release notes for version 2.3 in three bullet points.',
  'What is the difference between retries and fallbacks?',
  'How should I cache embeddings for a large document set?',
  'Draft a friendly reply to a customer asking for a refund.',
  'Which model should I use for short classification tasks?',
  'How do I export last month’s usage as CSV?',
  'What does time to first token measure?',
  'Write a short onboarding checklist for a new support agent.',
  'How can I reduce the cost of long conversations?',
];
const FOLLOW_UPS = [
  'Can you give an example?',
  'And how would I test that?',
  'Thanks! One more thing: is it safe?',
];
const TOOL_QUESTIONS = [
  { ask: 'What is the weather in Lisbon today?', result: { temperature: 19, condition: 'sunny' } },
  {
    ask: 'Search the docs for retention settings.',
    result: { hits: ['Settings → Data', 'TTL and rebuilds'] },
  },
  { ask: 'Can you lookup order A-1042 for me?', result: { order: 'A-1042', status: 'shipped' } },
];
/** The mock's test hooks that make a call fail or crawl, as real providers sometimes do. */
const TROUBLE = [
  { hook: '[mock:error:429]', expectError: true },
  { hook: '[mock:error:500]', expectError: true },
  { hook: '[mock:error:400]', expectError: true },
  { hook: '[mock:fail:6]', expectError: true, stream: true },
  { hook: '[mock:delay:2500]', expectError: false },
];

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string | null;
  readonly tool_call_id?: string;
}

/** Where a gateway call belongs (sent as `x-sightline-*` headers). */
export interface CallContext {
  readonly userId: string;
  readonly sessionId?: string;
  readonly traceId?: string;
  readonly parentSpanId?: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** One `/v1/chat/completions` body and its context. */
export interface ChatCall {
  readonly body: Readonly<Record<string, unknown>>;
  readonly context: CallContext;
  /** The mock was told to fail it. */
  readonly expectError: boolean;
}

export type DemoStep =
  | {
      readonly kind: 'conversation';
      /** ms after the start. */
      readonly at: number;
      /** The first turn; each later one asks the next of `followUps` after the answer so far. */
      readonly call: ChatCall;
      readonly followUps: readonly string[];
    }
  | {
      readonly kind: 'tool-call';
      readonly at: number;
      /** The call that asks for the tool; its answer's tool call gets `result` back in a second call. */
      readonly call: ChatCall;
      readonly result: unknown;
    }
  | {
      readonly kind: 'agent';
      readonly at: number;
      readonly userId: string;
      readonly sessionId: string;
      readonly question: string;
      readonly model: string;
      /** Whether its tool span fails (the agent then answers without it). */
      readonly toolFails: boolean;
      readonly release: string;
    };

/** A step before it is given its time. */
type Unplaced<T = DemoStep> = T extends unknown ? Omit<T, 'at'> : never;

/** The demo's length: its steps start over this many ms. */
export const DEMO_DURATION_MS = 60_000;

/**
 * The plan of one run: `conversations` multi-turn chats (some streamed, some with trouble), tool
 * calls, JSON triage calls and agent traces, spread evenly over {@link DEMO_DURATION_MS}.
 * `runId` keeps its session ids apart from other runs'.
 */
export function demoPlan(runId: string, seed = 7, durationMs = DEMO_DURATION_MS): DemoStep[] {
  const random = seededRandom(seed);
  const steps: Unplaced[] = [];
  for (let i = 0; i < 30; i++) {
    if (i % 6 === 5) steps.push(agentStep(random, runId, i));
    else if (i % 6 === 2) steps.push(toolStep(random, runId, i));
    else steps.push(conversation(random, runId, i));
  }
  return steps.map((step, i) => ({ ...step, at: Math.round((i * durationMs) / steps.length) }) as DemoStep);
}

function context(random: Random, runId: string, i: number, feature: string): CallContext {
  const userId = pick(random, USERS);
  return {
    userId,
    sessionId: `demo-${runId}-${userId}-${i % 3}`,
    tags: [DEMO_TAG, feature],
    metadata: { feature, release: pick(random, RELEASES) },
  };
}

function conversation(random: Random, runId: string, i: number): Unplaced {
  const feature = pick(random, FEATURES);
  const ctx = context(random, runId, i, feature);
  const model = pick(random, DEMO_MODELS);
  const stream = random() % 2 === 0;
  const trouble = i % 4 === 3 ? TROUBLE[(i >> 2) % TROUBLE.length] : undefined;
  const question = pick(random, QUESTIONS);
  const system = {
    role: 'system' as const,
    content: `You are the ${feature} assistant of Acme. Be concise.`,
  };
  const ask = (content: string, body: Record<string, unknown>, expectError = false) => ({
    kind: 'conversation' as const,
    call: {
      body: { model, messages: [system, { role: 'user', content }], ...body },
      context: ctx,
      expectError,
    },
    followUps: [] as string[],
  });
  if (trouble) {
    const streamed = trouble.stream ?? stream;
    return ask(`${question} ${trouble.hook}`, streamOptions(streamed), trouble.expectError);
  }
  if (feature === 'summarize') {
    const format = {
      type: 'json_schema',
      json_schema: { name: 'triage', schema: TRIAGE_SCHEMA, strict: true },
    };
    return ask(`Triage this ticket: "${question}"`, { response_format: format });
  }
  const temperature = pick(random, [0, 0.2, 0.7]);
  return {
    ...ask(question, { ...streamOptions(stream), temperature }),
    followUps: FOLLOW_UPS.slice(0, random() % 3),
  };
}

const streamOptions = (stream: boolean) =>
  stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false };

function toolStep(random: Random, runId: string, i: number): Unplaced {
  const { ask, result } = pick(random, TOOL_QUESTIONS);
  const body = {
    model: pick(random, DEMO_MODELS),
    messages: [{ role: 'user', content: ask }],
    tools: DEMO_TOOLS,
    tool_choice: 'auto',
  };
  return {
    kind: 'tool-call',
    call: { body, context: context(random, runId, i, 'assistant'), expectError: false },
    result,
  };
}

function agentStep(random: Random, runId: string, i: number): Unplaced {
  const userId = pick(random, USERS);
  return {
    kind: 'agent',
    userId,
    sessionId: `demo-${runId}-${userId}-agent`,
    question: pick(random, QUESTIONS),
    model: pick(random, DEMO_MODELS),
    toolFails: i % 12 === 11,
    release: pick(random, RELEASES),
  };
}
