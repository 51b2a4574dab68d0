import type { Node, RangeVar, TypeName } from 'libpg-query';

type KeyOf<N> = N extends unknown ? keyof N : never;

/** The statement and node kinds the parser produces: `AlterTableStmt`, `ColumnDef`, ... */
export type NodeKey = KeyOf<Node>;
export type NodeBody<K extends NodeKey> = Extract<Node, Record<K, unknown>>[K];

/** The kind of a node and its body, e.g. `['UpdateStmt', {...}]`. */
export function nodeEntry(node: Node): [NodeKey, unknown] {
  const [entry] = Object.entries(node);
  return entry ? [entry[0] as NodeKey, entry[1]] : ['Null' as NodeKey, undefined];
}

/** The body of `node` when it is of kind `key`. */
export function nodeOf<K extends NodeKey>(node: Node | undefined, key: K): NodeBody<K> | undefined {
  return node && key in node ? (node as unknown as Record<K, NodeBody<K>>)[key] : undefined;
}

export function relationName(relation: RangeVar | undefined): string {
  if (!relation?.relname) return 'the table';
  return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : relation.relname;
}

/** The string values of a list of `String` nodes: a qualified name, a column reference. */
export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => {
    const value = nodeOf(node, 'String')?.sval;
    return value === undefined ? [] : [value];
  });
}

const displayNames: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bpchar: 'char',
  bool: 'boolean',
};

/** The type's own name without `pg_catalog.`: `int8`, `varchar`. */
export function baseTypeName(typeName: TypeName | undefined): string {
  return stringsOf(typeName?.names).filter((part) => part !== 'pg_catalog').join('.');
}

/** How a person writes the type: `bigint`, `varchar(20)`, `numeric(10,2)`. */
export function displayTypeName(typeName: TypeName | undefined): string {
  const base = baseTypeName(typeName);
  const modifiers = (typeName?.typmods ?? []).map((node) => {
    const constant = nodeOf(node, 'A_Const');
    // the parser leaves out a zero: `ival: {}`
    return constant?.ival ? (constant.ival.ival ?? 0) : '?';
  });
  const name = displayNames[base] ?? base;
  return `${name}${modifiers.length > 0 ? `(${modifiers.join(',')})` : ''}${(typeName?.arrayBounds ?? []).length > 0 ? '[]' : ''}`;
}
