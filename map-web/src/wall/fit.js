// fit: where on the map an area is shown whole, as large as the map allows. Panels float over the
// map (the zoom buttons top left, the column of cards along the right edge), so the area goes into
// the part of the map clear of them in which it comes out largest: above the cards for a district
// that is wider than tall (Haizhu, an island in the Pearl River), beside them for a tall one.
// The zoom that fills that part is used as it is, fractional: the wall's quarter steps would
// leave up to a sixth of it empty.

/** Room kept between the area and the map's edges or a panel, in CSS pixels. */
export const MARGIN = 12;

/**
 * The rectangles of a width × height frame that no obstacle box ({left, top, right, bottom} in the
 * frame's pixels) covers, kept MARGIN away from the frame's edges and the obstacles. Their sides
 * lie on those edges, so the largest clear rectangles are among them.
 */
export function clearRectangles(width, height, obstacles) {
  const boxes = obstacles.map((o) => ({
    left: o.left - MARGIN, top: o.top - MARGIN, right: o.right + MARGIN, bottom: o.bottom + MARGIN,
  }));
  const xs = cuts(width, boxes.flatMap((b) => [b.left, b.right]));
  const ys = cuts(height, boxes.flatMap((b) => [b.top, b.bottom]));
  const out = [];
  for (const left of xs) {
    for (const right of xs.filter((x) => x > left)) {
      for (const top of ys) {
        for (const bottom of ys.filter((y) => y > top)) {
          if (!boxes.some((b) => left < b.right && right > b.left && top < b.bottom && bottom > b.top)) {
            out.push({ left, top, right, bottom });
          }
        }
      }
    }
  }
  return out;
}

/** The frame's edges (MARGIN inside) and the obstacles' edges within them, in order. */
function cuts(size, edges) {
  const inside = edges.filter((e) => e > MARGIN && e < size - MARGIN);
  return [...new Set([MARGIN, size - MARGIN, ...inside])].sort((a, b) => a - b);
}

/**
 * Of the rectangles, the one in which a box of boxWidth × boxHeight pixels can be shown largest:
 * {rect, scale}, scale being how many times larger than now. On a tie, the one whose centre is
 * nearest the frame's (width × height) centre. Null when there is no rectangle.
 */
export function largestFit(rects, boxWidth, boxHeight, width, height) {
  let best = null;
  for (const rect of rects) {
    const scale = Math.min((rect.right - rect.left) / Math.max(boxWidth, 1e-9), (rect.bottom - rect.top) / Math.max(boxHeight, 1e-9));
    const off = Math.hypot((rect.left + rect.right - width) / 2, (rect.top + rect.bottom - height) / 2);
    if (!best || scale > best.scale * 1.0001 || (scale > best.scale * 0.9999 && off < best.off)) {
      best = { rect, scale, off };
    }
  }
  return best && { rect: best.rect, scale: best.scale };
}
