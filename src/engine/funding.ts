/** Funding: the 8-hour UTC boundaries (00:00, 08:00, 16:00) and the charge on one position at the mark. */
import { applyPpm, notional, ppmFromRate, subMoney, type Money, type Price } from '../core/money.ts';
import { HOUR_MS } from '../core/time.ts';
import { markOf, post } from './accounting.ts';
import { journalTexts } from './journal-text.ts';
import type { EngineAccount, EngineInstrument, EnginePosition, EngineSink } from './state.ts';

export const FUNDING_INTERVAL_MS = 8 * HOUR_MS;

/** The first funding boundary strictly after `t`. */
export const nextFunding = (t: number): number => (Math.floor(t / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;

/** Funding on one position at the mark: longs pay a positive rate, shorts receive it (and the reverse). */
export function chargeFunding(sink: EngineSink, acct: EngineAccount, pos: EnginePosition, inst: EngineInstrument, time: number): void {
  const mark = markOf(inst) as Price;
  const amount = applyPpm(notional(pos.size, mark, inst.spec.contractSize), ppmFromRate(Math.abs(inst.spec.fundingRate)), 'half-even');
  const pays = pos.size > 0 === inst.spec.fundingRate > 0;
  const signed = (pays ? -amount : amount) as Money;
  pos.fundingPaid = subMoney(pos.fundingPaid, signed);
  pos.lastFundingAt = time;
  pos.updatedAt = time;
  sink.positionUpdated(pos);
  post(sink, acct, 'funding', signed, time, {
    positionId: pos.id,
    description: journalTexts(inst.spec).funding,
  });
}
