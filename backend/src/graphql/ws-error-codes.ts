import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/*
 * graphql-ws parses, validates and coerces an operation's variables itself, answering with bare
 * graphql-js errors; over HTTP Apollo gives each kind a stable code. These give them the same.
 */

/** `errors` with Apollo's code for their kind over HTTP, unless they carry their own. */
export function coded(errors: readonly GraphQLError[], code: string): GraphQLError[] {
  return errors.map((e) =>
    e.extensions.code
      ? e
      : new GraphQLError(e.message, {
          nodes: e.nodes,
          source: e.source,
          positions: e.positions,
          path: e.path,
          originalError: e.originalError,
          extensions: { ...e.extensions, code },
        }),
  );
}

/** The operation's variables that do not fit their types (BAD_USER_INPUT over HTTP). */
export function variableErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): readonly GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation?.variableDefinitions?.length) return [];
  const coerced = getVariableValues(schema, operation.variableDefinitions, variables ?? {}, {
    maxErrors: 50,
  });
  return coerced.errors ?? [];
}
