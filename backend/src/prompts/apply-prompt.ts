import { PROMPT_VARIABLE } from '@sightline/schemas';
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidInputError } from '../common/errors';
import type { PromptSelector, PromptVersionView } from './prompt-versions';

/** What a gateway caller asks with `x-sightline-prompt` (see README, "Prompts"). */
export interface PromptUse {
  readonly name: string;
  readonly selector: PromptSelector;
  readonly variables: Readonly<Record<string, string>>;
}

const PROMPT_HEADER = 'x-sightline-prompt';
const VARIABLES_HEADER = 'x-sightline-prompt-variables';

function invalid(header: string, expected: string): InvalidInputError {
  return new InvalidInputError(`Invalid header '${header}': expected ${expected}.`, 'invalid_header', header);
}

function variablesOf(value: string | string[] | undefined): Record<string, string> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch {
    throw invalid(VARIABLES_HEADER, 'a JSON object of strings');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid(VARIABLES_HEADER, 'a JSON object of strings');
  return Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

/**
 * `x-sightline-prompt: <name>` (the newest), `<name>@<label>` or `<name>@<version>`, with
 * `x-sightline-prompt-variables: {"ticket": "..."}`; undefined when the header is absent.
 */
export function promptUseOf(headers: IncomingHttpHeaders): PromptUse | undefined {
  const value = headers[PROMPT_HEADER];
  if (value === undefined) return undefined;
  if (Array.isArray(value) || !value.trim())
    throw invalid(PROMPT_HEADER, "'<name>', '<name>@<label>' or '<name>@<version>'");
  const at = value.lastIndexOf('@');
  const name = (at > 0 ? value.slice(0, at) : value).trim();
  const which = at > 0 ? value.slice(at + 1).trim() : undefined;
  const selector =
    which === undefined ? {} : /^\d+$/.test(which) ? { version: Number(which) } : { label: which };
  return { name, selector, variables: variablesOf(headers[VARIABLES_HEADER]) };
}

/** `text` with its variables filled; collects the names it uses and those that have no value. */
function fill(
  text: string,
  values: Readonly<Record<string, string>>,
  names: { used: Set<string>; missing: Set<string> },
): string {
  const { used, missing } = names;
  return text.replace(PROMPT_VARIABLE, (whole, name: string) => {
    used.add(name);
    if (name in values) return values[name];
    missing.add(name);
    return whole;
  });
}

function filledMessage(
  message: Record<string, unknown>,
  values: Readonly<Record<string, string>>,
  names: { used: Set<string>; missing: Set<string> },
) {
  const { content } = message;
  if (typeof content === 'string') return { ...message, content: fill(content, values, names) };
  if (Array.isArray(content))
    return {
      ...message,
      content: content.map((part: Record<string, unknown>) =>
        part?.type === 'text' && typeof part.text === 'string'
          ? { ...part, text: fill(part.text, values, names) }
          : part,
      ),
    };
  return message;
}

/**
 * A Chat Completions body with the prompt applied: the prompt's messages (variables filled) come
 * first, then the caller's; the caller's model, parameters, tools and response format win over the
 * prompt's. @throws InvalidInputError `invalid_prompt_variables` naming variables with no value, or
 * values for names the prompt does not have (a typo would otherwise go unnoticed, as in a replay).
 */
export function applyPrompt(
  body: unknown,
  prompt: PromptVersionView,
  variables: Readonly<Record<string, string>>,
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidInputError('The request body must be a JSON object', 'invalid_request');
  const request = body as Record<string, unknown>;
  const names = { used: new Set<string>(), missing: new Set<string>() };
  const messages = (JSON.parse(prompt.messages) as Record<string, unknown>[]).map((m) =>
    filledMessage(m, variables, names),
  );
  const braces = (list: Iterable<string>) => [...list].map((m) => `{{${m}}}`).join(', ');
  if (names.missing.size)
    throw new InvalidInputError(
      `No value for ${braces(names.missing)} of prompt '${prompt.name}' (send them in ${VARIABLES_HEADER})`,
      'invalid_prompt_variables',
    );
  const unknown = Object.keys(variables).filter((name) => !names.used.has(name));
  if (unknown.length)
    throw new InvalidInputError(
      `Prompt '${prompt.name}' v${prompt.version} has no ${braces(unknown)} (its variables: ${braces(names.used) || 'none'})`,
      'invalid_prompt_variables',
    );
  const own = Array.isArray(request.messages) ? (request.messages as unknown[]) : [];
  return {
    ...(JSON.parse(prompt.params) as Record<string, unknown>),
    ...(prompt.model ? { model: prompt.model } : {}),
    ...(prompt.tools ? { tools: JSON.parse(prompt.tools) as unknown } : {}),
    ...(prompt.responseFormat ? { response_format: JSON.parse(prompt.responseFormat) as unknown } : {}),
    ...request,
    messages: [...messages, ...own],
  };
}
