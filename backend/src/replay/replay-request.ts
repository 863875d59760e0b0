import { matchTemplate, variablesIn as variableNames, type GenerationRequested } from '@sightline/schemas';
import { InvalidInputError } from '../common/errors';
import { toWireMessage } from '../playground/recorded-requests';
import { applyPrompt } from '../prompts/apply-prompt';
import type { PromptVersionView } from '../prompts/prompt-versions';

/** A Chat Completions request body. */
export type Body = Record<string, unknown>;
type Message = Record<string, unknown>;

/** The recorded request as the Chat Completions body it was: parameters, tools, schema, stream. */
export function recordedBody(data: GenerationRequested['data']): Body {
  return {
    ...data.params,
    model: data.model,
    messages: data.messages.map(toWireMessage),
    ...(data.tools?.length ? { tools: data.tools } : {}),
    ...(data.responseFormat != null ? { response_format: data.responseFormat } : {}),
    stream: data.stream,
  };
}

/** The prompt version a request was made with, from the metadata the gateway records (`x-sightline-prompt`). */
export function recordedPrompt(
  data: GenerationRequested['data'],
): { name: string; version: number } | undefined {
  const name = data.metadata['prompt.name'];
  const version = Number(data.metadata['prompt.version']);
  return name && Number.isInteger(version) ? { name, version } : undefined;
}

/** `body` with `params` merged over its parameters; a null value removes the key. */
export function withParams(body: Body, params: Readonly<Record<string, unknown>>): Body {
  const out = { ...body };
  for (const [key, value] of Object.entries(params)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

const isSystem = (m: Message) => m.role === 'system' || m.role === 'developer';

/** `body` with its first system (or developer) message's text replaced, or a system message put first. */
export function withSystem(body: Body, system: string): Body {
  const messages = body.messages as Message[];
  const at = messages.findIndex(isSystem);
  return {
    ...body,
    messages:
      at < 0
        ? [{ role: 'system', content: system }, ...messages]
        : messages.map((m, i) => (i === at ? { ...m, content: system } : m)),
  };
}

/**
 * `body` made with the prompt version `next` instead of the one it was made with. When that one is
 * known (`previous`), its messages at the start of the request give way to `next`'s, the values its
 * variables took are read back from them and fill `next`'s, and its parameters are dropped; else
 * `next`'s messages replace the leading system messages. `given` values win over the recorded ones.
 * `next`'s model, parameters, tools and schema win over the recorded ones.
 * @throws InvalidInputError `invalid_prompt_variables`: a value given for a variable `next` does not
 *   have, or a variable of `next` with no value (given or recorded).
 */
export function withPromptVersion(
  body: Body,
  next: PromptVersionView,
  previous?: PromptVersionView,
  given: Readonly<Record<string, string>> = {},
): Body {
  const messages = body.messages as Message[];
  const templates = previous ? (JSON.parse(previous.messages) as Message[]) : [];
  const lead = previous ? templates.length : messages.findIndex((m) => !isSystem(m));
  const own = messages.slice(lead < 0 ? messages.length : lead);
  const names = variablesOf(next);
  const unknown = Object.keys(given).filter((name) => !names.includes(name));
  const of = `Prompt '${next.name}' version ${next.version}`;
  if (unknown.length)
    throw new InvalidInputError(
      `${of} has no variable ${unknown.map((n) => `{{${n}}}`).join(', ')}; its variables: ${names.length ? names.map((n) => `{{${n}}}`).join(', ') : 'none'}`,
      'invalid_prompt_variables',
      `overrides.variables.${unknown[0]}`,
    );
  const values = { ...(previous ? variablesIn(templates, messages) : {}), ...given };
  const missing = names.filter((name) => !(name in values));
  if (missing.length) throw new MissingVariablesError(of, missing);
  const recorded = { ...body };
  if (previous) for (const key of Object.keys(JSON.parse(previous.params) as Body)) delete recorded[key];
  // Only `next`'s own names: a variable the recorded version had and `next` dropped is not a typo.
  const filling = Object.fromEntries(names.map((name) => [name, values[name]]));
  return { ...recorded, ...applyPrompt({ messages: own }, next, filling) };
}

/**
 * A prompt version's variables the recorded request has no value for and none was given: its
 * message says to give them in `variables`; a bulk replay says where its own are given instead.
 */
export class MissingVariablesError extends InvalidInputError {
  constructor(
    /** `Prompt '<name>' version <n>`. */
    readonly prompt: string,
    readonly missing: readonly string[],
    where = 'variables',
    param = 'overrides.variables',
  ) {
    super(
      `${prompt} needs ${missing.map((n) => `{{${n}}}`).join(', ')}, which the recorded request has no value for: give them in ${where}`,
      'invalid_prompt_variables',
      param,
    );
  }
}

/** The names of the variables of a prompt version's messages. */
function variablesOf(version: PromptVersionView): string[] {
  return variableNames((JSON.parse(version.messages) as Message[]).flatMap(textsOf));
}

function textsOf(m: Message): string[] {
  if (typeof m.content === 'string') return [m.content];
  if (!Array.isArray(m.content)) return [];
  return (m.content as Message[]).flatMap((p) =>
    p?.type === 'text' && typeof p.text === 'string' ? [p.text] : [],
  );
}

/** The values `{{name}}`s of `templates` took in `filled` (message by message, string contents). */
export function variablesIn(
  templates: readonly Message[],
  filled: readonly Message[],
): Record<string, string> {
  const values: Record<string, string> = {};
  templates.forEach((template, i) => {
    const [pattern, text] = [template.content, filled[i]?.content];
    if (typeof pattern !== 'string' || typeof text !== 'string') return;
    for (const [name, value] of Object.entries(matchTemplate(pattern, text) ?? {}))
      if (!(name in values)) values[name] = value;
  });
  return values;
}
