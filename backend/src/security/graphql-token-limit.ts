import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/** Where the first token past `maxTokens` starts; undefined when the document stays within it. */
export function tokenLimitOffset(query: string, maxTokens: number): number | undefined {
  const lexer = new Lexer(new Source(query));
  try {
    // Counted like graphql-js's parser does with `maxTokens`: every token but EOF, comments skipped.
    for (let count = 1; ; count++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return undefined;
      if (count > maxTokens) return token.start;
    }
  } catch {
    return undefined; // a lexing error is a plain syntax error
  }
}

/**
 * Whether `error` is graphql-js's `maxTokens` abort for `query` (rather than another syntax error):
 * that abort is reported exactly at the first token past the limit.
 */
export function isTokenLimitError(error: unknown, query: string, maxTokens: number): boolean {
  if (!(error instanceof GraphQLError)) return false;
  const offset = tokenLimitOffset(query, maxTokens);
  return offset !== undefined && error.positions?.[0] === offset;
}
