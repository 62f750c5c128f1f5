// Apache ECharts, only the parts the map wall's KPI panels draw (wall/charts.js): bar and pie
// charts on canvas, with grid, tooltip and legend. Tree-shaken to keep the bundle small.
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
export { echarts };
