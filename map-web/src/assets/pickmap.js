// pickmap: a small Leaflet map to pick a case location (desk intake, tablet report). No base
// tiles (the command center has no internet): the district and street outlines from the areas
// API, and optionally the caller's grids, so that a click lands in a known place.

import { api } from '/assets/api.js';

const L = window.L;

const STYLE = {
  street: { color: '#49d7ff', weight: 1.5, opacity: 0.9, fill: true, fillColor: '#0a2148', fillOpacity: 0.35 },
  grid: { color: '#19c6a6', weight: 1, opacity: 0.8, fillOpacity: 0.08 },
};

/**
 * Creates the map in element. options.grids: draw the caller's grids (a worker's few, not the
 * district's 2,769). onPick(lon, lat) when the user clicks. Returns {setPoint, invalidate}.
 */
export function createPickMap(element, { grids = false, onPick = () => {} } = {}) {
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.5, minZoom: 10, maxZoom: 19 });
  map.setView([23.09, 113.32], 12);
  let marker = null;
  let drawn = null;

  const layers = [api('/api/v1/areas?level=street&format=geojson')];
  if (grids) {
    layers.push(api('/api/v1/grids?format=geojson'));
  }
  Promise.all(layers).then(([streets, gridShapes]) => {
    const streetLayer = L.geoJSON(streets, { style: STYLE.street, interactive: false }).addTo(map);
    drawn = streetLayer.getBounds();
    if (gridShapes && gridShapes.features.length > 0 && gridShapes.features.length < 200) {
      const g = L.geoJSON(gridShapes, { style: STYLE.grid, interactive: false }).addTo(map);
      drawn = g.getBounds();
    }
    if (!marker && drawn.isValid()) {
      map.fitBounds(drawn, { padding: [8, 8] });
    }
  }).catch(() => {
    // the outlines are a help, not a need: the map still takes clicks
  });

  map.on('click', (e) => {
    setPoint(e.latlng.lng, e.latlng.lat, false);
    onPick(round(e.latlng.lng), round(e.latlng.lat));
  });

  function setPoint(lon, lat, pan = true) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      return;
    }
    const ll = L.latLng(lat, lon);
    if (!marker) {
      marker = L.circleMarker(ll, { radius: 8, color: '#ffd84a', weight: 3, fillColor: '#ff5d6c', fillOpacity: 0.9 })
        .addTo(map);
    } else {
      marker.setLatLng(ll);
    }
    if (pan) {
      map.setView(ll, Math.max(map.getZoom(), 15));
    }
  }

  return {
    setPoint,
    /** Leaflet measures its box once; call this after the map's container is shown or resized. */
    invalidate: () => map.invalidateSize(),
  };
}

/** Six decimals: about 0.1 m, what the API keeps. */
export function round(x) {
  return Math.round(x * 1e6) / 1e6;
}
