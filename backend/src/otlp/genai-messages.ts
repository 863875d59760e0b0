import type { ChatMessage, OutputChoice, ToolCall } from '@sightline/schemas';
import type { Attributes, AttributeValue, OtlpEvent } from './otlp-spans';

/**
 * Chat messages as the instrumentations write them, read into Sightline's `ChatMessage` (input) and
 * `OutputChoice` (output):
 * - OTel GenAI `gen_ai.input.messages` / `gen_ai.output.messages`: `{ role, parts: [{ type, ... }] }`
 *   (a JSON string or structured), and `gen_ai.system_instructions` (parts);
 * - the older flattened `gen_ai.prompt.N.*` / `gen_ai.completion.N.*` (OpenLLMetry);
 * - OpenInference `llm.input_messages.N.message.*` / `llm.output_messages.N.message.*`;
 * - span events `gen_ai.{system,user,assistant,tool}.message` and `gen_ai.choice`;
 * - OpenAI-shaped messages (`content`, `tool_calls[].function`) found in any of them.
 */

type Loose = Record<string, AttributeValue>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const jsonText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** A JSON string parsed, anything else as is; text that is not JSON stays text. */
export function parsedJson(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(value) as AttributeValue;
  } catch {
    return value;
  }
}

/**
 * Flattened lists: `prefix.0.role`, `prefix.0.content`, `prefix.1.role`... as
 * `[{ role, content }, { role }]` (keys after the index kept dotted), in index order.
 */
export function indexed(attrs: Attributes, prefix: string): Loose[] {
  const items = new Map<number, Record<string, AttributeValue>>();
  const head = `${prefix}.`;
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const index = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || dot < 0) continue;
    const item = items.get(index) ?? {};
    item[rest.slice(dot + 1)] = value;
    items.set(index, item);
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

const ROLES: Record<string, ChatMessage['role']> = {
  system: 'system',
  developer: 'developer',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool',
};
const roleOf = (v: unknown, fallback: ChatMessage['role']): ChatMessage['role'] =>
  ROLES[String(v ?? '').toLowerCase()] ?? fallback;

function toolCall(raw: unknown, index: number): ToolCall | undefined {
  if (!isObject(raw)) return undefined;
  const fn = isObject(raw.function) ? raw.function : raw;
  const name = str(fn.name) ?? str(raw['function.name']) ?? str(raw['tool_call.function.name']);
  if (!name) return undefined;
  const args = fn.arguments ?? raw['function.arguments'] ?? raw['tool_call.function.arguments'];
  const id = str(raw.id) ?? str(raw['tool_call.id']) ?? `call_${index}`;
  return { id, name, arguments: args === undefined ? '' : jsonText(args) };
}

function toolCallsOf(message: Loose, prefix: string): ToolCall[] {
  const listed = Array.isArray(message[prefix]) ? (message[prefix] as unknown[]) : indexed(message, prefix);
  return listed.flatMap((c, i) => toolCall(c, i) ?? []);
}

/** One message in any of the shapes above, with the key prefix its fields sit under (`message.` for OpenInference). */
function readMessage(raw: unknown, fallbackRole: ChatMessage['role'], at = ''): ChatMessage | undefined {
  if (typeof raw === 'string') return { role: fallbackRole, content: raw };
  if (!isObject(raw)) return undefined;
  const field = (name: string) => raw[`${at}${name}`];
  const role = roleOf(field('role'), fallbackRole);
  const parts = field('parts');
  if (Array.isArray(parts)) return fromParts(role, parts, str(field('name')));
  const contents = indexed(raw, `${at}contents`);
  const content =
    field('content') ?? (contents.length ? contents.map((c) => c['message_content.text']) : undefined);
  const toolCalls = toolCallsOf(raw, `${at}tool_calls`);
  const toolCallId = str(field('tool_call_id')) ?? str(field('id'));
  const name = str(field('name'));
  return {
    role,
    content: Array.isArray(content)
      ? content.filter((c) => c !== null && c !== undefined).join('')
      : content === undefined || content === null
        ? null
        : typeof content === 'string'
          ? content
          : jsonText(content),
    ...(name ? { name } : {}),
    ...(role === 'tool' && toolCallId ? { toolCallId } : {}),
    ...(toolCalls.length ? { toolCalls } : {}),
  };
}

