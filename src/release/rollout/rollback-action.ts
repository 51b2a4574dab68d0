import type { RollbackSpec } from '../../model/schema.ts';

export type RollbackAction = { readonly kind: 'automatic' } | { readonly kind: 'manual'; readonly reason: string };

/**
 * Whether the guard may roll back by itself. It only ever performs `kubernetes-undo` (the default
 * strategy); `automatic: false` in the model leaves the decision to a person, who may give it to
 * the guard for one run with `--auto-rollback`.
 */
export function rollbackAction(rollback: Pick<RollbackSpec, 'strategy' | 'automatic'>, options: { readonly autoRollback: boolean }): RollbackAction {
  const strategy = rollback.strategy ?? 'kubernetes-undo';
  if (strategy !== 'kubernetes-undo') {
    return { kind: 'manual', reason: `the service rolls back by ${strategy}, which the guard does not perform; roll back by hand` };
  }
  if (rollback.automatic === false && !options.autoRollback) {
    return { kind: 'manual', reason: 'rollback.automatic is false for this service; roll back by hand, or run the guard with --auto-rollback to let it act' };
  }
  return { kind: 'automatic' };
}
