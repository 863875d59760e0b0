import { schemaError } from './structured';
import { toolDefinitionsError } from './tool-definitions';
import { fillVariables, missingVariables } from './variables';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** One message of the composer. Non-text content parts (images) are kept as sent. */
export interface Turn {
  role: Role;
  content: string;
  /** Image and other non-text parts of a recorded message, sent after the text. */
  parts?: unknown[];
  toolCallId?: string;
  toolCalls?: unknown[];
}

/**
 * An image content part of a user message, from a link (`https://…`) or inline data
 * (`data:image/png;base64,…`), as Chat Completions sends it.
 * @throws SetupError for anything else
 */
export function imagePart(url: string): { type: 'image_url'; image_url: { url: string } } {
  const trimmed = url.trim();
  if (!/^https?:\/\/\S+$/i.test(trimmed) && !/^data:image\/[\w.+-]+;base64,[\w+/=]+$/i.test(trimmed))
    throw new SetupError('An image is an https:// link or a data:image/…;base64 URL');
  return { type: 'image_url', image_url: { url: trimmed } };
}

/** How a content part shows in the composer: an image's link (data URLs cut short), or its type. */
export function partLabel(part: unknown): string {
  const p = part as { type?: string; image_url?: { url?: string } };
  const url = p.image_url?.url;
  if (p.type === 'image_url' && url) return url.startsWith('data:') ? `${url.slice(0, 30)}…` : url;
  return p.type ?? 'part';
}

/** A number field: number inputs bind numbers (null when cleared); "" is "not set". */
type NumberField = string | number | null;

/** Sampling parameters, as the Chat Completions API names them; empty is "not set". */
export interface Params {
  temperature: NumberField;
  top_p: NumberField;
  max_tokens: NumberField;
  seed: NumberField;
  /** One stop sequence per line. */
  stop: string;
  reasoning_effort: '' | 'minimal' | 'low' | 'medium' | 'high';
}

/** Everything the playground sends, model aside. Tools and schema are JSON text as typed. */
export interface Setup {
  turns: Turn[];
  values: Record<string, string>;
  params: Params;
  tools: string;
  schema: string;
  /** `response_format: json_object` when there is no schema. */
  jsonMode: boolean;
  /** Other parameters of a recorded request that the form has no field for; sent as they were. */
  extra: Record<string, unknown>;
}

export const emptyParams = (): Params => ({
  temperature: '',
  top_p: '',
  max_tokens: '',
  seed: '',
  stop: '',
  reasoning_effort: '',
});

export const emptySetup = (): Setup => ({
  turns: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: '' },
  ],
  values: {},
  params: emptyParams(),
  tools: '',
  schema: '',
  jsonMode: false,
  extra: {},
});

/** A setup that cannot be sent, with what to fix. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

function number(name: string, field: NumberField, integer: boolean): number | undefined {
  const text = String(field ?? '').trim();
  if (text === '') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new SetupError(`${name} must be a ${integer ? 'whole ' : ''}number`);
  return n;
}

function toolsOf(text: string): unknown[] | undefined {
  if (!text.trim()) return undefined;
  let tools: unknown;
  try {
    tools = JSON.parse(text);
  } catch {
    throw new SetupError('Tools must be a JSON array of tool definitions');
  }
  if (!Array.isArray(tools)) throw new SetupError('Tools must be a JSON array of tool definitions');
  const invalid = toolDefinitionsError(tools);
  if (invalid) throw new SetupError(`Tools: ${invalid}`);
  return tools;
}

function responseFormat(setup: Setup): Record<string, unknown> | undefined {
  if (setup.schema.trim()) {
    let schema: unknown;
    try {
      schema = JSON.parse(setup.schema);
    } catch {
      throw new SetupError('The output schema is not JSON');
    }
    const invalid = schemaError(schema);
    if (invalid) throw new SetupError(`The output schema ${invalid}`);
    return { type: 'json_schema', json_schema: { name: 'output', schema } };
  }
  return setup.jsonMode ? { type: 'json_object' } : undefined;
}

function wireMessage(turn: Turn, values: Record<string, string> | null): Record<string, unknown> {
  const text = values ? fillVariables(turn.content, values) : turn.content;
  const content = turn.parts?.length ? [...(text ? [{ type: 'text', text }] : []), ...turn.parts] : text;
  return {
    role: turn.role,
    content: turn.role === 'assistant' && turn.toolCalls?.length && !text ? null : content,
    ...(turn.toolCallId ? { tool_call_id: turn.toolCallId } : {}),
    ...(turn.toolCalls?.length ? { tool_calls: turn.toolCalls } : {}),
  };
}

/**
 * The Chat Completions request for `model`, variables filled (or, as a `template`, left as written).
 * Throws SetupError naming what to fix, before anything is sent.
 */
