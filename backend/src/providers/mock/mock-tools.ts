/**
 * Which tool the mock model calls, like a model would: the one `tool_choice` names; with `auto`
 * (the default) a tool whose name or description shares a word with the user's question; with
 * `required` that one or else the first. Never right after a tool result (the model answers then),
 * nor with `tool_choice: "none"`.
 */
import { jsonFromSchema } from './mock-json';
import { STOP_WORDS, type Random } from './mock-prose';

/** A tool as OpenAI's Chat Completions declares it. */
interface WireTool {
  readonly type?: string;
  readonly function?: {
    readonly name?: unknown;
    readonly description?: unknown;
    readonly parameters?: unknown;
  };
}

export interface ChosenTool {
  readonly name: string;
  /** The arguments, valid against the tool's `parameters` schema. */
  readonly arguments: string;
}

/** Its words of 4+ letters that are not stop words, singular. */
const words = (text: string) =>
  new Set(
    (text.toLowerCase().match(/[\p{L}]{4,}/gu) ?? [])
      .filter((w) => !STOP_WORDS.has(w))
      .map((w) => w.replace(/s$/, '')),
  );

/** A proper noun of the question (a capitalised word after the first), else the question itself. */
function subjectOf(question: string): string {
  const names = question.match(/(?<=\s)\p{Lu}[\p{L}-]+/gu);
  return names?.at(-1) ?? question.trim().slice(0, 80);
}

export function chooseTool(
  params: Readonly<Record<string, unknown>> | undefined,
  question: string,
  lastRole: string | undefined,
  random: Random,
): ChosenTool | null {
  const tools = (Array.isArray(params?.tools) ? (params.tools as WireTool[]) : []).filter(
    (t) => typeof t?.function?.name === 'string',
  );
  const choice = params?.tool_choice;
  if (!tools.length || choice === 'none' || lastRole === 'tool') return null;
  const named = (choice as { function?: { name?: unknown } } | undefined)?.function?.name;
  const asked = words(question);
  const tool =
    tools.find((t) => t.function!.name === named) ??
    tools.find((t) =>
      [
        ...words(
          `${String(t.function!.name).replace(/[_-]/g, ' ')} ${String(t.function!.description ?? '')}`,
        ),
      ].some((w) => asked.has(w)),
    ) ??
    (choice === 'required' ? tools[0] : undefined);
  if (!tool) return null;
  const args = jsonFromSchema(tool.function!.parameters ?? { type: 'object' }, random, {
    '*': subjectOf(question),
  });
  return { name: String(tool.function!.name), arguments: JSON.stringify(args) };
}
