/**
 * One self-contained HTML file from a ReportModel: styles, TradingView's lightweight-charts
 * (with its licence notice), the page script and the data are all inlined, so the file opens
 * offline and makes no network request.
 *
 * What needs no script is rendered here as plain HTML (header, banners, facts, metrics,
 * tables, heat maps): the page is never blank, even with scripts off. The page script
 * (./page.js) draws the charts from the data blob and makes the tables sortable/filterable.
 */
import lightweightCharts from '../../node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js?raw';
import lightweightChartsLicense from '../../node_modules/lightweight-charts/LICENSE?raw';
import pageScript from './page.js?raw';
import pageStyle from './page.css?raw';
import { BlobWriter } from './encode.ts';
import type {
  Cell,
  HeatmapSection,
  LinesSection,
  MetricsSection,
  PriceSection,
  ReportModel,
  Section,
  TableColumn,
  TableSection,
} from './model.ts';

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Text for a <script> element: no "</script" or "<!--" can end it early. */
const scriptText = (s: string): string => s.replace(/<(\/script|!--)/gi, '<\\$1');
/** JSON for a <script type="application/json"> element: no "<" at all (JSON.parse reads \u003c back). */
const jsonText = (data: unknown): string => JSON.stringify(data).replace(/</g, '\\u003c');

export function timeText(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '';
}

function cellText(v: Cell, col: TableColumn): string {
  if (v === null || v === '') return '';
  if (col.type === 'time' && typeof v === 'number') return timeText(v);
  if (typeof v === 'number') return col.decimals === undefined ? String(v) : v.toFixed(col.decimals);
  return v;
}

const signClass = (v: unknown): string => (typeof v === 'number' ? (v > 0 ? 'pos' : v < 0 ? 'neg' : '') : '');

/** Rows rendered into the HTML (and shown per page by the script): long tables stay fast to open. */
export const TABLE_PAGE = 200;

function rowHtml(r: readonly Cell[], columns: readonly TableColumn[]): string {
  return `<tr>${columns
    .map((c, k) => {
      const v = r[k] ?? null;
      const cls = [c.type !== 'text' ? 'num' : '', c.pnl ? signClass(v) : ''].filter(Boolean).join(' ');
      const sort = typeof v === 'number' ? ` data-sort="${v}"` : '';
      return `<td${cls ? ` class="${cls}"` : ''}${sort}>${esc(cellText(v, c))}</td>`;
    })
    .join('')}</tr>`;
}

/**
 * The first page of rows as HTML (readable without a script), all rows as JSON for the page
 * script, which sorts, filters and pages through them.
 */
function renderTable(s: TableSection): string {
  if (s.rows.length === 0) return `<p class="empty">${esc(s.empty)}</p>`;
  const head = s.columns
    .map(
      (c) =>
        `<th data-key="${esc(c.key)}" data-type="${c.type}"${c.pnl ? ' data-pnl="1"' : ''}${c.decimals === undefined ? '' : ` data-decimals="${c.decimals}"`}${s.sortable ? ' tabindex="0" title="sort"' : ''}>${esc(c.label)}</th>`,
    )
    .join('');
  const body = s.rows
    .slice(0, TABLE_PAGE)
    .map((r) => rowHtml(r, s.columns))
    .join('\n');
  const filterCol = s.filter?.column ? s.columns.findIndex((c) => c.key === s.filter?.column) : -1;
  const choices = filterCol >= 0 ? [...new Set(s.rows.map((r) => String(r[filterCol] ?? '')))].sort() : [];
  const tools = s.filter
    ? `<div class="tools"><input type="search" class="filter-text" placeholder="filter rows" aria-label="filter rows">${
        filterCol >= 0
          ? `<select class="filter-column" data-column="${filterCol}" aria-label="${esc(s.columns[filterCol]?.label ?? '')}"><option value="">all</option>${choices.map((c) => `<option>${esc(c)}</option>`).join('')}</select>`
          : ''
      }</div>`
    : '';
  const more = `<p class="more"><span class="count">${s.rows.length > TABLE_PAGE ? `the first ${TABLE_PAGE} of ${s.rows.length} rows` : `${s.rows.length} rows`}</span> <button type="button" class="show-more"${s.rows.length > TABLE_PAGE ? '' : ' hidden'}>show ${TABLE_PAGE} more</button></p>`;
  return `${tools}<div class="scroll"><table class="data${s.sortable ? ' sortable' : ''}" id="table-${esc(s.id)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${more}
<script type="application/json" class="table-rows" data-table="table-${esc(s.id)}">${jsonText(s.rows)}</script>`;
}