/** A GenAI `{ role, parts }` message: text parts joined, tool calls and tool responses kept. */
function fromParts(role: ChatMessage['role'], parts: AttributeValue[], name?: string): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  let toolCallId: string | undefined;
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === 'tool_call') {
      const call = toolCall(part, toolCalls.length);
      if (call) toolCalls.push(call);
    } else if (part.type === 'tool_call_response') {
      toolCallId = str(part.id);
      texts.push(jsonText(part.response ?? part.result ?? null));
    } else if (part.content !== undefined) {
      texts.push(jsonText(part.content));
    }
  }
  return {
    role: toolCallId ? 'tool' : role,
    content: texts.length ? texts.join('') : null,
    ...(name ? { name } : {}),
    ...(toolCallId ? { toolCallId } : {}),
    ...(toolCalls.length ? { toolCalls } : {}),
  };
}

const listOf = (value: AttributeValue | undefined): AttributeValue[] | undefined => {
  const parsed = parsedJson(value);
  if (Array.isArray(parsed)) return parsed;
  if (isObject(parsed) && Array.isArray(parsed.messages)) return parsed.messages;
  return undefined;
};

const EVENT_ROLES: Record<string, ChatMessage['role']> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** The messages sent to the model, from whichever convention the span follows; [] when none. */
export function inputMessages(attrs: Attributes, events: readonly OtlpEvent[]): ChatMessage[] {
  const system = listOf(attrs['gen_ai.system_instructions']);
  const instructions: ChatMessage[] = system?.length ? [fromParts('system', system)] : [];
  const read = (list: AttributeValue[], at = '') => list.flatMap((m) => readMessage(m, 'user', at) ?? []);
  const structured = listOf(attrs['gen_ai.input.messages']);
  if (structured) return [...instructions, ...read(structured)];
  const prompt = indexed(attrs, 'gen_ai.prompt');
  if (prompt.length) return [...instructions, ...read(prompt)];
  const openInference = indexed(attrs, 'llm.input_messages');
  if (openInference.length) return read(openInference, 'message.');
  const fromEvents = events.flatMap((e) => {
    const role = EVENT_ROLES[e.name];
    if (!role) return [];
    const body = { ...e.attributes, content: parsedJson(e.attributes.content) ?? null };
    return readMessage({ ...body, role: e.attributes.role ?? role }, role) ?? [];
  });
  if (fromEvents.length) return [...instructions, ...fromEvents];
  return instructions;
}

function choiceOf(message: ChatMessage, index: number, finishReason: unknown): OutputChoice {
  return {
    index,
    content:
      typeof message.content === 'string' || message.content === null
        ? message.content
        : jsonText(message.content),
    toolCalls: (message.toolCalls ?? []) as ToolCall[],
    finishReason: str(finishReason) ?? null,
  };
}

/** Messages in a JSON value: a list, an OpenAI-shaped request's `messages`, or one text as one message. */
export function messagesOf(value: unknown, role: ChatMessage['role']): ChatMessage[] {
  if (typeof value === 'string') return value ? [{ role, content: value }] : [];
  const list = listOf(value as AttributeValue);
  return list ? list.flatMap((m) => readMessage(m, role) ?? []) : [];
}

/** Answer messages as choices, in order. */
export const choicesOf = (messages: readonly ChatMessage[]): OutputChoice[] =>
  messages.map((m, i) => choiceOf(m, i, undefined));

/** The model's answer as choices, from whichever convention the span follows; [] when none. */
export function outputChoices(attrs: Attributes, events: readonly OtlpEvent[]): OutputChoice[] {
  const fromList = (list: Loose[] | AttributeValue[], at = '', finish = 'finish_reason') =>
    list.flatMap((raw, i) => {
      const message = readMessage(raw, 'assistant', at);
      return message ? [choiceOf(message, i, isObject(raw) ? raw[finish] : undefined)] : [];
    });
  const structured = listOf(attrs['gen_ai.output.messages']);
  if (structured) return fromList(structured);
  const completion = indexed(attrs, 'gen_ai.completion');
  if (completion.length) return fromList(completion);
  const openInference = indexed(attrs, 'llm.output_messages');
  if (openInference.length) return fromList(openInference, 'message.');
  const choices = events.filter((e) => e.name === 'gen_ai.choice');
  return choices.flatMap((e, i) => {
    const body = parsedJson(e.attributes.message) ?? { content: e.attributes.content ?? null };
    const message = readMessage(body, 'assistant');
    const index = typeof e.attributes.index === 'number' ? e.attributes.index : i;
    return message ? [choiceOf(message, index, e.attributes.finish_reason)] : [];
  });
}
