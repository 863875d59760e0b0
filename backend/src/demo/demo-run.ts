import { newSpanId, newTraceId } from '@sightline/schemas';
import { randomUUID } from 'node:crypto';
import { sleep } from '../common/abort';
import { DEMO_TAG, type CallContext, type ChatCall, type ChatMessage, type DemoStep } from './demo-plan';

/** What a gateway call answered: its HTTP status and, when it worked, the assistant's message. */
export interface ChatAnswer {
  readonly status: number;
  readonly message?: { content: string | null; tool_calls?: { id: string; function: { name: string } }[] };
}

/** The app's own public doors, called over HTTP with a project key (`DemoHttp`). */
export interface DemoDoors {
  /** `POST /v1/chat/completions` with the context as `x-sightline-*` headers; a stream is read to its end. */
  chat(
    body: Readonly<Record<string, unknown>>,
    context: CallContext,
    signal: AbortSignal,
  ): Promise<ChatAnswer>;
  /** `POST /api/ingest`; throws unless every item was accepted. */
  ingest(items: readonly unknown[], signal: AbortSignal): Promise<void>;
}

/** Counts as the run goes. */
export interface DemoCounts {
  done: number;
  /** Calls that failed as the plan asked (the mock's error hooks). */
  plannedErrors: number;
  /** Calls that failed although the plan did not ask for it. */
  unexpected: number;
  traces: number;
}

/**
 * Runs `steps`, each at its time after the start (several at once when they overlap), through
 * `doors`; counts into `counts`. Resolves when every step ended; stops starting steps once
 * `signal` aborts (the in-flight ones are aborted by the same signal).
 */
export async function runDemo(
  steps: readonly DemoStep[],
  doors: DemoDoors,
  counts: DemoCounts,
  signal: AbortSignal,
): Promise<void> {
  const started = Date.now();
  await Promise.all(
    steps.map(async (step) => {
      await sleep(Math.max(0, step.at - (Date.now() - started)), signal);
      await runStep(step, doors, counts, signal);
      counts.done++;
    }),
  );
}

async function runStep(step: DemoStep, doors: DemoDoors, counts: DemoCounts, signal: AbortSignal) {
  switch (step.kind) {
    case 'conversation': {
      const messages = [...(step.call.body.messages as ChatMessage[])];
      for (const ask of ['', ...step.followUps]) {
        if (ask) messages.push({ role: 'user', content: ask });
        const answer = await call(
          doors,
          { ...step.call, body: { ...step.call.body, messages } },
          counts,
          signal,
        );
        if (!answer?.message) return;
        messages.push({ role: 'assistant', content: answer.message.content });
      }
      return;
    }
    case 'tool-call': {
      const answer = await call(doors, step.call, counts, signal);
      const toolCall = answer?.message?.tool_calls?.[0];
      if (!toolCall) return;
      const messages = [
        ...(step.call.body.messages as ChatMessage[]),
        { role: 'assistant', content: null, tool_calls: answer.message!.tool_calls },
        { role: 'tool', tool_call_id: toolCall.id, content: JSON.stringify(step.result) },
      ];
      await call(doors, { ...step.call, body: { ...step.call.body, messages } }, counts, signal);
      return;
    }
    case 'agent':
      return agentTrace(step, doors, counts, signal);
  }
}

async function call(doors: DemoDoors, chat: ChatCall, counts: DemoCounts, signal: AbortSignal) {
  const answer = await doors.chat(chat.body, chat.context, signal);
  counts.traces += chat.context.traceId ? 0 : 1;
  const failed = answer.status !== 200 || !answer.message;
  if (failed && chat.expectError) counts.plannedErrors++;
  else if (failed) counts.unexpected++;
  return failed ? undefined : answer;
}

/**
 * A support agent's trace, as an instrumented app reports it: guardrail, retrieval and tool spans
 * and a chain whose LLM call goes through the gateway nested in the trace, then the agent span and
 * three scores, sent to `/api/ingest`.
 */
async function agentTrace(
  step: Extract<DemoStep, { kind: 'agent' }>,
  doors: DemoDoors,
  counts: DemoCounts,
  signal: AbortSignal,
) {
  const traceId = newTraceId();
  const [root, chain] = [newSpanId(), newSpanId()];
  const t0 = Date.now();
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const common = {
    traceId,
    userId: step.userId,
    sessionId: step.sessionId,
    tags: [DEMO_TAG, 'agent'],
    release: step.release,
    environment: 'production',
  };
  /** A child of the root by default; `fields` may say otherwise. */
  const span = (kind: string, name: string, from: number, to: number, fields: Record<string, unknown>) => ({
    id: randomUUID(),
    type: 'span',
    body: {
      ...common,
      spanId: newSpanId(),
      parentSpanId: root,
      kind,
      name,
      startedAt: at(from),
      endedAt: at(to),
      ...fields,
    },
  });
  const order = `A-${1000 + (t0 % 97)}`;
  const children = [
    span('guardrail', 'input-moderation', 0, 35, {
      input: step.question,
      output: { flagged: false },
      status: 'ok',
    }),
    span('retrieval', 'vector-search', 40, 220, {
      input: { query: step.question, topK: 3 },
      output: [
        { id: 'doc-17', title: 'API keys and rotation', score: 0.82 },
        { id: 'doc-4', title: 'Tracing concepts', score: 0.77 },
        { id: 'doc-31', title: 'Dashboards and latency', score: 0.69 },
      ],
      status: 'ok',
    }),
    span('tool', 'lookup_order', 230, 540, {
      input: { order },
      ...(step.toolFails
        ? { status: 'error', statusMessage: 'orders service timed out after 300 ms', level: 'error' }
        : { output: { order, status: 'shipped', eta: '2 days' }, status: 'ok' }),
    }),
  ];
  await sleep(600, signal);

  const chainStart = Date.now() - t0;
  const messages = [
    { role: 'system', content: 'You are Acme’s support agent. Use the documents and the order status.' },
    { role: 'user', content: step.question },
  ];
  const context = { ...common, parentSpanId: chain, metadata: { feature: 'agent', release: step.release } };
  const answer = await call(
    doors,
    { body: { model: step.model, messages }, context, expectError: false },
    counts,
    signal,
  );
  const end = Date.now() - t0 + 5;
  const output = answer?.message?.content ?? null;
  const chainSpan = span('chain', 'compose-answer', chainStart, end - 2, {
    spanId: chain,
    input: messages,
    output,
    status: answer ? 'ok' : 'error',
  });
  const scores = [
    { name: 'helpfulness', value: step.toolFails ? 0.4 : 0.9 },
    { name: 'resolved', value: !step.toolFails },
    { name: 'tone', value: step.toolFails ? 'apologetic' : 'friendly' },
  ].map((score) => ({ id: randomUUID(), type: 'score', body: { traceId, ...score } }));
  await doors.ingest(
    [
      ...children,
      chainSpan,
      // The root last, as an app ends it last (undefined: no parent).
      span('agent', 'support-agent', 0, end, {
        spanId: root,
        parentSpanId: undefined,
        input: { question: step.question },
        output,
        status: answer ? 'ok' : 'error',
        metadata: { feature: 'agent', release: step.release, agent: 'support-agent' },
      }),
      ...scores,
    ],
    signal,
  );
  counts.traces++;
}
