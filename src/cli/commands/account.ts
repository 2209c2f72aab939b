/** `account`, `account list|create|deposit|withdraw|use`, `positions`, `close`. */
import { ConflictError, UsageError } from '../../core/errors.ts';
import { formatQty, formatRatePercent, ppmToRate, type Ppm, type Qty } from '../../core/money.ts';
import { toIso } from '../../core/time.ts';
import { formatTrail } from '../../core/trail.ts';
import { accountSnapshot, moveCash as moveAccountCash } from '../../app/account-state.ts';
import { openAccount } from '../../app/accounts.ts';
import { resolveAccountId, withPaper } from '../../app/paper.ts';
import { defaultAccountSetting, listTraderAccounts, setDefaultAccount } from '../../store/accounts.ts';
import { currentActor } from '../../store/actor.ts';
import { findInstrument } from '../../store/instruments.ts';
import { findOrder } from '../../store/orders.ts';
import type { Store } from '../../store/db.ts';
import type { Context } from '../context.ts';
import { parseLeverageArg, parseMoneyArg, parseName, parseRateArg, parseSizeArg } from '../args.ts';
import { renderJson } from '../render/json.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { cash, moneyJson, orderJson, priceDecimal, priceText, shortId } from '../render/trading.ts';
import { group } from '../../core/number-text.ts';
import { orderRejected } from './order.ts';

/** Balance, equity, margin and open positions of an account, marked at the clock. */
export function accountSummary(store: Store, accountId: string) {
  const a = accountSnapshot(store, accountId);
  const positions = a.positions.map((p) => ({
    id: p.id,
    symbol: p.symbol,
    side: p.size > 0 ? 'long' : 'short',
    size: formatQty(Math.abs(p.size)),
    entryPrice: priceDecimal(p.entryPrice, p.tickSize),
    markPrice: p.markPrice === null ? null : priceDecimal(p.markPrice, p.tickSize),
    unrealizedPnl: moneyJson(p.unrealized),
    realizedPnl: moneyJson(p.realizedPnl),
    leverage: p.leverage,
    marginUsed: moneyJson(p.marginUsed),
    stopLoss: p.stopLoss === null ? null : priceDecimal(p.stopLoss, p.tickSize),
    takeProfit: p.takeProfit === null ? null : priceDecimal(p.takeProfit, p.tickSize),
    trail: p.trail ? formatTrail(p.trail) : null,
    fundingPaid: moneyJson(p.fundingPaid),
    openedAt: toIso(p.openedAt),
    raw: { unrealized: p.unrealized, marginUsed: p.marginUsed, fundingPaid: p.fundingPaid },
  }));
  return {
    id: accountId,
    name: a.name,
    clock: toIso(a.clock),
    balance: moneyJson(a.balance),
    equity: moneyJson(a.equity),
    unrealizedPnl: moneyJson(a.unrealized),
    marginUsed: moneyJson(a.marginUsed),
    marginAvailable: moneyJson(a.available),
    maintenanceMargin: moneyJson(a.maintenance),
    maxLeverage: a.maxLeverage,
    maxDailyLoss: a.maxDailyLoss === null ? null : moneyJson(a.maxDailyLoss),
    makerFee: ppmToRate(a.makerFeePpm),
    takerFee: ppmToRate(a.takerFeePpm),
    todayPnl: moneyJson(a.today),
    positions,
    raw: {
      balance: a.balance,
      equity: a.equity,
      unrealized: a.unrealized,
      marginUsed: a.marginUsed,
      available: a.available,
      today: a.today,
      maxDailyLoss: a.maxDailyLoss,
    },
  };
}

