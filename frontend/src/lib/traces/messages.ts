// Reads a span's recorded input or output as chat messages, whatever shape the caller sent: OpenAI
// chat messages (string or content parts, tool_calls, tool results), OpenAI responses ({ choices }),
// the gateway's recorded answer ({ choices: [{ content, toolCalls, refusal }] }), OpenAI Responses
// output ({ output: [message | function_call] }), Anthropic content blocks (text, image, tool_use,
// tool_result), OpenTelemetry GenAI messages ({ role, parts: [text | tool_call | tool_call_response |
// uri/blob] }) and a plain string. Anything else is not chat: null, and the page shows the JSON.

export type Part =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'refusal'; readonly text: string }
  | { readonly type: 'image'; readonly url: string }
  | { readonly type: 'tool_call'; readonly id?: string; readonly name: string; readonly arguments: string }
  | { readonly type: 'tool_result'; readonly id?: string; readonly content: string };

export interface ChatMessage {
  /** system, user, assistant, tool (or what the caller wrote). */
  readonly role: string;
  readonly name?: string;
  readonly parts: readonly Part[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Text as is; any other JSON pretty-printed. */
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/** Parses JSON text; a value that is not JSON stays the string it is. */
export function parseRecorded(json: string | null | undefined): unknown {
  if (json == null) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

function imageUrl(part: Json): string | undefined {
  const image = part.image_url;
  if (typeof image === 'string') return image;
  if (isObject(image)) return str(image.url);
  const source = part.source;
  if (isObject(source)) {
    if (source.type === 'base64' && str(source.data)) {
      return `data:${str(source.media_type) ?? 'image/png'};base64,${str(source.data)}`;
    }
    return str(source.url);
  }
  // OTel GenAI: { type: 'uri', modality: 'image', uri } or { type: 'blob', modality, mime_type, content }.
  if (part.modality === 'image') {
    if (str(part.uri)) return str(part.uri);
    if (str(part.content)) return `data:${str(part.mime_type) ?? 'image/png'};base64,${str(part.content)}`;
  }
  return undefined;
}

/** One content part of any of the shapes; null for one that is not a part. */
function partOf(raw: unknown): Part | null {
  if (typeof raw === 'string') return { type: 'text', text: raw };
  if (!isObject(raw)) return null;
  switch (raw.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: str(raw.text) ?? str(raw.content) ?? '' };
    case 'refusal':
      return { type: 'refusal', text: str(raw.refusal) ?? '' };
    case 'tool_use':
      return {
        type: 'tool_call',
        id: str(raw.id),
        name: str(raw.name) ?? 'tool',
        arguments: text(raw.input ?? {}),
      };
    case 'tool_call':
    case 'function_call':
      return {
        type: 'tool_call',
        id: str(raw.id) ?? str(raw.call_id),
        name: str(raw.name) ?? 'tool',
        arguments: text(raw.arguments ?? {}),
      };
    case 'tool_result':
      return { type: 'tool_result', id: str(raw.tool_use_id), content: contentText(raw.content) };
    case 'tool_call_response':
      return { type: 'tool_result', id: str(raw.id), content: text(raw.response ?? raw.result ?? '') };
    case 'reasoning':
    case 'thinking': {
      const thought = str(raw.thinking) ?? str(raw.content) ?? str(raw.text);
      // A Responses reasoning item with no summary has nothing to show.
      return thought ? { type: 'text', text: thought } : null;
    }
  }
  const url = imageUrl(raw);
  if (url) return { type: 'image', url };
  if (str(raw.text) !== undefined) return { type: 'text', text: str(raw.text)! };
  return { type: 'text', text: text(raw) };
}

/** Text of a tool result's content (a string or parts). */
function contentText(content: unknown): string {
  if (Array.isArray(content)) {
    return content
      .map((p) => {
        const part = partOf(p);
        return part?.type === 'text' ? part.text : text(p);
      })
      .join('\n');
  }
  return text(content ?? '');
}

function partsOf(content: unknown): Part[] {
  if (content == null) return [];
  if (Array.isArray(content)) return content.flatMap((p) => partOf(p) ?? []);
  const one = partOf(content);
  return one ? [one] : [];
}

/** A chat message of any of the shapes; null when `raw` is not one. */
function messageOf(raw: unknown): ChatMessage | null {
  if (!isObject(raw) || typeof raw.role !== 'string') return null;
  const parts: Part[] = [];
  if (raw.role === 'tool' && (raw.tool_call_id || raw.content !== undefined) && !Array.isArray(raw.parts)) {
    // OpenAI tool result: { role: 'tool', tool_call_id, content }.
    parts.push({ type: 'tool_result', id: str(raw.tool_call_id), content: contentText(raw.content) });
  } else {
    parts.push(...partsOf(raw.parts ?? raw.content));
  }
  parts.push(...toolCallsOf(raw.tool_calls));
  if (isObject(raw.function_call)) {
    const fn = raw.function_call;
    parts.push({ type: 'tool_call', name: str(fn.name) ?? 'function', arguments: text(fn.arguments ?? '') });
  }
  if (str(raw.refusal)) parts.push({ type: 'refusal', text: str(raw.refusal)! });
  return { role: raw.role, name: str(raw.name), parts };
}

/** OpenAI `tool_calls` ({ id, function: { name, arguments } }) or the gateway's `toolCalls` ({ id, name, arguments }). */
function toolCallsOf(calls: unknown): Part[] {
  if (!Array.isArray(calls)) return [];
  return calls.filter(isObject).map((call): Part => {
    const fn = isObject(call.function) ? call.function : call;
    return {
      type: 'tool_call',
      id: str(call.id),
      name: str(fn.name) ?? 'tool',
      arguments: text(fn.arguments ?? ''),
    };
  });
}

/** One choice of an answer: an OpenAI `{ message }` (or stream `{ delta }`), or the gateway's recorded choice. */
function choiceMessage(choice: unknown): ChatMessage | null {
  if (!isObject(choice)) return null;
  const message = choice.message ?? choice.delta;
  if (message !== undefined) return messageOf(message);
  if (!('content' in choice)) return null;
  const parts: Part[] = [...partsOf(choice.content || null), ...toolCallsOf(choice.toolCalls)];
  if (str(choice.refusal)) parts.push({ type: 'refusal', text: str(choice.refusal)! });
  return { role: 'assistant', parts };
}

/** The messages of a list; null unless every item is a message. */
function messageList(items: readonly unknown[]): ChatMessage[] | null {
  if (items.length === 0) return null;
  const messages: ChatMessage[] = [];
  for (const item of items) {
    const message = messageOf(item);
    if (!message) return null;
    messages.push(message);
  }
  return messages;
}

/**
 * The recorded value as chat messages, or null when it is not chat-shaped. `defaultRole` is the role
 * of a bare text or parts (an output: `assistant`).
 */
export function toMessages(value: unknown, defaultRole = 'assistant'): ChatMessage[] | null {
  if (typeof value === 'string') return [{ role: defaultRole, parts: [{ type: 'text', text: value }] }];
  if (Array.isArray(value)) {
    const list = messageList(value);
    if (list) return list;
    // Content blocks without a role (an Anthropic answer's `content`).
    if (value.length > 0 && value.every((v) => isObject(v) && typeof v.type === 'string')) {
      return [{ role: defaultRole, parts: partsOf(value) }];
    }
    return null;
  }
  if (!isObject(value)) return null;
  const single = messageOf(value);
  if (single) return [single];
  // OpenAI response or the gateway's recorded answer: { choices: [...] }, one message a choice.
  if (Array.isArray(value.choices)) {
    const choices = value.choices.flatMap((c) => choiceMessage(c) ?? []);
    return choices.length > 0 ? choices : null;
  }
  // OpenAI Responses: { output: [message | function_call | reasoning] }, one assistant turn.
  const output = value.output;
  if (
    Array.isArray(output) &&
    output.length > 0 &&
    output.every((item) => isObject(item) && str(item.type))
  ) {
    const parts = (output as Json[]).flatMap((item) =>
      item.type === 'message' ? partsOf(item.content) : (partOf(item) ?? []),
    );
    return [{ role: 'assistant', parts }];
  }
  // { messages: [...] } (a request body or a framework's input), with an optional system prompt.
  if (Array.isArray(value.messages)) {
    const list = messageList(value.messages);
    if (!list) return null;
    const system = value.system;
    if (system != null) return [{ role: 'system', parts: partsOf(system) }, ...list];
    return list;
  }
  if (Array.isArray(value.content) && value.type === 'message') {
    return [{ role: str(value.role) ?? defaultRole, parts: partsOf(value.content) }];
  }
  return null;
}
