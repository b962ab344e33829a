import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { badInput } from '../kernel/errors.js';
import { MAX_INPUT_DEPTH, textProblem } from '../kernel/validation.js';

/**
 * One check for every text an operation carries, before any resolver runs, on
 * HTTP and WebSocket alike: each argument, written in the document or passed
 * as a variable, down to the strings (and object keys) inside JSON values. A
 * NUL, a lone surrogate or a value nested deeper than MAX_INPUT_DEPTH answers
 * BAD_USER_INPUT naming the argument's path (`createRun.input.tags[1]`), so no
 * domain has to remember it and PostgreSQL never sees such a value.
 */
export function checkOperationInputs(document: DocumentNode, variables: Record<string, unknown> | null | undefined): void {
  const fields: string[] = [];
  visit(document, {
    Field: { enter: (node) => void fields.push(node.name.value), leave: () => void fields.pop() },
    Argument: (node) => {
      checkNode(node.value, `${fields.at(-1) ?? 'directive'}.${node.name.value}`, variables ?? {}, 0);
      return false;
    },
  });
}

function checkNode(node: ValueNode, path: string, variables: Record<string, unknown>, depth: number): void {
  if (depth > MAX_INPUT_DEPTH) throw tooDeep(path);
  switch (node.kind) {
    case Kind.STRING: return checkText(node.value, path);
    case Kind.VARIABLE: return checkValue(variables[node.name.value], path, depth);
    case Kind.LIST: return node.values.forEach((item, i) => checkNode(item, `${path}[${i}]`, variables, depth + 1));
    case Kind.OBJECT:
      for (const field of node.fields) checkNode(field.value, `${path}.${field.name.value}`, variables, depth + 1);
      return;
    default:
  }
}

function checkValue(value: unknown, path: string, depth: number): void {
  if (depth > MAX_INPUT_DEPTH) throw tooDeep(path);
  if (typeof value === 'string') return checkText(value, path);
  if (Array.isArray(value)) return value.forEach((item, i) => checkValue(item, `${path}[${i}]`, depth + 1));
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key);
      if (problem) throw badInput(`${path}: the key ${JSON.stringify(key.slice(0, 40))} ${problem}`, { http: { status: 400 } });
      checkValue(item, `${path}.${key}`, depth + 1);
    }
  }
}

function checkText(text: string, path: string): void {
  const problem = textProblem(text);
  if (problem) throw badInput(`${path}: ${problem}`, { http: { status: 400 } });
}

const tooDeep = (path: string) => badInput(`${path}: nested more than ${MAX_INPUT_DEPTH} levels deep`, { http: { status: 400 } });
