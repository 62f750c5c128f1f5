// labels: where to put an area's name (the pole of inaccessibility of its largest part, which
// stays inside concave shapes where a centroid would not) and hiding labels that would overlap.

/**
 * The label point of a GeoJSON Polygon or MultiPolygon geometry, as [lat, lng].
 * Uses the polylabel algorithm (Mapbox, ISC licence; re-written here) on the largest part,
 * in a local plane where a degree of longitude is shortened by cos(latitude).
 */
export function labelPoint(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = null;
  let bestArea = -1;
  for (const rings of polygons) {
    const a = Math.abs(ringArea(rings[0]));
    if (a > bestArea) {
      bestArea = a;
      best = rings;
    }
  }
  const lat0 = (best[0][0][1] * Math.PI) / 180;
  const k = Math.cos(lat0);
  const plane = best.map((ring) => ring.map(([lng, lat]) => [lng * k, lat]));
  const [x, y] = polylabel(plane);
  return [y, x / k];
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum / 2;
}

/** The point inside polygon (rings of [x, y]) farthest from its edges, to about 1% of its size. */
function polylabel(polygon) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of polygon[0]) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const cellSize = Math.min(width, height);
  if (cellSize === 0) {
    return [minX, minY];
  }
  const precision = Math.max(width, height) / 100;
  const queue = [];
  const push = (cell) => {
    queue.push(cell);
    queue.sort((a, b) => a.max - b.max);
  };
  let h = cellSize / 2;
  for (let x = minX; x < maxX; x += cellSize) {
    for (let y = minY; y < maxY; y += cellSize) {
      push(makeCell(x + h, y + h, h, polygon));
    }
  }
  let best = centroidCell(polygon);
  const boxCell = makeCell(minX + width / 2, minY + height / 2, 0, polygon);
  if (boxCell.d > best.d) {
    best = boxCell;
  }
  while (queue.length) {
    const cell = queue.pop();
    if (cell.d > best.d) {
      best = cell;
    }
    if (cell.max - best.d <= precision) {
      continue;
    }
    h = cell.h / 2;
    push(makeCell(cell.x - h, cell.y - h, h, polygon));
    push(makeCell(cell.x + h, cell.y - h, h, polygon));
    push(makeCell(cell.x - h, cell.y + h, h, polygon));
    push(makeCell(cell.x + h, cell.y + h, h, polygon));
  }
  return [best.x, best.y];
}

function makeCell(x, y, h, polygon) {
  const d = signedDistance(x, y, polygon);
  return { x, y, h, d, max: d + h * Math.SQRT2 };
}

function centroidCell(polygon) {
  let area = 0;
  let x = 0;
  let y = 0;
  const ring = polygon[0];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    const f = a[0] * b[1] - b[0] * a[1];
    x += (a[0] + b[0]) * f;
    y += (a[1] + b[1]) * f;
    area += f * 3;
  }
  if (area === 0) {
    return makeCell(ring[0][0], ring[0][1], 0, polygon);
  }
  return makeCell(x / area, y / area, 0, polygon);
}

/** Distance from (x, y) to the polygon outline; negative outside. */
function signedDistance(x, y, polygon) {
  let inside = false;
  let minSq = Infinity;
  for (const ring of polygon) {
    for (let i = 0, len = ring.length, j = len - 1; i < len; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if ((a[1] > y) !== (b[1] > y) && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) {
        inside = !inside;
      }
      minSq = Math.min(minSq, segmentDistanceSq(x, y, a, b));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minSq);
}

function segmentDistanceSq(px, py, a, b) {
  let x = a[0];
  let y = a[1];
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b[0];
      y = b[1];
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/**
 * How far a label's glow (the dark text-shadow of .map-label in wall.css) reaches beyond its text:
 * two names whose text boxes merely do not touch still run into one another through it, and read
 * as one ("沙园街道素社街道"), so each name keeps this much clear around its text.
 */
export const HALO = 6;

/**
 * Shows labels in the order given (most important first). A label that would overlap one already
 * shown, or one of the obstacles (panels floating over the map), is tried in a smaller size
 * (the CSS class "compact"; its data-compact attribute says how much smaller, default 0.8), then
 * that size half a line and a line above or below its point, and is hidden if it still overlaps.
 * Labels that would stick out of the frame element (the map) are treated the same way.
 * Elements without a box (display:none) are skipped. The page is laid out once: all boxes are
 * measured first, then all placements written (a read after each write would re-layout the
 * whole map per label).
 */
export function declutter(elements, frame, obstacles = [], gap = HALO) {
  for (const el of elements) {
    el.style.visibility = '';
    el.style.marginTop = '';
    el.classList.remove('compact');
  }
  const rect = (el) => el.getBoundingClientRect();
  const kept = obstacles.map(rect).filter((r) => r.width > 0 && r.height > 0)
    .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
  const measured = elements.map((el) => ({ el, r: rect(el) }));
  const f = rect(frame);
  const clashes = (box) =>
    box.left < f.left || box.right > f.right || box.top < f.top || box.bottom > f.bottom
    || kept.some((k) => box.left < k.right && box.right > k.left && box.top < k.bottom && box.bottom > k.top);
  const boxAround = (cx, cy, w, h) => ({
    left: cx - w / 2 - gap, right: cx + w / 2 + gap, top: cy - h / 2 - gap, bottom: cy + h / 2 + gap,
  });
  const placements = [];
  for (const { el, r } of measured) {
    if (r.width === 0) {
      continue;
    }
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    let box = boxAround(cx, cy, r.width, r.height);
    let place = clashes(box) ? null : { compact: false, dy: 0 };
    if (!place) {
      const scale = Number(el.dataset.compact) || 0.8;
      const w = r.width * scale;
      const h = r.height * scale;
      const dy = [0, -0.6 * h, 0.6 * h, -1.1 * h, 1.1 * h].find((d) => !clashes(boxAround(cx, cy + d, w, h)));
      if (dy !== undefined) {
        box = boxAround(cx, cy + dy, w, h);
        place = { compact: true, dy: Math.round(dy) };
      }
    }
    if (place) {
      kept.push(box);
    }
    placements.push({ el, place });
  }
  for (const { el, place } of placements) {
    if (!place) {
      el.style.visibility = 'hidden';
    } else if (place.compact) {
      el.classList.add('compact');
      el.style.marginTop = place.dy ? place.dy + 'px' : '';
    }
  }
}
