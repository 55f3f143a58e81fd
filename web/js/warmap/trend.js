// warmap/trend.js - the twelve-month trend (GET /dashboard's trend): items
// assigned (交办) and closed (销号) per month as bars, and the share of the
// closed ones closed on time as a line, drawn with ECharts.

function monthLabel(m) {
  const [y, mm] = m.split('-');
  return +mm === 1 ? `${y}年1月` : `${+mm}月`;
}

/* Draws into el; returns {update(trend), resize(), dispose()}. opts: {dark}. */
export function createTrend(el, opts = {}) {
  const dark = !!opts.dark;
  const ink = dark ? '#c9d6ea' : '#4b5563';
  const grid = dark ? '#1e3558' : '#e5e8ec';
  const fs = dark ? 15 : 12;
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    backgroundColor: 'transparent',
    animation: false,
    tooltip: {
      trigger: 'axis',
      confine: true,
      backgroundColor: dark ? 'rgba(10,22,40,.95)' : '#fff',
      textStyle: { color: dark ? '#e8eef8' : '#1f2937', fontSize: fs },
      valueFormatter: (v) => (v === null || v === undefined ? '—' : String(v)),
    },
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: ink, fontSize: fs } },
    grid: { left: 8, right: 8, top: 34, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category', data: [], axisLabel: { color: ink, fontSize: fs - 1 },
      axisLine: { lineStyle: { color: grid } }, axisTick: { show: false },
    },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: { color: ink, fontSize: fs - 1 }, splitLine: { lineStyle: { color: grid } } },
      {
        type: 'value', min: 0, max: 100, axisLabel: { color: ink, fontSize: fs - 1, formatter: '{value}%' },
        splitLine: { show: false },
      },
    ],
    series: [
      { name: '交办', type: 'bar', barMaxWidth: 16, itemStyle: { color: dark ? '#4f8fe6' : '#7aa7e0', borderRadius: [2, 2, 0, 0] }, data: [] },
      { name: '销号', type: 'bar', barMaxWidth: 16, itemStyle: { color: dark ? '#2fbf71' : '#2e7d32', borderRadius: [2, 2, 0, 0] }, data: [] },
      {
        name: '按期销号率', type: 'line', yAxisIndex: 1, smooth: false, connectNulls: true, symbolSize: 6,
        lineStyle: { width: 2, color: dark ? '#f2b705' : '#b7791f' }, itemStyle: { color: dark ? '#f2b705' : '#b7791f' },
        tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : v + '%') },
        data: [],
      },
    ],
  });
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return {
    chart,
    update(trend) {
      const t = trend || [];
      chart.setOption({
        xAxis: { data: t.map((m) => monthLabel(m.month)) },
        series: [
          { data: t.map((m) => m.opened) },
          { data: t.map((m) => m.closed) },
          { data: t.map((m) => (m.closed ? Math.round((m.closed_on_time / m.closed) * 1000) / 10 : null)) },
        ],
      });
      el.dataset.months = String(t.length);
    },
    resize: onResize,
    dispose() {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    },
  };
}
