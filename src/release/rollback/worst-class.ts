import type { RollbackClass } from './types.ts';

export const rollbackClasses: readonly RollbackClass[] = ['safe', 'forward-fix', 'data-loss'];

export function classRank(value: RollbackClass): number {
  return rollbackClasses.indexOf(value);
}

/** The worst of the classes given; `safe` for none. */
export function worstClass(classes: Iterable<RollbackClass>): RollbackClass {
  let worst: RollbackClass = 'safe';
  for (const value of classes) if (classRank(value) > classRank(worst)) worst = value;
  return worst;
}

/** The first of the worst classifications, so its reason speaks for the group. */
export function worstOf<T extends { readonly class: RollbackClass }>(items: readonly T[]): T | undefined {
  let worst: T | undefined;
  for (const item of items) if (!worst || classRank(item.class) > classRank(worst.class)) worst = item;
  return worst;
}
