// vectortiles: a Leaflet layer that draws the server's Mapbox Vector Tiles (/tiles/{layer}/…mvt)
// on canvas, decoded with @mapbox/vector-tile (bundled from npm into /vendor/). Each tile keeps its
// decoded features, so a new style (another metric, a hovered grid) repaints without a download,
// and a click is answered from the features under the pointer. A tile leaving the view is dropped
// with its features and its request cancelled: the wall runs for days at a flat memory.
//
// style(properties, zoom) returns how to paint one feature, or null to skip it:
//   polygons: {fill, fillOpacity, stroke, width, dash}; points: {radius, fill, stroke, width}.

import { PbfReader, VectorTile } from '/vendor/vector-tile.js';

const L = window.L;
const POINT = 1;
const POLYGON = 3;

/** Even-odd test of a point (x, y) against a feature's rings (tile pixels). */
function insideRings(rings, x, y) {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if ((a.y > y) !== (b.y > y) && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) {
        inside = !inside;
      }
    }
  }
  return inside;
}

export const VectorTileLayer = L.GridLayer.extend({
  options: {
    layer: '',           // the server's layer name: grids, houses, …
    dataMinZoom: 0,      // below this the server has no tile for the layer: nothing is asked
    style: () => null,
    interactive: false,
    updateWhenZooming: false,
    keepBuffer: 1,
  },

  initialize(options) {
    L.GridLayer.prototype.initialize.call(this, options);
    this._decoded = new Map(); // tile key → {canvas, features, coords, scale}
    this._requests = new Map(); // tile key → AbortController
    this._epoch = 0;
    this.on('tileunload', (e) => this._forget(this._keyOf(e.coords)));
  },

  _keyOf(coords) {
    return `${coords.x}:${coords.y}:${coords.z}`;
  },

  createTile(coords, done) {
    const size = this.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    canvas.dataset.layer = this.options.layer;
    if (coords.z < this.options.dataMinZoom) {
      setTimeout(() => done(null, canvas), 0);
      return canvas;
    }
    const key = this._keyOf(coords);
    const abort = new AbortController();
    this._requests.set(key, abort);
    const url = `/tiles/${this.options.layer}/${coords.z}/${coords.x}/${coords.y}.mvt`;
    fetch(url, { credentials: 'same-origin', signal: abort.signal })
      .then((res) => {
        if (res.status === 404) {
          return new ArrayBuffer(0); // outside the layer's bounds: nothing to draw
        }
        if (!res.ok) {
          throw new Error(`${url}: HTTP ${res.status}`);
        }
        return res.arrayBuffer();
      })
      .then((buffer) => {
        this._requests.delete(key);
        const entry = { canvas, coords, ratio, features: this._decode(buffer, size.x) };
        this._decoded.set(key, entry);
        this._paint(entry);
        canvas.dataset.features = String(entry.features.length);
        done(null, canvas);
        this.fire('tiledecoded', { coords, count: entry.features.length });
      })
      .catch((err) => {
        this._requests.delete(key);
        if (err.name !== 'AbortError') {
          done(err, canvas);
        }
      });
    return canvas;
  },

  /** The features of one tile as {type, properties, geometry in tile pixels}. */
  _decode(buffer, tileSize) {
    if (buffer.byteLength === 0) {
      return [];
    }
    const tile = new VectorTile(new PbfReader(new Uint8Array(buffer)));
    const layer = tile.layers[this.options.layer];
    if (!layer) {
      return [];
    }
    const k = tileSize / layer.extent;
    const features = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      if (f.type !== POINT && f.type !== POLYGON && f.type !== 2) {
        continue;
      }
      const geometry = f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x * k, y: p.y * k })));
      features.push({ type: f.type, properties: f.properties, geometry });
    }
    return features;
  },

  _paint(entry) {
    const ctx = entry.canvas.getContext('2d');
    ctx.setTransform(entry.ratio, 0, 0, entry.ratio, 0, 0);
    ctx.clearRect(0, 0, entry.canvas.width, entry.canvas.height);
    const zoom = entry.coords.z;
    // polygons first, points on top
    for (const pass of [POLYGON, 2, POINT]) {
      for (const f of entry.features) {
        if (f.type !== pass) {
          continue;
        }
        const s = this.options.style(f.properties, zoom);
        if (s) {
          this._draw(ctx, f, s);
        }
      }
    }
  },

  _draw(ctx, f, s) {
    ctx.beginPath();
    if (f.type === POINT) {
      const r = s.radius || 3;
      for (const part of f.geometry) {
        for (const p of part) {
          ctx.moveTo(p.x + r, p.y);
          ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
        }
      }
    } else {
      for (const ring of f.geometry) {
        ring.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
        if (f.type === POLYGON) {
          ctx.closePath();
        }
      }
    }
    if (s.fill && f.type !== 2) {
      ctx.globalAlpha = s.fillOpacity ?? 1;
      ctx.fillStyle = s.fill;
      ctx.fill('evenodd');
    }
    if (s.stroke && s.width) {
      ctx.globalAlpha = s.opacity ?? 1;
      ctx.strokeStyle = s.stroke;
      ctx.lineWidth = s.width;
      ctx.setLineDash(s.dash || []);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  },

  /** Repaints every loaded tile with the current style (no download). */
  restyle() {
    for (const entry of this._decoded.values()) {
      this._paint(entry);
    }
  },

  /** Repaints only the tiles holding a feature whose property `key` is one of `values`. */
  restyleWhere(key, values) {
    for (const entry of this._decoded.values()) {
      if (entry.features.some((f) => values.includes(f.properties[key]))) {
        this._paint(entry);
      }
    }
  },

  /**
   * The top-most feature under a map position, as {properties, type}, or null. Points count within
   * their radius plus a few pixels, so a finger or a mouse on a wall screen can hit them.
   */
  featureAt(latlng) {
    if (!this._map || this._tileZoom === undefined) {
      return null;
    }
    const z = this._tileZoom;
    const size = this.getTileSize();
    const pixel = this._map.project(latlng, z);
    const coords = { x: Math.floor(pixel.x / size.x), y: Math.floor(pixel.y / size.y), z };
    const entry = this._decoded.get(this._keyOf(coords));
    if (!entry) {
      return null;
    }
    const x = pixel.x - coords.x * size.x;
    const y = pixel.y - coords.y * size.y;
    const scale = this._map.getZoomScale(this._map.getZoom(), z); // screen px per tile px
    for (let i = entry.features.length - 1; i >= 0; i--) {
      const f = entry.features[i];
      const s = this.options.style(f.properties, z);
      if (!s) {
        continue;
      }
      if (f.type === POLYGON && insideRings(f.geometry, x, y)) {
        return f;
      }
      if (f.type === POINT) {
        const reach = ((s.radius || 3) + 4) / scale;
        for (const part of f.geometry) {
          for (const p of part) {
            if (Math.hypot(p.x - x, p.y - y) <= reach) {
              return f;
            }
          }
        }
      }
    }
    return null;
  },

  /** How many features the loaded tiles hold (for the page's test hooks and the status line). */
  featureCount() {
    let n = 0;
    for (const entry of this._decoded.values()) {
      n += entry.features.length;
    }
    return n;
  },

  /**
   * Downloads the visible tiles again (after the server said their data changed). The tiles are
   * revalidated by ETag, so unchanged ones cost a 304; the old canvases stay until the new arrive.
   */
  refresh() {
    this.redraw();
  },

  _forget(key) {
    const request = this._requests.get(key);
    if (request) {
      request.abort();
      this._requests.delete(key);
    }
    this._decoded.delete(key);
  },
});
