import { matchTemplate } from '$schemas/prompt-templates';
import { emptyParams, type Params, type Role, type Setup, type Turn } from './setup';

/** A recorded generation's request as the API returns it (JSON text fields). */
export interface RecordedRequest {
  readonly model: string;
  readonly messages: string;
  readonly params: string;
  readonly tools?: string | null;
  readonly responseFormat?: string | null;
}

interface WireMessage {
  role: Role | 'developer';
  content: string | null | { type: string; text?: string }[];
  tool_call_id?: string;
  tool_calls?: unknown[];
}

function turnOf(m: WireMessage): Turn {
  const role: Role = m.role === 'developer' ? 'system' : m.role;
  const parts = Array.isArray(m.content) ? m.content : [];
  const text =
    typeof m.content === 'string'
      ? m.content
      : parts.flatMap((p) => (p.type === 'text' ? [p.text ?? ''] : [])).join('\n');
  const others = parts.filter((p) => p.type !== 'text');
  return {
    role,
    content: text,
    ...(others.length ? { parts: others } : {}),
    ...(m.tool_call_id ? { toolCallId: m.tool_call_id } : {}),
    ...(m.tool_calls?.length ? { toolCalls: m.tool_calls } : {}),
  };
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Splits recorded parameters into the form's fields and the rest (sent unchanged). */
function paramsOf(recorded: Record<string, unknown>): { params: Params; extra: Record<string, unknown> } {
  const { temperature, top_p, max_tokens, max_completion_tokens, seed, stop, reasoning_effort, ...extra } =
    recorded;
  const stops = Array.isArray(stop) ? stop.map(String) : stop ? [String(stop)] : [];
  const effort = ['minimal', 'low', 'medium', 'high'].includes(String(reasoning_effort))
    ? reasoning_effort
    : '';
  return {
    params: {
      ...emptyParams(),
      temperature: text(temperature),
      top_p: text(top_p),
      max_tokens: text(max_tokens ?? max_completion_tokens),
      seed: text(seed),
      stop: stops.join('\n'),
      reasoning_effort: effort as Params['reasoning_effort'],
    },
    extra,
  };
}

/** The exact request of a recorded generation, in the playground's form. */
export function setupFromRecorded(request: RecordedRequest): { setup: Setup; model: string } {
  const { params, extra } = paramsOf(JSON.parse(request.params) as Record<string, unknown>);
  const format = request.responseFormat
    ? (JSON.parse(request.responseFormat) as { type?: string; json_schema?: { schema?: unknown } })
    : undefined;
  const schema = format?.type === 'json_schema' && format.json_schema?.schema;
  return {
    model: request.model,
    setup: {
      turns: (JSON.parse(request.messages) as WireMessage[]).map(turnOf),
      values: {},
      params,
      tools: request.tools ? JSON.stringify(JSON.parse(request.tools), null, 2) : '',
      schema: schema ? JSON.stringify(schema, null, 2) : '',
      jsonMode: format?.type === 'json_object',
      extra,
    },
  };
}

/**
 * A recorded setup as the prompt version it was made with: that version's messages, `{{variables}}`
 * and all, in place of the filled ones, with the values read back from them; null when the recorded
 * messages do not begin with the version's (made another way, or edited).
 */
export function withPromptTemplates(setup: Setup, versionMessages: string): Setup | null {
  const templates = (JSON.parse(versionMessages) as WireMessage[]).map(turnOf);
  if (!templates.length || templates.length > setup.turns.length) return null;
  const values: Record<string, string> = {};
  for (const [i, template] of templates.entries()) {
    const filled = setup.turns[i];
    const read = filled.role === template.role ? matchTemplate(template.content, filled.content) : undefined;
    if (!read) return null;
    for (const [name, value] of Object.entries(read)) values[name] ??= value;
  }
  return { ...setup, turns: [...templates, ...setup.turns.slice(templates.length)], values };
}
