// The list tables' one-line previews of a span's input and output as plain text, read from the chat
// shapes the trace page renders: OpenAI chat messages and choices (`choices[].message`), the gateway's
// recorded choices (`choices[]` with `content`, `toolCalls`, `refusal`), Anthropic content blocks,
// OpenAI Responses (`input[]`, `output[]`) and OpenTelemetry GenAI messages (`parts`). Anything else
// is shown as its JSON text.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Tool arguments longer than this are cut in a preview: the name says most of it. */
const ARGUMENTS_CHARS = 60;

/** What a message or an answer says, by kind. */
interface Said {
  readonly text: string[];
  readonly refusals: string[];
  readonly calls: string[];
}

function toolCall(name: unknown, args: unknown): string {
  const text = typeof args === 'string' ? args : args === undefined ? '' : JSON.stringify(args);
  const cut = text.length > ARGUMENTS_CHARS ? `${text.slice(0, ARGUMENTS_CHARS - 1)}…` : text;
  return `tool call: ${str(name) || 'tool'}(${cut})`;
}

/** Adds one content part, block, OTel part or Responses output item to `said`. */
function addPart(said: Said, part: unknown): void {
  if (typeof part === 'string') return void said.text.push(part);
  if (!isObject(part)) return;
  switch (part.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return void said.text.push(str(part.text) || str(part.content));
    case 'refusal':
      return void said.refusals.push(str(part.refusal));
    case 'tool_use':
      return void said.calls.push(toolCall(part.name, part.input));
    case 'tool_call':
    case 'function_call':
      return void said.calls.push(toolCall(part.name, part.arguments));
    case 'message':
      return addMessage(said, part);
  }
}

/** Adds a message of any shape (or a gateway choice, which is one without a role). */
function addMessage(said: Said, message: Json): void {
  const content = message.parts ?? message.content;
  for (const part of Array.isArray(content) ? content : [content]) addPart(said, part);
  for (const call of [message.tool_calls, message.toolCalls].flatMap((c) => (Array.isArray(c) ? c : []))) {
    if (!isObject(call)) continue;
    const fn = isObject(call.function) ? call.function : call;
    said.calls.push(toolCall(fn.name, fn.arguments));
  }
  if (str(message.refusal)) said.refusals.push(str(message.refusal));
}

function saidBy(messages: readonly Json[]): Said {
  const said: Said = { text: [], refusals: [], calls: [] };
  for (const message of messages) addMessage(said, message);
  return said;
}

const textOf = (said: Said): string => said.text.filter(Boolean).join('\n');
const isMessage = (v: unknown): v is Json => isObject(v) && typeof v.role === 'string';

/** The messages of a chat input: a list, `{ messages }` or a Responses request's `{ input: [...] }`. */
function inputMessages(value: unknown): Json[] | null {
  const list = Array.isArray(value)
    ? value
    : isObject(value)
      ? Array.isArray(value.messages)
        ? value.messages
        : value.input
      : undefined;
  return Array.isArray(list) && list.length > 0 && list.every(isMessage) ? list : null;
}

/** The text of the last user message that has text (not only tool results); else of any message. */
function inputText(value: unknown): string {
  if (typeof value === 'string') return value;
  const messages = inputMessages(value)?.slice().reverse();
  if (!messages) return '';
  const texts = (role?: string) =>
    messages.filter((m) => !role || m.role === role).map((m) => textOf(saidBy([m])));
  return texts('user').find(Boolean) ?? texts().find(Boolean) ?? '';
}

/** The answer's messages: a choice (the first), an output list, a message or its content blocks. */
function answerMessages(value: unknown): Json[] | null {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMessage)) return value.filter((m) => m.role !== 'user');
    return value.length > 0 && value.every((v) => isObject(v) && typeof v.type === 'string')
      ? [{ content: value }]
      : null;
  }
  if (!isObject(value)) return null;
  if (Array.isArray(value.choices)) {
    const first: unknown = value.choices[0];
    return isObject(first) ? [isObject(first.message) ? first.message : first] : [];
  }
  if (Array.isArray(value.output)) return [{ content: value.output }];
  return typeof value.role === 'string' || Array.isArray(value.content) ? [value] : null;
}

/** The answer as text; else its refusal; else its tool calls (`tool call: name(arguments)`). */
function outputText(value: unknown): string {
  if (typeof value === 'string') return value;
  const messages = answerMessages(value);
  if (!messages) return '';
  const said = saidBy(messages);
  return textOf(said) || said.refusals.filter(Boolean).join('\n') || said.calls.join('; ');
}

/**
 * The plain-text preview of a recorded input (`side` 'input': its last user message) or output
 * ('output': the assistant's answer), not yet cut; '' when nothing was recorded. A value of no chat
 * shape (or chat with no text) is its JSON text.
 */
export function ioPreviewText(value: unknown, side: 'input' | 'output'): string {
  if (value === undefined || value === null) return '';
  const text = side === 'input' ? inputText(value) : outputText(value);
  return text || (typeof value === 'string' ? value : JSON.stringify(value));
}
