import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { eventually } from '../support/events';
import { graphqlHttp, graphqlWs, httpRequest, type Credential, type Outcome } from './client';
import type { Target, World } from './world';

/**
 * - cross-project: A's credentials aimed at B's data (B's project, key, user, trace, invite...);
 * - unauthenticated: no, unknown or forged credentials;
 * - revoked: a revoked key or an ended session / membership;
 * - csrf: a session without its CSRF proof (or from a foreign origin);
 * - role: A's own project, but a role (viewer, API key) that does not allow the operation;
 * - positive: the same operation on the caller's own data works (so denying everything fails the suite).
 */
export type RowKind = 'cross-project' | 'unauthenticated' | 'revoked' | 'csrf' | 'role' | 'positive';
export const ROW_KINDS: readonly RowKind[] = [
  'cross-project',
  'unauthenticated',
  'revoked',
  'csrf',
  'role',
  'positive',
];

export type Code = 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CSRF' | 'BAD_USER_INPUT';
export type Vars = Record<string, unknown>;
/** Values are computed when the row runs: `t` is B (or, for the no-oracle check, ids that exist nowhere). */
export type Fn<T> = (w: World, t: Target) => T | Promise<T>;

export type GqlVia = 'POST' | 'GET' | 'ws';

export type Call =
  | {
      readonly gql: string;
      readonly via?: GqlVia;
      readonly as: Fn<Credential>;
      readonly variables?: Fn<Vars>;
      /** Repeat the call until this holds (read models fill asynchronously). */
      readonly until?: (o: Outcome) => boolean;
    }
  | {
      readonly http: 'GET' | 'POST';
      /** The route as the app declares it, e.g. `/auth/invites/:token`. */
      readonly route: string;
      readonly as: Fn<Credential>;
      /** The concrete path; defaults to `route`. */
      readonly path?: Fn<string>;
      readonly body?: Fn<unknown>;
      readonly headers?: Fn<Record<string, string>>;
    }
  | {
      /** Several steps; returns what the attacking caller saw. */
      readonly scenario: Fn<Outcome>;
      /** Root fields (`Subscription.generationRecorded`) and routes (`POST /v1/chat/completions`) it exercises. */
      readonly covers: readonly string[];
    };

export type Expectation =
  /** REST: one of these statuses, and `error.code` in the body when given. */
  | { readonly status: number | readonly number[]; readonly code?: string }
  /** GraphQL (HTTP or graphql-ws): no data, an error with one of these codes (and this `reason`). */
  | { readonly gqlError: Code | readonly Code[]; readonly reason?: string }
  | { readonly ok: (o: Outcome, w: World) => void | Promise<void> };

export interface Row {
  readonly name: string;
  readonly kind: RowKind;
  readonly call: Call;
  readonly expect: Expectation;
  /**
   * Run the call again against ids that exist nowhere and require the very same answer, so a
   * denial tells nothing about what exists. Default: on for denials of cross-project,
   * unauthenticated and revoked rows.
   */
  readonly sameForUnknownIds?: boolean;
  /** Further checks after the call (B's data intact, nothing created...). */
  readonly verify?: (w: World, o: Outcome) => void | Promise<void>;
  /** Undo what a wrongly allowed call did, so one failure does not cascade into the next rows. */
  readonly cleanup?: (w: World) => void | Promise<void>;
  /** B acting on B's own data (a positive control of B): no leak search. */
  readonly actsAsBravo?: boolean;
}

export const isDenial = (e: Expectation): boolean => !('ok' in e);

export function checksSameForUnknownIds(row: Row): boolean {
  return (
    row.sameForUnknownIds ??
    (isDenial(row.expect) && ['cross-project', 'unauthenticated', 'revoked'].includes(row.kind))
  );
}

/** Makes the row's call (with target `t`) and returns what the caller saw. */
export async function execute(row: Row, w: World, t: Target): Promise<Outcome> {
  const call = row.call;
  if ('scenario' in call) return call.scenario(w, t);
  const credential = await call.as(w, t);
  if ('http' in call) {
    const path = call.path ? await call.path(w, t) : call.route;
    return httpRequest(w.base, credential, call.http, path, {
      body: call.body ? await call.body(w, t) : undefined,
      headers: call.headers ? await call.headers(w, t) : undefined,
    });
  }
  const variables = call.variables ? await call.variables(w, t) : {};
  const once = () =>
    call.via === 'ws'
      ? graphqlWs(w.wsUrl, credential, call.gql, variables)
      : graphqlHttp(w.base, credential, call.gql, variables, call.via ?? 'POST');
  return call.until ? eventually(once, call.until) : once();
}

/** `Query.project`, `Subscription.generationRecorded`...: the root fields a document selects. */
export function rootFields(document: string): string[] {
  const typeName: Record<OperationTypeNode, string> = {
    [OperationTypeNode.QUERY]: 'Query',
    [OperationTypeNode.MUTATION]: 'Mutation',
    [OperationTypeNode.SUBSCRIPTION]: 'Subscription',
  };
  return parse(document)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .flatMap((op) =>
      op.selectionSet.selections.flatMap((s) =>
        s.kind === Kind.FIELD ? [`${typeName[op.operation]}.${s.name.value}`] : [],
      ),
    );
}

/** What a row exercises: GraphQL root fields and HTTP endpoints (`POST /auth/login`, `POST /graphql`). */
export function coverageOf(row: Row): string[] {
  const call = row.call;
  if ('scenario' in call) return [...call.covers];
  if ('http' in call) return [`${call.http} ${call.route}`];
  const via = call.via ?? 'POST';
  return [...rootFields(call.gql), via === 'ws' ? 'WS /graphql' : `${via} /graphql`];
}