export async function showAccount(ctx: Context, flags: { account?: string }): Promise<void> {
  const store = await ctx.store();
  const s = accountSummary(store, resolveAccountId(store, flags.account));
  if (ctx.json) {
    const { raw: _raw, ...rest } = s;
    ctx.print(renderJson({ ...rest, positions: rest.positions.map(({ raw: _r, ...p }) => p) }));
    return;
  }
  const st = ctx.style;
  ctx.print(
    renderKeyValue(
      [
        ['account', `${s.name} (${shortId(store, 'accounts', s.id)})`],
        ['clock', s.clock],
        ['balance', cash(s.raw.balance)],
        ['equity', cash(s.raw.equity)],
        ['unrealised PnL', cash(s.raw.unrealized, st, true)],
        ['margin used', cash(s.raw.marginUsed)],
        ['margin available', cash(s.raw.available)],
        ["today's PnL (UTC day)", cash(s.raw.today, st, true)],
        [
          'max daily loss',
          s.raw.maxDailyLoss === null
            ? 'none'
            : `${cash(s.raw.maxDailyLoss)} (${s.raw.today <= -s.raw.maxDailyLoss ? st.chalk.red('reached: only closing is allowed until the next UTC day') : `${cash(s.raw.maxDailyLoss + Math.min(0, s.raw.today))} left today`})`,
        ],
        ['max leverage', `${s.maxLeverage}x`],
        ['fees maker / taker', `${formatRatePercent(s.makerFee)} / ${formatRatePercent(s.takerFee)}`],
        ['open positions', String(s.positions.length)],
      ],
      st,
    ),
  );
  if (s.positions.length) ctx.print(positionsTable(ctx, s.positions));
}

function positionsTable(ctx: Context, ps: ReturnType<typeof accountSummary>['positions']): string {
  return renderTable(
    ['symbol', 'side', 'size', 'entry', 'mark', 'unrealised', 'margin', 'lev', 'SL', 'TP', 'funding paid'].map((h, k) => ({
      header: h,
      align: k >= 2 ? ('right' as const) : ('left' as const),
    })),
    ps.map((p) => [
      p.symbol,
      p.side,
      group(p.size),
      group(p.entryPrice),
      group(p.markPrice ?? ''),
      cash(p.raw.unrealized, ctx.style, true),
      cash(p.raw.marginUsed),
      `${p.leverage}x`,
      p.stopLoss === null ? '' : p.trail ? `${group(p.stopLoss)} (trail ${p.trail})` : group(p.stopLoss),
      group(p.takeProfit ?? ''),
      cash(p.raw.fundingPaid),
    ]),
    ctx.style,
  );
}

export async function listPositions(ctx: Context, flags: { account?: string }): Promise<void> {
  const store = await ctx.store();
  const s = accountSummary(store, resolveAccountId(store, flags.account));
  if (ctx.json) {
    ctx.print(renderJson(s.positions.map(({ raw: _r, ...p }) => p)));
    return;
  }
  if (s.positions.length === 0) {
    ctx.note('no open positions');
    return;
  }
  ctx.print(positionsTable(ctx, s.positions));
}

export async function closePosition(ctx: Context, symbol: string, flags: { size?: string; account?: string }): Promise<void> {
  const wanted = flags.size === undefined ? undefined : parseSizeArg(flags.size, '--size');
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const accountId = resolveAccountId(store, flags.account);
  const order = withPaper(
    store,
    ctx.now,
    (s) => {
      const pos = s.engine.account(accountId).positions.get(inst.id);
      if (!pos) throw new ConflictError(`no open ${inst.symbol} position on this account`);
      const full = Math.abs(pos.size) as Qty;
      let size = full;
      if (wanted !== undefined) {
        size = wanted;
        if (size > full) throw new UsageError(`--size must be between 0 and the position's ${formatQty(full)}`);
      }
      return s.engine.placeOrder({
        accountId,
        instrumentId: inst.id,
        side: pos.size > 0 ? 'sell' : 'buy',
        type: 'market',
        size,
        leverage: pos.leverage,
        source: 'close',
        fillNow: true,
        reduceOnly: true,
      });
    },
    { accountIds: [accountId], instrumentIds: [inst.id] },
  );
  const view = findOrder(store, order.id);
  if (ctx.json) ctx.print(renderJson(orderJson(view, inst.tickSize)));
  if (order.status === 'rejected') throw orderRejected(order, shortId(store, 'orders', order.id));
  if (!ctx.json)
    ctx.print(
      `${shortId(store, 'orders', order.id)} closed ${formatQty(order.size)} ${inst.symbol} @ ${priceText(order.fillPrice, inst.tickSize)} (fee ${cash(order.commission)})`,
    );
}

