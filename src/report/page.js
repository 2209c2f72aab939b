/*
 * tunicoin report page script (inlined into every report; no network, no module loader).
 * Draws the charts from the inlined data blob with TradingView's lightweight-charts and makes
 * the tables sortable and filterable. Everything readable without a script (facts, metrics,
 * tables) is already in the HTML.
 *
 * Long histories: a price chart keeps every candle in typed arrays but gives the chart at most
 * a few thousand bars. The overview merges STEP consecutive candles into one (OHLC, summed
 * volume, the last indicator value, the worst drawdown). Zooming in rebuilds the bars around
 * the visible window at a finer step, down to the real candles, and keeps the view in place.
 * Trade markers sit on the bar that holds their time, so each one is always drawn.
 *
 * window.tunicoinReport is a small read-only handle for tests: ready, errors, per-chart counts.
 */
(function () {
  'use strict';
  var report = { ready: false, readyMs: null, readyAt: null, timings: {}, errors: [], charts: {} };
  window.tunicoinReport = report;

  var COLORS = ['#2962ff', '#ff6d00', '#7b1fa2', '#00897b', '#c2185b', '#6d4c41', '#5e35b1', '#43a047'];
  var UP = '#26a69a';
  var DOWN = '#ef5350';
  var TARGET_BARS = 1500; // bars on screen at most when zoomed
  var OVERVIEW_BARS = 3000; // bars of the whole history

  function fail(what, e) {
    var msg = what + ': ' + (e && e.message ? e.message : String(e));
    report.errors.push(msg);
    console.error('tunicoin report: ' + msg);
    var div = document.createElement('div');
    div.className = 'banner error';
    div.textContent = 'This part of the report could not be drawn (' + msg + '). The tables below are complete.';
    var main = document.querySelector('main');
    if (main) main.insertBefore(div, main.firstChild);
  }

  function fmt(x, d) {
    if (x === null || x === undefined || !isFinite(x)) return 'n/a';
    return Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  function timeText(ms) {
    return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  }

  // ---- data ---------------------------------------------------------------------------------
  function base64Bytes(text) {
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
    var bin = atob(text);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function column(buf, c) {
    var out = new Float64Array(c.n);
    if (c.enc === 'f64') out.set(new Float64Array(buf, c.offset, c.n));
    else {
      // i32d / q32d: deltas of whole steps, 1, 2 or 4 bytes each; in q32d the lowest value means "no value"
      var d =
        c.width === 1
          ? new Int8Array(buf, c.offset, c.n)
          : c.width === 2
            ? new Int16Array(buf, c.offset, c.n)
            : new Int32Array(buf, c.offset, c.n);
      var nan = c.enc === 'q32d' ? -Math.pow(2, 8 * c.width - 1) : NaN; // the lowest value of the width
      var acc = 0;
      var ex = c.x,
        e = 0; // deltas too big for the width: [index, delta, ...]
      for (var i = 0; i < c.n; i++) {
        var x = d[i];
        if (x === nan) {
          out[i] = NaN;
          continue;
        }
        if (ex[e] === i) {
          acc += ex[e + 1];
          e += 2;
        }
        acc += x;
        out[i] = acc * c.scale;
      }
    }
    return out;
  }

  function chartOptions(el, height) {
    return {
      width: el.clientWidth || 900,
      height: height,
      layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#1f2430', panes: { separatorColor: '#d0d4dc' } },
      grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
      rightPriceScale: { borderColor: '#d0d4dc' },
      timeScale: { borderColor: '#d0d4dc', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 },
    };
  }
  function paneLabel(chart, pane, text) {
    var panes = chart.panes();
    if (panes[pane] && LightweightCharts.createTextWatermark) {
      LightweightCharts.createTextWatermark(panes[pane], {
        horzAlign: 'left',
        vertAlign: 'top',
        lines: [{ text: text, color: 'rgba(31,36,48,0.45)', fontSize: 12 }],
      });
    }
  }
  function resizeWith(el, chart) {
    if (typeof ResizeObserver === 'undefined') return;
    new ResizeObserver(function () {
      chart.applyOptions({ width: el.clientWidth });
    }).observe(el);
  }

  // ---- price chart with level of detail -----------------------------------------------------
  function priceChart(sec, col) {
    var el = document.getElementById('chart-' + sec.id);
    var legend = document.getElementById('legend-' + sec.id);
    el.textContent = '';
    var n = sec.n;
    var t = col(sec.time),
      o = col(sec.open),
      h = col(sec.high),
      l = col(sec.low),
      c = col(sec.close),
      v = col(sec.volume);
    var d = sec.decimals;
    var priceFormat = { type: 'price', precision: d, minMove: Math.pow(10, -d) };
    // a series is stored, or derived from the closes (buy & hold = close x factor)
    var values = function (s) {
      return s.closeTimes !== undefined
        ? c.map(function (x) {
            return x * s.closeTimes;
          })
        : col(s.values);
    };
    var overlays = sec.overlays.map(function (s) {
      return { name: s.name, style: s.style, data: values(s) };
    });
    var panes = sec.panes.map(function (p) {
      return {
        title: p.title,
        series: p.series.map(function (s) {
          return { name: s.name, style: s.style, data: values(s) };
        }),
      };
    });
    var equity = sec.equity
      ? sec.equity.series.map(function (s) {
          return { name: s.name, data: values(s) };
        })
      : [];
    var drawdown = null;
    if (sec.equity && sec.equity.drawdown && equity.length) {
      var eq = equity[0].data;
      drawdown = new Float64Array(n);
      var peak = -Infinity;
      for (var i = 0; i < n; i++) {
        var e = eq[i];
        if (e > peak) peak = e;
        drawdown[i] = isFinite(e) && peak > 0 ? (e / peak - 1) * 100 : NaN;
      }
    }

    var height = 380 + panes.length * 130 + (equity.length ? 170 : 0) + (drawdown ? 120 : 0);
    var chart = LightweightCharts.createChart(el, chartOptions(el, height));
    resizeWith(el, chart);
    var candleSeries = chart.addSeries(
      LightweightCharts.CandlestickSeries,
      {
        upColor: UP,
        downColor: DOWN,
        borderVisible: false,
        wickUpColor: UP,
        wickDownColor: DOWN,
        priceFormat: priceFormat,
        title: sec.symbol,
      },
      0,
    );
    var volumeSeries = chart.addSeries(
      LightweightCharts.HistogramSeries,
      { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false },
      0,
    );
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    var k = 0;
    var overlaySeries = overlays.map(function (s) {
      return chart.addSeries(
        LightweightCharts.LineSeries,
        {
          color: COLORS[(k++ + 1) % COLORS.length],
          lineWidth: 1,
          title: s.name,
          priceFormat: priceFormat,
          lastValueVisible: false,
          priceLineVisible: false,
          crosshairMarkerVisible: false,
        },
        0,
      );
    });
    var paneIndex = 0;
    var paneSeries = panes.map(function (p) {
      paneIndex++;
      var m = 0;
      return p.series.map(function (s) {
        var opts = { title: s.name, lastValueVisible: false, priceLineVisible: false };
        if (s.style === 'histogram') return chart.addSeries(LightweightCharts.HistogramSeries, opts, paneIndex);
        opts.color = COLORS[m++ % COLORS.length];
        opts.lineWidth = 1;
        return chart.addSeries(LightweightCharts.LineSeries, opts, paneIndex);
      });
    });
    var equityPane = -1,
      ddPane = -1;
    var equitySeries = [];
    if (equity.length) {
      equityPane = ++paneIndex;
      equitySeries = equity.map(function (s, j) {
        return chart.addSeries(
          LightweightCharts.LineSeries,
          {
            title: s.name,
            color: j === 0 ? '#2962ff' : '#9e9e9e',
            lineWidth: j === 0 ? 2 : 1,
            lineStyle: j === 0 ? 0 : 2,
            priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
          },
          equityPane,
        );
      });
    }
    var ddSeries = null;
    if (drawdown) {
      ddPane = ++paneIndex;
      ddSeries = chart.addSeries(
        LightweightCharts.AreaSeries,
        {
          title: 'drawdown %',
          lineColor: DOWN,
          topColor: 'rgba(239,83,80,0.05)',
          bottomColor: 'rgba(239,83,80,0.35)',
          invertFilledArea: true,
          lineWidth: 1,
          priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
        },
        ddPane,
      );
    }
    var paneList = chart.panes();
    // share the height: price 380 px, equity 170, each other pane 120 (as stretch factors)
    for (var p = 0; p < paneList.length; p++) paneList[p].setStretchFactor(p === 0 ? 380 : p === equityPane ? 170 : 120);
    paneLabel(
      chart,
      0,
      sec.symbol +
        ' ' +
        sec.timeframe +
        (overlays.length
          ? ' · ' +
            overlays
              .map(function (s) {
                return s.name;
              })
              .join(', ')
          : ''),
    );
    panes.forEach(function (p, j) {
      paneLabel(chart, j + 1, p.title);
    });
    if (equityPane > 0)
      paneLabel(
        chart,
        equityPane,
        equity
          .map(function (s) {
            return s.name;
          })
          .join(' vs '),
      );
    if (ddPane > 0) paneLabel(chart, ddPane, 'drawdown (%)');

    var markerApi = LightweightCharts.createSeriesMarkers(candleSeries, []);
    var markers = sec.markers
      .map(function (m) {
        return { time: m[0], kind: m[1], side: m[2], price: m[3], size: m[4], label: m[5], reason: m[6] };
      })
      .sort(function (a, b) {
        return a.time - b.time;
      });
    var markerIdx = markers.map(function (m) {
      return upperBound(t, m.time) - 1;
    });

    // bars currently given to the chart: groups [gs[g], ge[g]) of candles
    var S0 = Math.max(1, Math.ceil(n / OVERVIEW_BARS));
    var view = { gs: null, ge: null, times: null, dA: 0, dB: 0, step: S0, groupMarkers: null };

    function upperBound(arr, x) {
      var lo = 0,
        hi = arr.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (arr[mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }

    function plan(dA, dB, s) {
      var starts = [];
      var i;
      for (i = 0; i < dA; i += S0) starts.push(i);
      for (i = dA; i < dB; i += s) starts.push(i);
      for (i = dB; i < n; i += S0) starts.push(i);
      var gs = Int32Array.from(starts);
      var ge = new Int32Array(gs.length);
      for (var g = 0; g < gs.length; g++) ge[g] = g + 1 < gs.length ? gs[g + 1] : n;
      return { gs: gs, ge: ge };
    }

    function lastFinite(a, s, e) {
      for (var i = e - 1; i >= s; i--) if (a[i] === a[i]) return a[i];
      return NaN;
    }

    function build(dA, dB, s) {
      var pl = plan(dA, dB, s);
      var gs = pl.gs,
        ge = pl.ge,
        G = gs.length;
      var times = new Float64Array(G);
      var cd = new Array(G),
        vd = new Array(G);
      for (var g = 0; g < G; g++) {
        var a = gs[g],
          b = ge[g];
        var hi = -Infinity,
          lo = Infinity,
          vol = 0;
        for (var i = a; i < b; i++) {
          if (h[i] > hi) hi = h[i];
          if (l[i] < lo) lo = l[i];
          vol += v[i];
        }
        var time = t[a] / 1000;
        times[g] = t[a];
        cd[g] = { time: time, open: o[a], high: hi, low: lo, close: c[b - 1] };
        vd[g] = { time: time, value: vol, color: c[b - 1] >= o[a] ? 'rgba(38,166,154,0.35)' : 'rgba(239,83,80,0.35)' };
      }
      candleSeries.setData(cd);
      volumeSeries.setData(vd);
      function line(arr, style) {
        var out = new Array(G);
        for (var g = 0; g < G; g++) {
          var x = lastFinite(arr, gs[g], ge[g]);
          var time = t[gs[g]] / 1000;
          out[g] =
            x === x
              ? style === 'histogram'
                ? { time: time, value: x, color: x >= 0 ? 'rgba(38,166,154,0.6)' : 'rgba(239,83,80,0.6)' }
                : { time: time, value: x }
              : { time: time };
        }
        return out;
      }
      overlays.forEach(function (s, j) {
        overlaySeries[j].setData(line(s.data, 'line'));
      });
      panes.forEach(function (p, j) {
        p.series.forEach(function (s, m) {
          paneSeries[j][m].setData(line(s.data, s.style));
        });
      });
      equity.forEach(function (s, j) {
        equitySeries[j].setData(line(s.data, 'line'));
      });
      if (ddSeries) {
        var dd = new Array(G);
        for (var g2 = 0; g2 < G; g2++) {
          var worst = NaN;
          for (var i2 = gs[g2]; i2 < ge[g2]; i2++) {
            var x2 = drawdown[i2];
            if (x2 === x2 && !(x2 >= worst)) worst = x2;
          }
          dd[g2] = worst === worst ? { time: t[gs[g2]] / 1000, value: worst } : { time: t[gs[g2]] / 1000 };
        }
        ddSeries.setData(dd);
      }
      // markers on the bar that holds them; on a merged bar, one marker per kind and side with
      // the number of trades it stands for (a thousand arrows on one bar would hide the price)
      var gm = {};
      var list = [];
      var merged = {};
      markers.forEach(function (m, j) {
        var g = upperBound(gs, Math.max(0, markerIdx[j])) - 1;
        (gm[g] = gm[g] || []).push(m);
        var buy = m.side === 'buy';
        var key = g + m.kind + m.side;
        if (ge[g] - gs[g] > 1 && merged[key]) {
          merged[key].count++;
          return;
        }
        var mk = {
          id: m.kind + '-' + j,
          time: t[gs[g]] / 1000,
          position: buy ? 'belowBar' : 'aboveBar',
          shape: m.kind === 'exit' ? 'square' : buy ? 'arrowUp' : 'arrowDown',
          color: buy ? '#0f8a4b' : '#c62828',
          text: markers.length <= 80 ? m.label : '',
          size: m.kind === 'exit' ? 0.6 : 1,
          count: 1,
        };
        merged[key] = mk;
        list.push(mk);
      });
      var counts = {};
      list = list.map(function (mk) {
        counts[mk.id] = mk.count;
        var out = {
          id: mk.id,
          time: mk.time,
          position: mk.position,
          shape: mk.shape,
          color: mk.color,
          text: mk.count > 1 ? '×' + mk.count : mk.text,
          size: mk.size,
        };
        return out;
      });
      markerApi.setMarkers(list);
      view = { gs: gs, ge: ge, times: times, dA: dA, dB: dB, step: s, groupMarkers: gm, counts: counts };
    }

    function groupOfTime(ms) {
      return Math.max(0, upperBound(view.times, ms) - 1);
    }

    var pending = 0;
    function onRange() {
      if (pending) return;
      pending = requestAnimationFrame(function () {
        pending = 0;
        var r = chart.timeScale().getVisibleLogicalRange();
        if (!r || !view.gs) return;
        var G = view.gs.length;
        var g0 = Math.min(G - 1, Math.max(0, Math.floor(r.from)));
        var g1 = Math.min(G - 1, Math.max(0, Math.ceil(r.to)));
        var a = view.gs[g0],
          b = view.ge[g1];
        var span = Math.max(1, b - a);
        var want = 1;
        while (want * TARGET_BARS < span) want *= 2;
        if (want >= S0) {
          if (view.dB > view.dA) relayout(0, 0, S0, a, b);
          return;
        }
        if (want === view.step && a >= view.dA && b <= view.dB) return;
        var dA = Math.floor(Math.max(0, a - span) / S0) * S0;
        var dB = Math.min(n, Math.ceil((b + span) / S0) * S0);
        relayout(dA, dB, want, a, b);
      });
    }
    function relayout(dA, dB, s, a, b) {
      var ts = chart.timeScale();
      var before = ts.getVisibleLogicalRange();
      var frac0 = before ? before.from - Math.floor(before.from) : 0;
      build(dA, dB, s);
      var g0 = groupOfTime(t[a]);
      var g1 = groupOfTime(t[Math.max(a, b - 1)]);
      ts.setVisibleLogicalRange({ from: g0 + frac0, to: g1 + 0.5 });
    }

    build(0, 0, S0);
    chart.timeScale().fitContent();
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);

    function defaultLegend() {
      var last = n - 1;
      legend.textContent = n
        ? sec.symbol +
          ' ' +
          sec.timeframe +
          '  ' +
          timeText(t[0]) +
          ' .. ' +
          timeText(t[last]) +
          '  ' +
          n.toLocaleString('en-US') +
          ' candles' +
          (S0 > 1 ? ' (overview: ' + S0 + ' candles per bar; zoom in for every candle)' : '') +
          '  ·  ' +
          markers.length +
          ' markers'
        : 'no candles';
    }
    chart.subscribeCrosshairMove(function (param) {
      if (!param || param.time === undefined || !view.times) {
        defaultLegend();
        return;
      }
      var g = groupOfTime(param.time * 1000);
      var a = view.gs[g],
        b = view.ge[g];
      var hi = -Infinity,
        lo = Infinity;
      for (var i = a; i < b; i++) {
        if (h[i] > hi) hi = h[i];
        if (l[i] < lo) lo = l[i];
      }
      var parts = [
        timeText(t[a]) + (b - a > 1 ? ' (+' + (b - a - 1) + ' candles)' : ''),
        'O ' + fmt(o[a], d),
        'H ' + fmt(hi, d),
        'L ' + fmt(lo, d),
        'C ' + fmt(c[b - 1], d),
      ];
      overlays.forEach(function (s) {
        parts.push(s.name + ' ' + fmt(lastFinite(s.data, a, b), d));
      });
      panes.forEach(function (p) {
        p.series.forEach(function (s) {
          parts.push(s.name + ' ' + fmt(lastFinite(s.data, a, b), 2));
        });
      });
      equity.forEach(function (s) {
        parts.push(s.name + ' ' + fmt(lastFinite(s.data, a, b), 2));
      });
      var text = parts.join('  ');
      var ms = view.groupMarkers[g] || [];
      ms.forEach(function (m) {
        text +=
          '\n' +
          m.label +
          ' ' +
          m.kind +
          ' ' +
          m.side +
          ' · ' +
          timeText(m.time) +
          ' · price ' +
          fmt(m.price, d) +
          ' · size ' +
          m.size +
          ' · ' +
          m.reason;
      });
      legend.textContent = text;
    });
    defaultLegend();

    report.charts[sec.id] = {
      kind: 'price',
      candles: n,
      overviewStep: S0,
      /** Trades (fills) the drawn markers stand for: every one, whatever the zoom. */
      markers: function () {
        return markerApi.markers().reduce(function (a, m) {
          return a + view.counts[m.id];
        }, 0);
      },
      markersOf: function (kind) {
        return markerApi.markers().reduce(function (a, m) {
          return a + (m.id.indexOf(kind + '-') === 0 ? view.counts[m.id] : 0);
        }, 0);
      },
      /** Marker shapes drawn (merged bars draw one per kind and side). */
      drawnMarkers: function () {
        return markerApi.markers().length;
      },
      bars: function () {
        return view.gs ? view.gs.length : 0;
      },
      paneHeights: function () {
        return chart.panes().map(function (p) {
          return p.getHeight();
        });
      },
      step: function () {
        return view.dB > view.dA ? view.step : S0;
      },
      /** The x pixel of the bar holding time `ms` (tests hover there). */
      xOf: function (ms) {
        return chart.timeScale().timeToCoordinate(view.times[groupOfTime(ms)] / 1000);
      },
      /** Zoom to candles [a, b) (tests, and a deep link some day). */
      zoomTo: function (a, b) {
        var g0 = groupOfTime(t[a]),
          g1 = groupOfTime(t[Math.min(n - 1, b - 1)]);
        chart.timeScale().setVisibleLogicalRange({ from: g0, to: g1 });
      },
    };
  }

  // ---- lines over time (equity curves side by side, balances) ---------------------------------
  function linesChart(sec, col) {
    var el = document.getElementById('chart-' + sec.id);
    var legend = document.getElementById('legend-' + sec.id);
    el.textContent = '';
    var chart = LightweightCharts.createChart(el, chartOptions(el, 360));
    resizeWith(el, chart);
    var fmtOpts = { type: 'price', precision: 2, minMove: 0.01 };
    legend.textContent = '';
    sec.series.forEach(function (s, j) {
      var color = COLORS[j % COLORS.length];
      var series = chart.addSeries(LightweightCharts.LineSeries, {
        color: color,
        lineWidth: 2,
        lineStyle: j % 4 === 0 ? 0 : j % 4,
        title: '',
        priceFormat: fmtOpts,
        lastValueVisible: false,
        priceLineVisible: false,
      });
      var times = col(s.times),
        values = col(s.values);
      var data = [];
      for (var i = 0; i < s.n; i++) {
        var time = Math.floor(times[i] / 1000);
        if (values[i] !== values[i]) continue;
        if (data.length && data[data.length - 1].time >= time)
          data[data.length - 1] = { time: data[data.length - 1].time, value: values[i] };
        else data.push({ time: time, value: values[i] });
      }
      series.setData(data);
      var item = document.createElement('span');
      var sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(s.name + (sec.unit === '%' ? ' (%)' : '')));
      legend.appendChild(item);
    });
    chart.timeScale().fitContent();
    report.charts[sec.id] = { kind: 'lines', series: sec.series.length };
  }

  // ---- tables --------------------------------------------------------------------------------
  // Every row is in the page as JSON; the table shows the first PAGE rows of the current order
  // and filter (more on request), so a table of 20,000 trades opens as fast as one of 20.
  var PAGE = 200; // as TABLE_PAGE in html.ts
  function cellText(v, th) {
    if (v === null || v === undefined || v === '') return '';
    if (th.dataset.type === 'time' && typeof v === 'number') return timeText(v);
    if (typeof v === 'number') return th.dataset.decimals !== undefined ? v.toFixed(Number(th.dataset.decimals)) : String(v);
    return String(v);
  }
  function dataTable(section) {
    var table = section.querySelector('table.data');
    var json = section.querySelector('script.table-rows');
    if (!table || !json) return;
    var rows = JSON.parse(json.textContent);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var text = section.querySelector('.filter-text');
    var select = section.querySelector('.filter-column');
    var count = section.querySelector('.more .count');
    var more = section.querySelector('.show-more');
    var order = rows.map(function (_r, i) {
      return i;
    });
    var shown = order;
    var limit = PAGE;
    var lower = null; // each row's text, lower case, made on the first filter
    function render() {
      var body = document.createElement('tbody');
      var n = Math.min(limit, shown.length);
      for (var i = 0; i < n; i++) {
        var r = rows[shown[i]];
        var tr = document.createElement('tr');
        for (var k = 0; k < heads.length; k++) {
          var th = heads[k],
            v = r[k],
            td = document.createElement('td');
          if (th.dataset.type !== 'text') td.className = 'num';
          if (th.dataset.pnl && typeof v === 'number' && v !== 0) td.className += v > 0 ? ' pos' : ' neg';
          if (typeof v === 'number') td.setAttribute('data-sort', String(v));
          td.textContent = cellText(v, th);
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      table.replaceChild(body, table.tBodies[0]);
      if (count)
        count.textContent =
          (n < shown.length ? 'the first ' + n + ' of ' : '') +
          shown.length +
          (shown.length === rows.length ? ' rows' : ' matching rows of ' + rows.length);
      if (more) more.hidden = n >= shown.length;
    }
    function applyFilter() {
      var q = text ? text.value.trim().toLowerCase() : '';
      var col = select ? Number(select.dataset.column) : -1;
      var want = select ? select.value : '';
      if (q && !lower)
        lower = rows.map(function (r) {
          return r
            .map(function (v, k) {
              return cellText(v, heads[k]);
            })
            .join(' ')
            .toLowerCase();
        });
      shown = order.filter(function (i) {
        return (!q || lower[i].indexOf(q) >= 0) && (!want || String(rows[i][col] === null ? '' : rows[i][col]) === want);
      });
      limit = PAGE;
      render();
    }
    if (table.classList.contains('sortable')) {
      heads.forEach(function (th, k) {
        function sort() {
          var asc = th.getAttribute('aria-sort') !== 'ascending';
          heads.forEach(function (x) {
            x.removeAttribute('aria-sort');
          });
          th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
          var numeric = th.dataset.type !== 'text';
          var key = function (i) {
            var v = rows[i][k];
            return numeric ? (typeof v === 'number' ? v : -Infinity) : v === null ? '' : String(v);
          };
          order = order.slice().sort(function (a, b) {
            var x = key(a),
              y = key(b);
            var c = numeric ? x - y : x < y ? -1 : x > y ? 1 : 0;
            return (asc ? c : -c) || a - b;
          });
          applyFilter();
        }
        th.addEventListener('click', sort);
        th.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            sort();
          }
        });
      });
    }
    if (text) text.addEventListener('input', applyFilter);
    if (select) select.addEventListener('change', applyFilter);
    if (more)
      more.addEventListener('click', function () {
        limit += PAGE;
        render();
      });
  }

  // ---- start ---------------------------------------------------------------------------------
  function start() {
    var t0 = performance.now();
    document.querySelectorAll('section.table').forEach(function (s) {
      try {
        dataTable(s);
      } catch (e) {
        fail('table', e);
      }
    });
    var model;
    try {
      model = JSON.parse(document.getElementById('report-model').textContent);
    } catch (e) {
      fail('report data', e);
      return finish(t0);
    }
    if (!model.charts.length) return finish(t0);
    if (typeof LightweightCharts === 'undefined') {
      fail('charts', new Error('the charting library did not load'));
      return finish(t0);
    }
    var text = document.getElementById('report-data').textContent.trim();
    report.timings.tables = performance.now() - t0;
    var buf;
    try {
      buf = base64Bytes(text).buffer;
    } catch (e) {
      fail('report data', e);
      return finish(t0);
    }
    report.timings.base64 = performance.now() - t0;
    // a frame for the tables and the text to show before the charts are drawn
    requestAnimationFrame(function () {
      var col = function (i) {
        return column(buf, model.columns[i]);
      };
      model.charts.forEach(function (sec) {
        try {
          if (sec.kind === 'price') priceChart(sec, col);
          else if (sec.kind === 'lines') linesChart(sec, col);
        } catch (e) {
          fail('chart ' + sec.id, e);
        }
        report.timings['chart ' + sec.id] = performance.now() - t0;
      });
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          finish(t0);
        });
      });
    });
  }
  function finish(t0) {
    report.readyMs = performance.now() - t0;
    report.readyAt = performance.now(); // since the navigation started
    report.ready = true;
    document.body.setAttribute('data-ready', '1');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
