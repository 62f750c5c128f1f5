// charts: the wall's two case charts, drawn with Apache ECharts (npm, bundled into /vendor/):
// open cases by phase (a donut) and open/overdue cases per street (bars). Each chart is created
// once and only given new data after that, so a wall that runs for days keeps one canvas each.

import { echarts } from '/vendor/charts.js';
import { el } from '/assets/dom.js';
import { formatNumber, t } from '/assets/i18n.js';
import { PHASES, phaseColour } from './livecases.js';

const TEXT = '#cfe6ff';
const MUTED = '#7f9bbb';
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';

/**
 * A tooltip as elements (ECharts takes them in place of an HTML string): a heading and one line
 * per [colour, text]. Names are data (street names) and go in as text, like everywhere else.
 */
function tip(heading, lines) {
  const box = el('div', 'chart-tip');
  box.append(el('strong', null, heading));
  for (const [colour, text] of lines) {
    const line = el('div');
    const dot = el('span', 'chart-tip-dot');
    dot.style.backgroundColor = colour;
    line.append(dot, text);
    box.append(line);
  }
  return box;
}

export function caseCharts(phaseElement, streetElement) {
  const phaseChart = echarts.init(phaseElement, null, { renderer: 'canvas' });
  const streetChart = echarts.init(streetElement, null, { renderer: 'canvas' });
  const resize = () => {
    phaseChart.resize();
    streetChart.resize();
  };
  window.addEventListener('resize', resize);

  /** summary: livecases' {byPhase, open}; */
  function phases(summary) {
    const data = Object.keys(PHASES).map((p) => ({
      name: t('wall.phase.' + p),
      value: summary.byPhase[p],
      itemStyle: { color: phaseColour(p) },
    }));
    phaseChart.setOption({
      animationDuration: 300,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'item', formatter: (p) => tip(p.name, [[p.color, `${formatNumber(p.value)}（${p.percent}%）`]]) },
      legend: { orient: 'vertical', right: 0, top: 'middle', textStyle: { color: TEXT, fontSize: 14 }, itemGap: 10 },
      title: undefined,
      series: [{
        type: 'pie',
        stillShowZeroSum: false,
        radius: ['52%', '78%'],
        center: ['32%', '50%'],
        avoidLabelOverlap: true,
        label: {
          show: true, position: 'center', color: TEXT, fontSize: 22, fontWeight: 'bold',
          formatter: () => `${formatNumber(summary.open)}\n{s|${t('wall.cases.open')}}`,
          rich: { s: { fontSize: 13, color: MUTED, lineHeight: 22 } },
        },
        labelLine: { show: false },
        itemStyle: { borderColor: '#061427', borderWidth: 2 },
        data,
      }],
    }, { notMerge: false });
    phaseElement.dataset.total = String(summary.open);
  }

  /** rows: [{name, open, overdue}] per street, drawn biggest first. */
  function streets(rows) {
    const sorted = [...rows].sort((a, b) => b.open - a.open);
    const names = sorted.map((r) => r.name.replace(/街道$/, ''));
    streetChart.setOption({
      animationDuration: 300,
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
      legend: { top: 0, right: 0, textStyle: { color: TEXT, fontSize: 13 }, itemWidth: 14, itemHeight: 10 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps) => tip(ps[0].name, ps.map((p) => [p.color, `${p.seriesName} ${formatNumber(p.value)}`])),
      },
      xAxis: { type: 'value', axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: '#17324f' } } },
      yAxis: {
        type: 'category', data: names, inverse: true,
        axisLabel: { color: TEXT, fontSize: 13 }, axisLine: { lineStyle: { color: '#2a4a6b' } }, axisTick: { show: false },
      },
      series: [
        { name: t('wall.cases.onTrack'), type: 'bar', stack: 'open', data: sorted.map((r) => r.open - r.overdue),
          itemStyle: { color: '#25b9c9' }, barMaxWidth: 14 },
        { name: t('wall.cases.overdue'), type: 'bar', stack: 'open', data: sorted.map((r) => r.overdue),
          itemStyle: { color: '#ff4d5e' }, barMaxWidth: 14 },
      ],
    });
    streetElement.dataset.rows = String(sorted.length);
  }

  return { phases, streets, resize };
}
