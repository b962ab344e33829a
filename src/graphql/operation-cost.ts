import {
  GraphQLError, Kind, getNamedType, getNullableType, isListType, isObjectType, isInterfaceType, valueFromAST,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField,
  type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode, getOperationAST,
} from 'graphql';

/** Arguments that say how many items a list (or the list inside a connection or series) returns. */
const SIZE_ARGUMENTS = ['first', 'last', 'maxPoints'];
/** Items assumed for a list that takes no size argument (a run's epochs, tags, per-class rows). */
export const DEFAULT_LIST_SIZE = 20;

/**
 * The operation's cost: about how many values its response can hold. Every
 * field counts 1; a list counts its items times what each item selects. The
 * number of items is the list's `first`/`maxPoints` argument, whether written
 * in the document, passed as a variable or left to its default, so the cost
 * bounds the response's size. A size argument on a field that is not itself a
 * list (`runs(first:)` returns a connection, `metric(maxPoints:)` a series)
 * sizes the first lists below it (`edges`, `points`).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const vars = variables ?? {};

  const selectionCost = (selectionSet: SelectionSetNode, type: GraphQLNamedType, pageSize: number | null, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) cost += fieldCost(selection, type, pageSize, seen);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? type : type;
        cost += selectionCost(selection.selectionSet, on, pageSize, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        // Validation refuses fragment cycles; `seen` only keeps this walk finite whatever it is given.
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value) ?? type;
        cost += selectionCost(fragment.selectionSet, on, pageSize, new Set([...seen, fragment.name.value]));
      }
    }
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLNamedType, inherited: number | null, seen: Set<string>): number => {
    const name = field.name.value;
    if (name === '__schema' || name === '__type') return 0; // introspection: bounded by the schema, not by data
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!definition) return 1;
    const pageSize = sizeArgument(field, definition, vars) ?? inherited;
    const named = getNamedType(definition.type);
    if (isListType(getNullableType(definition.type))) {
      const perItem = 1 + (field.selectionSet ? selectionCost(field.selectionSet, named, null, seen) : 0);
      return 1 + (pageSize ?? DEFAULT_LIST_SIZE) * perItem;
    }
    return 1 + (field.selectionSet ? selectionCost(field.selectionSet, named, pageSize, seen) : 0);
  };

  return selectionCost(operation.selectionSet, root, null, new Set());
}

function sizeArgument(field: FieldNode, definition: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): number | null {
  for (const argument of definition.args) {
    if (!SIZE_ARGUMENTS.includes(argument.name)) continue;
    const node = field.arguments?.find((a) => a.name.value === argument.name);
    const value = node ? valueFromAST(node.value, argument.type, variables) : argument.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    if (argument.defaultValue != null && typeof argument.defaultValue === 'number') return argument.defaultValue;
  }
  return null;
}

/** A GraphQL validation error (400 over HTTP) when the operation costs more than `maxCost`. */
export function assertOperationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, maxCost: number): void {
  const cost = operationCost(schema, document, operationName, variables);
  if (cost <= maxCost) return;
  throw new GraphQLError(
    `the operation's cost is ${Math.round(cost)}, over the limit of ${maxCost}: a field counts 1 for each item it returns, and a list returns ` +
      `its first/maxPoints items (${DEFAULT_LIST_SIZE} when it takes no such argument); ask for fewer items or fields, or split the operation`,
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
  );
}
