// uPlot and its stylesheet, imported together on demand (`import('./uplot')`): the chart library
// is loaded only by pages that draw charts, in parallel with their data.
//
// Why uPlot: a canvas time-series chart of ~50 kB minified (~22 kB gzipped) with no dependencies,
// built for many points and fast redraws (the dashboards redraw on every live update). Chart.js
// even tree-shaken is about three times the size; ECharts ten times.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
