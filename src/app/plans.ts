/** Plan limits, enforced where accounts, bots and sweeps are created (see core/users.ts). */
import { checkPlanLimit, type PlanLimit } from '../core/users.ts';
import { currentActor } from '../store/actor.ts';
import type { Store } from '../store/db.ts';
import { planById, planUsage, userById } from '../store/users.ts';

/**
 * Refuse (ConflictError naming the plan and the limit) when `userId` adding `adding` more would
 * go past its plan's limit. `userId` defaults to the acting user; nobody acting = no limit.
 */
export function assertPlanAllows(store: Store, limit: PlanLimit, adding = 1, userId = currentActor(store)?.userId): void {
  if (userId === undefined) return;
  const user = userById(store, userId);
  const plan = user ? planById(store, user.plan_id) : undefined;
  if (!user || !plan) return; // a plan deleted behind our back limits nothing
  const usage = planUsage(store, userId);
  const current = limit === 'max_accounts' ? usage.accounts : limit === 'max_bots' ? usage.bots : 0;
  checkPlanLimit(plan, limit, current, adding);
}
