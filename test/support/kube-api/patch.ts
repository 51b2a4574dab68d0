/** The three patch flavours kubectl sends: RFC 6902 JSON patch, RFC 7386 merge patch, strategic merge. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value) as Json;
  }
  return result;
}

/** Lists of objects merge by these keys (a subset of the Kubernetes patchMergeKey tags). */
const mergeKeys: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  imagePullSecrets: 'name',
};

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const mergeKey = mergeKeys[key];
    if (value === null) delete result[key];
    else if (mergeKey && Array.isArray(value) && Array.isArray(result[key])) result[key] = mergeList(result[key] as Json[], value, mergeKey);
    else result[key] = applyStrategicMergePatch(result[key], value) as Json;
  }
  return result;
}

function mergeList(current: readonly Json[], patch: readonly Json[], mergeKey: string): Json[] {
  const result = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = applyStrategicMergePatch(result[index], item) as Json;
    else result.push(applyStrategicMergePatch({}, item) as Json);
  }
  return result;
}

export function applyJsonPatch(target: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let document = structuredClone(target) as Json;
  for (const operation of operations) document = applyOperation(document, operation);
  return document;
}

function applyOperation(document: Json, operation: JsonPatchOperation): Json {
  const tokens = pointerTokens(operation.path);
  if (operation.op === 'test') {
    if (JSON.stringify(readPointer(document, tokens)) !== JSON.stringify(operation.value)) throw new Error(`test failed at ${operation.path}`);
    return document;
  }
  if (operation.op === 'move' || operation.op === 'copy') {
    const fromTokens = pointerTokens(operation.from ?? '');
    const value = structuredClone(readPointer(document, fromTokens));
    const base = operation.op === 'move' ? writePointer(document, fromTokens, undefined, 'remove') : document;
    return writePointer(base, tokens, value, 'add');
  }
  return writePointer(document, tokens, operation.value as Json, operation.op);
}

function pointerTokens(path: string): string[] {
  if (path === '') return [];
  return path.slice(1).split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function readPointer(document: Json, tokens: readonly string[]): Json {
  let node: Json = document;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)] as Json;
    else if (isObject(node) && token in node) node = node[token] as Json;
    else throw new Error(`path /${tokens.join('/')} does not exist`);
  }
  return node;
}

function writePointer(document: Json, tokens: readonly string[], value: Json | undefined, op: 'add' | 'remove' | 'replace'): Json {
  if (tokens.length === 0) return value ?? null;
  const parent = readPointer(document, tokens.slice(0, -1));
  const last = tokens.at(-1) as string;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (op === 'add') parent.splice(index, 0, value as Json);
    else if (op === 'remove') parent.splice(index, 1);
    else parent[index] = value as Json;
  } else if (isObject(parent)) {
    if (op !== 'add' && !(last in parent)) throw new Error(`path ${tokens.join('/')} does not exist`);
    if (op === 'remove') delete parent[last];
    else parent[last] = value as Json;
  } else throw new Error(`cannot write below a scalar at /${tokens.join('/')}`);
  return document;
}
