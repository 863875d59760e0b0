import {
  createSourceEventStream,
  defaultFieldResolver,
  execute,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLOutputType,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import type { PromiseOrValue } from 'graphql/jsutils/PromiseOrValue';
import { buildExecutionContext, type ExecutionContext } from 'graphql/execution/execute';

/**
 * Subscription fields whose resolver gives the event as it is (`resolve: payloadAsIs`): a plan
 * may take the event for the field's value without calling the resolver.
 */
export const PAYLOAD_AS_IS_FIELDS: ReadonlySet<string> = new Set(['generationRecorded', 'liveGenerations']);

/** The `resolve` of the subscriptions in `PAYLOAD_AS_IS_FIELDS`. */
export const payloadAsIs = (payload: unknown): unknown => payload;

/** Thrown by a plan meeting a value it does not handle (null in a non-null field, a function, …). */
const UNPLANNED = Symbol('unplanned');

type Project = (value: unknown) => unknown;

const isThenable = (value: object): boolean => typeof (value as { then?: unknown }).then === 'function';

/**
 * How graphql-js completes a value of `type` for `fieldNodes`, for the cases a plan handles: leaf
 * values serialized, lists, object types whose selected fields all read their property (no
 * resolver of their own, no `isTypeOf`), `__typename`. Undefined for anything else (abstract
 * types, fields with resolvers): graphql-js runs those.
 */
function plan(
  context: ExecutionContext,
  type: GraphQLOutputType,
  fieldNodes: readonly FieldNode[],
): Project | undefined {
  if (isNonNullType(type)) {
    const inner = planValue(context, type.ofType, fieldNodes);
    return (
      inner &&
      ((value) => {
        // A null here is graphql-js's error (its path, the nulled parent); an Error is thrown there.
        if (value == null || value instanceof Error) throw UNPLANNED;
        return inner(value);
      })
    );
  }
  const inner = planValue(context, type, fieldNodes);
  return (
    inner &&
    ((value) => {
      if (value instanceof Error) throw UNPLANNED;
      return value == null ? null : inner(value);
    })
  );
}

/** A non-null value of `type` (not wrapped in NonNull). */
function planValue(
  context: ExecutionContext,
  type: GraphQLOutputType,
  fieldNodes: readonly FieldNode[],
): Project | undefined {
  if (isListType(type)) {
    const item = plan(context, type.ofType, fieldNodes);
    return (
      item &&
      ((value) => {
        if (!Array.isArray(value)) throw UNPLANNED;
        return value.map(item);
      })
    );
  }
  if (isLeafType(type)) {
    if (!isScalarType(type) && !isEnumType(type)) return undefined;
    return (value) => {
      if (typeof value === 'object' || typeof value === 'function') throw UNPLANNED;
      const serialized: unknown = type.serialize(value);
      if (serialized == null) throw UNPLANNED; // graphql-js's error
      return serialized;
    };
  }
  if (!isObjectType(type) || type.isTypeOf) return undefined;
  const { schema, fragments, variableValues } = context;
  const fields: { key: string; name: string; project: Project | 'typename' }[] = [];
  for (const [key, nodes] of collectSubfields(schema, fragments, variableValues, type, fieldNodes)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      fields.push({ key, name, project: 'typename' });
      continue;
    }
    const field = type.getFields()[name];
    if (!field || (field.resolve && field.resolve !== defaultFieldResolver)) return undefined;
    const project = plan(context, field.type, nodes);
    if (!project) return undefined;
    fields.push({ key, name, project });
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || isThenable(value)) throw UNPLANNED;
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const { key, name, project } of fields) {
      if (project === 'typename') {
        result[key] = type.name;
        continue;
      }
      const property = source[name];
      if (
        typeof property === 'function' ||
        (typeof property === 'object' && property && isThenable(property))
      )
        throw UNPLANNED; // a resolver method or a promise: graphql-js calls or awaits it
      result[key] = project(property);
    }
    return result;
  };
}

/**
 * The response to each event of a subscription, planned once from its operation: the event is
 * the root field's value (`PAYLOAD_AS_IS_FIELDS`), projected onto the selection as graphql-js
 * would. Undefined when the operation has anything a plan does not handle.
 */
export function planResponse(args: ExecutionArgs): ((payload: unknown) => ExecutionResult) | undefined {
  if (args.fieldResolver || args.typeResolver) return undefined;
  const context = buildExecutionContext(args);
  if (Array.isArray(context)) return undefined;
  const { schema, fragments, variableValues, operation } = context as ExecutionContext;
  const root = schema.getSubscriptionType();
  if (operation.operation !== 'subscription' || !root) return undefined;
  const fields = [...collectFields(schema, fragments, variableValues, root, operation.selectionSet)];
  if (fields.length !== 1) return undefined;
  const [key, nodes] = fields[0]!;
  const name = nodes[0]!.name.value;
  const field = root.getFields()[name];
  if (!field || !PAYLOAD_AS_IS_FIELDS.has(name)) return undefined;
  const project = plan(context as ExecutionContext, field.type, nodes);
  return project && ((payload) => ({ data: { [key]: project(payload) } }));
}

/**
 * graphql-js's `subscribe`, with each event's response planned once per subscription (see
 * `planResponse`) instead of a whole `execute` per event and subscriber: parsing variables,
 * coercing the field's arguments, resolving every field. An event the plan does not handle
 * (a null where the schema forbids one, …) is executed by graphql-js, errors and all.
 * For graphql-ws's `subscribe` option.
 */
export async function plannedSubscribe(
  args: ExecutionArgs,
): Promise<ResponseStream<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const source = stream as AsyncGenerator<unknown>;
  const planned = planResponse(args);
  const respond = (payload: unknown): PromiseOrValue<ExecutionResult> => {
    if (planned)
      try {
        return planned(payload);
      } catch (error) {
        if (error !== UNPLANNED) throw error;
      }
    return execute({ ...args, rootValue: payload });
  };
  return mapEvents(source, respond);
}

/** An iterator graphql-ws can stop (`return`) while it waits for the next event. */
export type ResponseStream<T> = AsyncIterableIterator<T> &
  Required<Pick<AsyncIterator<T>, 'return' | 'throw'>>;

/**
 * `source` with each event mapped, closing `source` when the consumer stops or mapping fails. Not
 * an async generator: its `return` would wait for a pending `next`, i.e. for the next event.
 */
function mapEvents<T>(
  source: AsyncGenerator<unknown>,
  map: (event: unknown) => PromiseOrValue<T>,
): ResponseStream<T> {
  const iterator: ResponseStream<T> = {
    next: async () => {
      const next = await source.next();
      if (next.done) return { value: undefined, done: true };
      try {
        const value = map(next.value);
        // A planned response is ready: no second wait (one more promise per event and subscriber).
        return { value: isThenable(value as object) ? await value : (value as T), done: false };
      } catch (error) {
        await source.return(undefined);
        throw error;
      }
    },
    return: async () => {
      await source.return(undefined);
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await source.return(undefined);
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
