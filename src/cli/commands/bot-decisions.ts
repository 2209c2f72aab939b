/** `tunicoin bot decisions` and `bot explain`: a bot's decision log, and the decision behind one order. */
import { TunicoinError } from '../../core/errors.ts';
import { formatQty, priceToFloat } from '../../core/money.ts';
import { botDecisionRows, decisionForOrder, findBot, type DecisionRow } from '../../store/bots.ts';
import { findOrder } from '../../store/orders.ts';
import { parsePositiveInt } from '../args.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { shortId } from '../render/trading.ts';
import { executionJson, orderIntentJson } from '../render/decision.ts';

function decisionJson(d: DecisionRow) {
  return {
    id: d.id,
    bot: d.bot_name,
    candleTime: d.candle_timestamp,
    decision: d.decision,
    reason: d.reason,
    indicators: JSON.parse(d.indicators) as Record<string, number | null>,
    proposedOrder: orderIntentJson(d.proposed_order),
    riskAdjusted: d.risk_adjusted === 1,
    riskAdjustmentReason: d.risk_adjustment_reason,
    finalOrder: orderIntentJson(d.final_order),
    orderId: d.order_id,
    closeOrderId: d.close_order_id ?? null,
    executed: d.executed === 1,
    result: executionJson(d.execution_result),
  };
}

export async function botDecisions(ctx: Context, ref: string, flags: { limit?: string; onlyTrades?: boolean }): Promise<void> {
  const limit = flags.limit === undefined ? 20 : parsePositiveInt(flags.limit, '--limit');
  const store = await ctx.store();
  const bot = findBot(store, ref);
  const rows = botDecisionRows(store, bot.id, { limit, onlyTrades: flags.onlyTrades === true });
  const data = rows.map(decisionJson);
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  if (!data.length) {
    ctx.note(`no decisions yet for ${bot.name}: start it and advance the clock`);
    return;
  }
  ctx.print(
    renderTable(
      ['candle', 'decision', 'why', 'order', 'result'].map((h) => ({ header: h })),
      data.map((d) => [
        d.candleTime.slice(0, 16).replace('T', ' '),
        d.decision,
        `${d.reason}${d.riskAdjustmentReason ? `\nrisk: ${d.riskAdjustmentReason}` : ''}`,
        d.finalOrder
          ? `${String(d.finalOrder.side)} ${String(d.finalOrder.size)}${d.orderId ? ` (${shortId(store, 'orders', d.orderId)})` : ''}`
          : d.proposedOrder
            ? 'blocked'
            : '',
        d.result
          ? d.result.status === 'filled'
            ? `filled @ ${String(d.result.fillPrice)}, fee ${String(d.result.commission)}`
            : `${String(d.result.status)}: ${typeof d.result.reason === 'string' ? d.result.reason : ''}`
          : d.orderId
            ? 'pending'
            : '',
      ]),
      ctx.style,
    ),
  );
}

export async function botExplain(ctx: Context, orderRef: string): Promise<void> {
  const store = await ctx.store();
  const order = findOrder(store, orderRef);
  const d = decisionForOrder(store, order.id);
  if (!d)
    throw new TunicoinError(
      'not-found',
      `order ${shortId(store, 'orders', order.id)} was not placed by a bot decision (source: ${order.source})`,
    );
  const j = decisionJson(d);
  if (ctx.json) {
    ctx.print(renderJson({ order: order.id, ...j }));
    return;
  }
  ctx.print(
    renderKeyValue(
      [
        [
          'order',
          `${shortId(store, 'orders', order.id)} ${order.side} ${formatQty(order.size)} ${order.symbol}: ${order.status}${order.fill_price !== null ? ` @ ${priceToFloat(order.fill_price)}` : ''}`,
        ],
        ['bot', j.bot],
        ['candle', j.candleTime],
        ['decision', j.decision],
        ['because', j.reason],
        [
          'indicators',
          Object.entries(j.indicators)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
        ],
        ['proposed', j.proposedOrder ? `${String(j.proposedOrder.side)} ${String(j.proposedOrder.size)}` : '-'],
        ['risk', j.riskAdjusted ? (j.riskAdjustmentReason ?? 'adjusted') : 'no adjustment'],
        ['result', j.result ? JSON.stringify(j.result) : 'pending'],
      ],
      ctx.style,
    ),
  );
}