export async function listAccounts(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const def = defaultAccountSetting(store);
  const rows = listTraderAccounts(store);
  const allUsers = currentActor(store)?.allUsers === true;
  if (ctx.json) {
    ctx.print(
      renderJson(
        rows.map((r) => ({
          id: r.id,
          name: r.name,
          ...(allUsers ? { user: r.email } : {}),
          balance: moneyJson(r.balance),
          maxLeverage: r.max_leverage,
          demo: r.is_demo === 1,
          active: r.is_active === 1,
          default: r.id === def,
        })),
      ),
    );
    return;
  }
  if (allUsers) {
    ctx.print(
      renderTable(
        [
          { header: 'id' },
          { header: 'user' },
          { header: 'name' },
          { header: 'balance', align: 'right' },
          { header: 'max lev', align: 'right' },
        ],
        rows.map((r) => [shortId(store, 'accounts', r.id), r.email, r.name, cash(r.balance), `${r.max_leverage}x`]),
        ctx.style,
      ),
    );
    return;
  }
  ctx.print(
    renderTable(
      [{ header: '' }, { header: 'id' }, { header: 'name' }, { header: 'balance', align: 'right' }, { header: 'max lev', align: 'right' }],
      rows.map((r) => [r.id === def ? '*' : '', shortId(store, 'accounts', r.id), r.name, cash(r.balance), `${r.max_leverage}x`]),
      ctx.style,
    ),
  );
}

export async function createAccount(
  ctx: Context,
  name: string,
  flags: { balance?: string; maxLeverage?: string; maxDailyLoss?: string; makerFee?: string; takerFee?: string },
): Promise<void> {
  const clean = parseName(name, 'the account name');
  if (clean.startsWith('house:')) throw new UsageError(`invalid account name "${name}"`, '1-64 characters, not starting with "house:"');
  const balance = parseMoneyArg(flags.balance ?? '10000', '--balance');
  const maxLev = parseLeverageArg(flags.maxLeverage ?? '10', '--max-leverage');
  const maxDailyLoss = flags.maxDailyLoss === undefined ? null : parseMoneyArg(flags.maxDailyLoss, '--max-daily-loss');
  const fee = (v: string | undefined, def: number, flag: string): Ppm =>
    v === undefined ? (def as Ppm) : parseRateArg(v, flag, { max: 0.1, maxExclusive: true });
  const maker = fee(flags.makerFee, 200, '--maker-fee');
  const taker = fee(flags.takerFee, 500, '--taker-fee');
  const store = await ctx.store();
  const id = openAccount(
    store,
    { name: clean, balance, maxLeverage: maxLev, maxDailyLoss, makerFee: maker, takerFee: taker },
    toIso(ctx.now()),
  );
  if (ctx.json) ctx.print(renderJson({ id, name: clean, balance: moneyJson(balance), maxLeverage: maxLev }));
  else
    ctx.print(
      `created account "${clean}" (${shortId(store, 'accounts', id)}) with ${cash(balance)}; use it with --account "${clean}" or \`tunicoin account use "${clean}"\``,
    );
}

export async function moveCash(
  ctx: Context,
  kind: 'deposit' | 'withdrawal',
  amountText: string,
  flags: { account?: string },
): Promise<void> {
  const amount = parseMoneyArg(amountText, 'AMOUNT');
  const store = await ctx.store();
  const accountId = resolveAccountId(store, flags.account);
  const after = moveAccountCash(store, ctx.now, accountId, kind, amount);
  if (ctx.json) ctx.print(renderJson({ account: accountId, [kind]: moneyJson(amount), balance: moneyJson(after) }));
  else ctx.print(`${kind === 'deposit' ? 'deposited' : 'withdrew'} ${cash(amount)}; balance ${cash(after)}`);
}

export async function useAccount(ctx: Context, name: string): Promise<void> {
  const store = await ctx.store();
  const id = resolveAccountId(store, name);
  setDefaultAccount(store, id);
  if (ctx.json) ctx.print(renderJson({ default: id }));
  else ctx.print(`default account: ${name} (${shortId(store, 'accounts', id)})`);
}
