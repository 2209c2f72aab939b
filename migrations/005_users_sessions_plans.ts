/**
 * 005_users_sessions_plans: what real users need beyond the spec's `users` columns.
 *
 * - `plans`: the subscription plans users.plan_id names, with their limits (NULL = unlimited).
 *   `free` and `pro` are seeded without limits, so a local user never meets one.
 * - `sessions`: a login is a random token; only its SHA-256 is stored, with its expiry.
 * - `recovery_codes`: the ten one-time 2FA recovery codes, stored as SHA-256 hashes.
 * - users: failed-login counter and lock (so a lock holds across processes), and the last TOTP
 *   time step accepted (a code is never accepted twice).
 * The Stripe columns of `users` stay empty: this is an offline simulator, there is no billing.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('max_accounts', 'integer', (c) => c.check(sql`max_accounts >= 0`))
    .addColumn('max_bots', 'integer', (c) => c.check(sql`max_bots >= 0`))
    .addColumn('max_sweep', 'integer', (c) => c.check(sql`max_sweep >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('plans')
    .values([
      { id: 'free', max_accounts: null, max_bots: null, max_sweep: null, created_at: now, updated_at: now },
      { id: 'pro', max_accounts: null, max_bots: null, max_sweep: null, created_at: now, updated_at: now },
    ])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_sessions_user_id').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_recovery_codes_user_id').on('recovery_codes').column('user_id').execute();

  await db.schema
    .alterTable('users')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('locked_until', 'text').execute();
  await db.schema.alterTable('users').addColumn('twofa_last_step', 'integer').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('users').dropColumn('twofa_last_step').execute();
  await db.schema.alterTable('users').dropColumn('locked_until').execute();
  await db.schema.alterTable('users').dropColumn('failed_logins').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('plans').execute();
}
