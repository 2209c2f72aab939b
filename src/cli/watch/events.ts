/** What a tick or an action did, as log lines. Pure. */
import { formatQty } from '../../core/money.ts';
import type { AdvanceSummary } from '../../app/advance.ts';
import type { PaperOrder } from '../../app/watch.ts';
import { cash, priceTight as priceText } from '../render/trading.ts';
import type { LogEntry } from './state.ts';

export interface Names {
  readonly symbol: (instrumentId: string) => string;
  readonly tick: (instrumentId: string) => number;
  readonly bot: (botId: string) => string;
}

const SOURCE: Record<PaperOrder['source'], string> = {
  manual: 'you',
  bot: 'bot',
  stop_loss: 'stop-loss',
  take_profit: 'take-profit',
  liquidation: 'LIQUIDATION',
  close: 'you (close)',
};

/** "buy 0.1 BTC-USD @ 50,123.45 fee $2.51" */
export function fillText(o: PaperOrder, names: Names): string {
  return `${o.side} ${formatQty(o.size)} ${names.symbol(o.instrumentId)} @ ${priceText(o.fillPrice, names.tick(o.instrumentId))} fee ${cash(o.commission)}`;
}

/** The outcome of an order placed from the screen. */
export function orderEntry(o: PaperOrder, time: number, names: Names): LogEntry {
  const what = `${o.side} ${formatQty(o.size)} ${names.symbol(o.instrumentId)} ${o.type.replace('_', '-')}`;
  if (o.status === 'filled') return { time, kind: 'fill', text: `${SOURCE[o.source]}: ${fillText(o, names)}` };
  if (o.status === 'rejected') return { time, kind: 'error', text: `rejected: ${what}: ${o.rejectReason ?? 'rejected'}` };
  return { time, kind: 'order', text: `working: ${what} ${o.id.slice(0, 8)}` };
}

/**
 * Fills (with who or what caused them), liquidations, the watched account's funding, and the
 * bots' decisions other than `hold` (all of them are in `tunicoin bot decisions`), in time order.
 */
export function tickEntries(summary: AdvanceSummary, accountId: string, names: Names): LogEntry[] {
  const out: LogEntry[] = [];
  for (const o of summary.fills) {
    const who = o.botId ? `bot ${names.bot(o.botId)}` : SOURCE[o.source];
    out.push({
      time: o.filledAt ?? summary.to,
      kind: o.source === 'liquidation' ? 'liquidation' : 'fill',
      text: `${who}: ${fillText(o, names)}`,
    });
  }
  for (const j of summary.journals) {
    if (j.accountId !== accountId || j.type !== 'funding') continue;
    out.push({ time: j.time, kind: 'funding', text: `funding ${cash(j.amount, undefined, true)}: ${j.description}` });
  }
  for (const d of summary.decisions) {
    if (d.decision === 'hold' && !d.breaker) continue;
    const risk = d.breaker ? ` [blocked: ${d.breaker}]` : d.riskAdjusted && d.riskReason ? ` [risk: ${d.riskReason}]` : '';
    const rejected = d.order?.status === 'rejected' ? ` [rejected: ${d.order.rejectReason}]` : '';
    out.push({
      time: d.candleTime,
      kind: 'bot',
      text: `bot ${names.bot(d.botId)}: ${d.decision} - ${d.explanation.reason}${risk}${rejected}`,
    });
  }
  return out.sort((a, b) => a.time - b.time);
}
