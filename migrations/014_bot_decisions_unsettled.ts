/**
 * 014_bot_decisions_unsettled: the decisions still waiting for their order's outcome, indexed by
 * that order. A bot run settles decisions after every simulated day (store/bot-decisions.ts:
 * settleFilledDecisions, settleFailedDecisions), joining them to their orders; without an index
 * on `order_id` each settle walked every decision ever taken (holds stay `executed = 0` with no
 * result forever), so a bot's day got slower with every day of its history. Partial indexes: a
 * decision leaves them once settled, so they hold only the few in flight (and rejected ones for
 * the filled settle), whatever the history's length.
 *
 * The same statements make PostgreSQL's migration 004 (migrations/pg), which re-exports these.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  // settleFilledDecisions: executed = 0 joined on order_id
  await sql
    .raw(`CREATE INDEX "ix_bot_decisions_unfilled" ON "bot_decisions" ("order_id") WHERE "executed" = 0 AND "order_id" IS NOT NULL`)
    .execute(db);
  // settleFailedDecisions: no execution_result yet, joined on order_id
  await sql
    .raw(
      `CREATE INDEX "ix_bot_decisions_unsettled" ON "bot_decisions" ("order_id") WHERE "execution_result" IS NULL AND "order_id" IS NOT NULL`,
    )
    .execute(db);
}

export async function down(db: Db): Promise<void> {
  await sql.raw(`DROP INDEX "ix_bot_decisions_unsettled"`).execute(db);
  await sql.raw(`DROP INDEX "ix_bot_decisions_unfilled"`).execute(db);
}
