// basemap: the optional raster base map under the wall's own layers, from an XYZ URL template in
// the server's configuration (GRIDCTL_MAP_BASE_URL; off by default, the command center has no
// internet). Chinese web maps (高德, 腾讯, and Tianditu's GCJ-02 variants) are drawn in GCJ-02, which
// puts every street of Haizhu some 500 m from our WGS84 data. With offset "gcj02" the base layer's
// pane is moved back by the GCJ-02 shift at the view's centre; over a district the shift varies by
// a few metres, far below what the wall shows, so one translation per view is enough.

import { escapeHtml } from '/assets/dom.js';

const L = window.L;

const A = 6378245.0;
const EE = 0.00669342162296594323;

function transformLat(x, y) {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLon(x, y) {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** A WGS84 point [lat, lon] as GCJ-02 shows it (the published GCJ-02 forward formula). */
export function wgs84ToGcj02(lat, lon) {
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lat + dLat, lon + dLon];
}

/** Adds the configured base map to the map in pane; returns the tile layer. */
export function baseMapLayer(map, cfg, pane) {
  const layer = L.tileLayer(cfg.url, {
    pane,
    // Leaflet writes the attribution as HTML; the setting is text (README), so it is escaped
    attribution: escapeHtml(cfg.attribution),
    maxZoom: 18,
    maxNativeZoom: cfg.maxZoom || 18,
    subdomains: cfg.subdomains || 'abc',
    className: 'base-map',
  }).addTo(map);
  if (cfg.offset === 'gcj02') {
    const element = map.getPane(pane);
    const place = () => {
      // where the base map draws the view's centre, and how far that is from where it belongs
      const c = map.getCenter();
      const [lat, lon] = wgs84ToGcj02(c.lat, c.lng);
      const drawn = map.latLngToLayerPoint([lat, lon]);
      const real = map.latLngToLayerPoint(c);
      element.style.transform = `translate(${Math.round(real.x - drawn.x)}px, ${Math.round(real.y - drawn.y)}px)`;
    };
    map.on('zoomend moveend', place);
    place();
  }
  return layer;
}
