/**
 * Metrics objects (as `--json` prints them) to table rows: the exact value of each scalar
 * metric, and a text for humans. Unknown keys are shown too (with their key as label), so a
 * metric added later appears without a change here.
 */
import { dollars } from '../core/number-text.ts';
import type { MetricRow } from './model.ts';

const LABELS: Record<string, string> = {
  start: 'start',
  end: 'end',
  durationDays: 'duration',
  exposurePct: 'exposure',
  finalEquity: 'final equity',
  peakEquity: 'peak equity',
  returnPct: 'return',
  buyAndHoldReturnPct: 'buy & hold return',
  cagrPct: 'CAGR',
  volatilityAnnPct: 'volatility (annualised)',
  sharpe: 'Sharpe',
  sortino: 'Sortino',
  calmar: 'Calmar',
  maxDrawdownPct: 'max drawdown',
  maxDrawdownDurationDays: 'max drawdown duration',
  avgDrawdownPct: 'average drawdown',
  trades: 'trades',
  winRatePct: 'win rate',
  bestTradePct: 'best trade',
  worstTradePct: 'worst trade',
  avgTradePct: 'average trade',
  profitFactor: 'profit factor',
  expectancy: 'expectancy',
  sqn: 'SQN',
  totalFees: 'fees',
  totalFunding: 'funding',
  buyAndHoldNetReturnPct: 'buy & hold return, net of costs',
  periodsPerYear: 'days a year (annualisation)',
  rejectedOrders: 'orders rejected',
  resizedOrders: 'orders resized',
};
const MONEY = new Set(['finalEquity', 'peakEquity', 'expectancy', 'totalFees', 'totalFunding']);
const SIGNED = new Set([
  'returnPct',
  'buyAndHoldReturnPct',
  'buyAndHoldNetReturnPct',
  'cagrPct',
  'bestTradePct',
  'worstTradePct',
  'avgTradePct',
  'expectancy',
  'maxDrawdownPct',
  'avgDrawdownPct',
]);

export function metricText(key: string, v: Scalar | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  if (typeof v === 'string') return v;
  if (key.endsWith('Pct')) return `${SIGNED.has(key) && v > 0 ? '+' : ''}${v.toFixed(2)}%`;
  if (key.endsWith('Days')) return `${v.toFixed(1)} days`;
  if (MONEY.has(key)) return dollars(v);
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(2);
}

type Scalar = number | string | null;
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'number' || typeof v === 'string';

/** One row per scalar key of any of the objects, in the first object's order. */
export function metricRows(objects: ReadonlyArray<Readonly<Record<string, unknown>> | null>): MetricRow[] {
  const keys: string[] = [];
  for (const o of objects) for (const [k, v] of Object.entries(o ?? {})) if (isScalar(v) && !keys.includes(k)) keys.push(k);
  return keys.map((key) => {
    const values = objects.map((o) => {
      const v = o?.[key];
      return isScalar(v) ? v : null;
    });
    return {
      key,
      label: LABELS[key] ?? key,
      values,
      texts: values.map((v) => metricText(key, v)),
      pnl: SIGNED.has(key) && !key.includes('Drawdown'),
    };
  });
}