function renderMetrics(s: MetricsSection): string {
  if (s.rows.length === 0) return `<p class="empty">${esc(s.empty)}</p>`;
  const head = `<tr><th>metric</th>${s.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = s.rows
    .map(
      (r) =>
        `<tr data-key="${esc(r.key)}"><th>${esc(r.label)}</th>${r.values
          .map(
            (v, k) => `<td class="num ${r.pnl ? signClass(v) : ''}" data-value="${esc(JSON.stringify(v))}">${esc(r.texts[k] ?? '')}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table class="metrics" id="metrics-${esc(s.id)}"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** Red (worst) to green (best) through pale yellow. */
function heatColour(v: number, lo: number, hi: number): string {
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  const hue = Math.round(t * 120);
  return `hsl(${hue} 65% ${78 - Math.abs(t - 0.5) * 20}%)`;
}

function renderHeatmap(s: HeatmapSection): string {
  const all = s.values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const head = `<tr><th class="corner">${esc(s.yName)} \\ ${esc(s.xName)}</th>${s.xs.map((x) => `<th>${esc(String(x))}</th>`).join('')}</tr>`;
  const body = s.ys
    .map(
      (y, j) =>
        `<tr><th>${esc(String(y))}</th>${s.xs
          .map((_x, i) => {
            const v = s.values[j]?.[i] ?? null;
            return v === null || !Number.isFinite(v)
              ? '<td class="num none">·</td>'
              : `<td class="num" data-value="${v}" style="background:${heatColour(v, lo, hi)}">${esc(v.toFixed(2))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<p class="axis-note">${esc(s.metric)} by ${esc(s.xName)} (columns) and ${esc(s.yName)} (rows)${s.note ? `; ${esc(s.note)}` : ''}</p>
<div class="scroll"><table class="heatmap" id="heatmap-${esc(s.id)}"><thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** The page's view of a chart section: columns become indexes into the blob. */
function pageSection(s: Section, blob: BlobWriter): unknown {
  if (s.kind === 'price') return pagePrice(s, blob);
  if (s.kind === 'lines') return pageLines(s, blob);
  return null;
}

function pagePrice(s: PriceSection, blob: BlobWriter) {
  const c = s.candles;
  const price = { scale: s.tick };
  const series = (list: PriceSection['overlays']) =>
    list.map((x) =>
      x.closeTimes !== undefined
        ? { name: x.name, style: x.style ?? 'line', closeTimes: x.closeTimes }
        : { name: x.name, style: x.style ?? 'line', values: blob.add(x.values) },
    );
  return {
    kind: 'price',
    id: s.id,
    symbol: s.symbol,
    timeframe: s.timeframe,
    decimals: s.priceDecimals,
    n: c.time.length,
    time: blob.add(c.time, { scale: 1000 }),
    open: blob.add(c.open, price),
    high: blob.add(c.high, price),
    low: blob.add(c.low, price),
    close: blob.add(c.close, price),
    volume: blob.add(c.volume, undefined, 4),
    overlays: series(s.overlays),
    panes: s.panes.map((p) => ({ title: p.title, series: series(p.series) })),
    equity: s.equity ? { series: series(s.equity.series), drawdown: s.equity.drawdown } : null,
    // compact: [time, kind, side, price, size, label, reason] (tens of thousands of trades)
    markers: s.markers.map((m) => [m.time, m.kind, m.side, m.price, m.size, m.label, m.reason]),
  };
}

function pageLines(s: LinesSection, blob: BlobWriter) {
  return {
    kind: 'lines',
    id: s.id,
    unit: s.unit,
    series: s.series.map((x) => ({
      name: x.name,
      n: x.times.length,
      times: blob.add(x.times, { scale: 1000 }),
      values: blob.add(x.values),
    })),
  };
}

function renderSection(s: Section): string {
  const body =
    s.kind === 'table'
      ? renderTable(s)
      : s.kind === 'metrics'
        ? renderMetrics(s)
        : s.kind === 'heatmap'
          ? renderHeatmap(s)
          : s.kind === 'lines' && s.series.length === 0
            ? `<p class="empty">${esc(s.empty)}</p>`
            : `<div class="legend" id="legend-${esc(s.id)}"></div><div class="chart" id="chart-${esc(s.id)}" data-kind="${s.kind}"><p class="loading">drawing the chart…</p></div>`;
  const note = s.kind === 'table' && s.note ? `<p class="note">${esc(s.note)}</p>` : '';
  return `<section class="section ${s.kind}" id="section-${esc(s.id)}"><h2>${esc(s.title)}</h2>${note}\n${body}\n</section>`;
}

export function renderReportHtml(model: ReportModel): string {
  const blob = new BlobWriter();
  const charts = model.sections.map((s) => pageSection(s, blob)).filter((x) => x !== null);
  const data = blob.finish();
  const page = { kind: model.kind, charts, columns: blob.columns };
  const banners = model.banners
    .map((b) => `<div class="banner ${b.level}" role="${b.level === 'error' ? 'alert' : 'status'}">${esc(b.text)}</div>`)
    .join('\n');
  const facts = model.facts.length
    ? `<dl class="facts">${model.facts.map((f) => `<div><dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd></div>`).join('')}</dl>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src data:">
<title>${esc(model.title)}</title>
<style>${pageStyle}</style>
</head>
<body data-report="${model.kind}">
<header><h1>${esc(model.title)}</h1><p class="subtitle">${esc(model.subtitle)}</p></header>
<main>
${banners}
${facts}
${model.sections.map(renderSection).join('\n')}
</main>
<footer>Written by tunicoin at ${esc(model.generatedAt)}. Charts: <a href="https://www.tradingview.com/" rel="noopener">TradingView Lightweight Charts™</a>,
Copyright (c) TradingView, Inc., Apache License 2.0 (notice below, in the page source).</footer>
<!--
TradingView Lightweight Charts™ is inlined below. Attribution notice:
TradingView Lightweight Charts™ Copyright (c) 2026 TradingView, Inc. https://www.tradingview.com/

${lightweightChartsLicense.replace(/--/g, '- -')}
-->
<script>${scriptText(lightweightCharts)}</script>
<script type="application/json" id="report-model">${jsonText(page)}</script>
<script type="application/octet-stream" id="report-data">${data}</script>
<script>${scriptText(pageScript)}</script>
</body>
</html>
`;
}
