/** A tool's recorded result in a trace (GraphQL `RecordedToolResult`). */
export interface RecordedToolResult {
  readonly name: string;
  readonly toolCallId?: string | null;
  readonly output: string;
}

/**
 * The recorded output answering each call, by call id: the result that names the call's id, else
 * the next unused one of the call's tool (`lookup` or `execute_tool lookup`) in order — also when
 * the result names another id, since a new run's call ids never equal the recorded ones. Ids are
 * matched first over all calls, so a result never answers another call than the one it names.
 * Calls no result answers are left out.
 */
export function recordedAnswers(
  calls: readonly { readonly id: string; readonly name: string }[],
  recorded: readonly RecordedToolResult[],
): Map<string, string> {
  const unused = [...recorded];
  const take = (match: (r: RecordedToolResult) => boolean) => {
    const at = unused.findIndex(match);
    return at < 0 ? undefined : unused.splice(at, 1)[0];
  };
  const byId = new Map<string, RecordedToolResult>();
  for (const call of calls) {
    const result = take((r) => !!r.toolCallId && r.toolCallId === call.id);
    if (result) byId.set(call.id, result);
  }
  const answers = new Map<string, string>();
  for (const call of calls) {
    const result = byId.get(call.id) ?? take((r) => r.name === call.name || r.name.endsWith(` ${call.name}`));
    if (result) answers.set(call.id, result.output);
  }
  return answers;
}
