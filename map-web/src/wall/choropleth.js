// choropleth: grid metrics, quantile class breaks and the colour ramp. Pure functions, no DOM.

/**
 * The metrics a grid can be coloured by; density is persons per km². openCases and overdueCases
 * are live (cases/by-grid, refreshed as case events arrive); the others come with the grids.
 */
export const METRICS = ['density', 'persons', 'houses', 'enterprises', 'openCases', 'overdueCases'];
export const DEFAULT_METRIC = 'density';

/** Dark-to-bright ramp that reads on a navy ground: deep blue → cyan → green → amber. */
const RAMP = ['#143a66', '#17609a', '#1c8bbd', '#25b9c9', '#5fd6a0', '#c6e46a', '#ffcf3f'];
export const NO_DATA_COLOUR = '#2a3a52';

/** The value of metric for one grid's properties (null when it cannot be computed). */
export function metricValue(props, metric) {
  if (metric === 'density') {
    const area = Number(props.areaKm2);
    return area > 0 ? Number(props.persons) / area : null;
  }
  const v = Number(props[metric]);
  return Number.isFinite(v) ? v : null;
}

/**
 * Quantile classes of values: up to `classes` classes with about the same number of grids
 * each; equal breaks (many zeros, say) merge, so fewer classes may come back.
 * Returns [{from, to, colour, count}], ascending; class i holds from <= v < to (the last: v <= to).
 */
export function quantileClasses(values, classes = 6) {
  const sorted = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return [];
  }
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  // Class starts: the minimum, then the value at each quantile, skipping repeats.
  const starts = [min];
  for (let i = 1; i < classes; i++) {
    const b = sorted[Math.floor((i * sorted.length) / classes)];
    if (b > starts[starts.length - 1]) {
      starts.push(b);
    }
  }
  const k = starts.length;
  const result = starts.map((from, i) => ({
    from,
    to: i + 1 < k ? starts[i + 1] : max,
    colour: rampColour(i, k),
    count: 0,
  }));
  for (const v of sorted) {
    result[classIndex(result, v)].count++;
  }
  return result;
}

/** Index of the class that holds v (values outside the range go to the nearest end). */
export function classIndex(cls, v) {
  for (let i = 0; i < cls.length - 1; i++) {
    if (v < cls[i + 1].from) {
      return i;
    }
  }
  return cls.length - 1;
}

/** The colour for v under the given classes. */
export function colourFor(cls, v) {
  if (v === null || !Number.isFinite(v) || cls.length === 0) {
    return NO_DATA_COLOUR;
  }
  return cls[classIndex(cls, v)].colour;
}

/** k colours spread evenly over the ramp, so that 3 classes still run from dark to bright. */
function rampColour(i, k) {
  if (k === 1) {
    return RAMP[Math.floor(RAMP.length / 2)];
  }
  return RAMP[Math.round((i * (RAMP.length - 1)) / (k - 1))];
}