export function requestBody(setup: Setup, model: string, { template = false } = {}): Record<string, unknown> {
  const missing = template
    ? []
    : missingVariables(
        setup.turns.map((t) => t.content),
        setup.values,
      );
  if (missing.length) throw new SetupError(`No value for ${missing.map((m) => `{{${m}}}`).join(', ')}`);
  const { params } = setup;
  const stop = params.stop.split('\n').filter((s) => s !== '');
  const tools = toolsOf(setup.tools);
  const format = responseFormat(setup);
  const set = {
    temperature: number('Temperature', params.temperature, false),
    top_p: number('Top p', params.top_p, false),
    max_tokens: number('Max tokens', params.max_tokens, true),
    seed: number('Seed', params.seed, true),
    ...(stop.length ? { stop } : {}),
    ...(params.reasoning_effort ? { reasoning_effort: params.reasoning_effort } : {}),
  };
  return {
    ...setup.extra,
    model,
    messages: setup.turns.map((t) => wireMessage(t, template ? null : setup.values)),
    ...Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)),
    ...(tools ? { tools } : {}),
    ...(format ? { response_format: format } : {}),
  };
}

/** A prompt version's fields (JSON text) for this setup: messages with their `{{variables}}` unfilled. */
export function promptFields(setup: Setup, model: string | null) {
  const {
    messages,
    tools,
    response_format: responseFormat,
    model: _model,
    ...params
  } = requestBody(setup, model ?? '', {
    template: true,
  });
  return {
    model,
    messages: JSON.stringify(messages),
    params: JSON.stringify(params),
    tools: tools ? JSON.stringify(tools) : null,
    responseFormat: responseFormat ? JSON.stringify(responseFormat) : null,
  };
}

/** A saved prompt version the playground loaded (or saved), with its messages as templates. */
export interface PromptInUse {
  readonly name: string;
  readonly version: number;
  /** The version's messages as this setup writes them (`promptFields`), `{{variables}}` unfilled. */
  readonly messages: readonly unknown[];
}

/** `use` for the prompt version `name` v`version` that `setup` was just made from (loaded or saved as). */
export function promptInUse(setup: Setup, name: string, version: number): PromptInUse {
  return { name, version, messages: JSON.parse(promptFields(setup, null).messages) as unknown[] };
}

/**
 * The metadata a run records to link its generation to the prompt version in use (as the gateway's
 * `x-sightline-prompt` does): only while the setup still begins with that version's messages, so an
 * edited prompt is not credited to a version it no longer is.
 */
export function promptMetadata(setup: Setup, prompt: PromptInUse | null): Record<string, string> {
  if (!prompt || !prompt.messages.length) return {};
  let now: unknown[];
  try {
    now = JSON.parse(promptFields(setup, null).messages) as unknown[];
  } catch {
    return {};
  }
  const same = prompt.messages.every(
    (m, i) => i < now.length && JSON.stringify(m) === JSON.stringify(now[i]),
  );
  return same ? { 'prompt.name': prompt.name, 'prompt.version': String(prompt.version) } : {};
}
