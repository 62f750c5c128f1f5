// map: the Leaflet map of the wall. No base map tiles (there is no internet in the command
// center; a configurable base map comes later): the district outline, street and community
// outlines with their names, and the unit grids coloured by a metric.
//
// Panes, bottom to top: grids (interactive fills), outlines (communities, streets, district),
// highlight (hovered grid, selected grid, selected street), labels (names; never take clicks).

import { t, formatNumber } from '/assets/i18n.js';
import { colourFor, metricValue, quantileClasses, DEFAULT_METRIC } from './choropleth.js';
import { declutter, labelPoint } from './labels.js';

const L = window.L;

/** Room kept free of the column of panels over the map's right edge. */
const SIDE_PADDING = { paddingTopLeft: [60, 60], paddingBottomRight: [460, 60] };

/** How much smaller a label gets when squeezed (the font sizes of .compact in wall.css). */
const COMPACT = { street: 15 / 19, community: 13 / 15 };

/** Community names and outlines appear from this zoom on (a street fills the screen). */
const COMMUNITY_ZOOM = 14.5;

const STYLE = {
  district: { color: '#3ee8ff', weight: 3.5, opacity: 1, fill: false, className: 'outline-district' },
  street: { color: '#49d7ff', weight: 2, opacity: 0.95, fill: false, className: 'outline-street' },
  community: { color: '#9fdcff', weight: 0.8, opacity: 0.45, fill: false, dashArray: '3 3' },
  grid: { color: '#03101f', weight: 0.6, opacity: 0.9, fillOpacity: 0.82 },
  hover: { color: '#ffffff', weight: 3, opacity: 1, fill: true, fillColor: '#ffffff', fillOpacity: 0.12 },
  selected: { color: '#ffd84a', weight: 3.5, opacity: 1, fill: false, className: 'grid-selected' },
  areaSelected: { color: '#ffd84a', weight: 3, opacity: 1, fill: false, dashArray: '10 6' },
};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A "whole view" button under the zoom buttons. */
function homeControl(onClick) {
  const control = L.control({ position: 'topleft' });
  control.onAdd = () => {
    const button = L.DomUtil.create('button', 'map-home btn');
    button.type = 'button';
    button.id = 'map-home';
    button.dataset.i18n = 'map.reset';
    button.textContent = t('map.reset');
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, 'click', onClick);
    return button;
  };
  return control;
}

/**
 * Creates the map in element. Handlers: onGridClick(code, properties) when a grid is clicked,
 * onHome() when the "whole view" button is pressed, obstacles() the elements floating over the
 * map that names must not hide under. Returns the drawing and navigation methods below.
 */
export function createWallMap(element, handlers = {}) {
  const map = L.map(element, {
    zoomControl: false,
    attributionControl: false,
    zoomSnap: 0.25,
    zoomDelta: 0.5,
    wheelPxPerZoomLevel: 120,
    minZoom: 10,
    maxZoom: 18,
    boxZoom: false,
  });
  map.setView([23.09, 113.32], 12.5);
  for (const [name, z] of [['grids', 400], ['outlines', 450], ['highlight', 460], ['labels', 500]]) {
    map.createPane(name).style.zIndex = String(z);
  }
  map.getPane('outlines').style.pointerEvents = 'none';
  map.getPane('highlight').style.pointerEvents = 'none';
  map.getPane('labels').style.pointerEvents = 'none';
  L.control.zoom({ position: 'topleft', zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
  for (const [selector, key] of [['.leaflet-control-zoom-in', 'map.zoomIn'], ['.leaflet-control-zoom-out', 'map.zoomOut']]) {
    // re-worded by applyI18n() on a language switch
    map.getContainer().querySelector(selector).dataset.i18nAttr = `title:${key},aria-label:${key}`;
  }
  homeControl(() => {
    focusArea(null);
    if (handlers.onHome) {
      handlers.onHome();
    }
  }).addTo(map);

  const state = {
    metric: DEFAULT_METRIC,
    classes: [],
    gridLayer: null,
    gridsByCode: new Map(),
    streetLayers: new Map(),
    communityLayers: new Map(),
    communityLayer: null,
    outlineLayers: [],
    streetLabels: [],
    communityLabels: [],
    hover: null,
    selected: null,
    selectedArea: null,
    home: null,
  };
  const labelGroup = L.layerGroup().addTo(map);
  const communityLabelGroup = L.layerGroup();

  function label(name, point, kind, importance) {
    const marker = L.marker(point, {
      pane: 'labels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: 'map-label map-label-' + kind,
        html: `<span data-compact="${COMPACT[kind]}">${escapeHtml(name)}</span>`,
        iconSize: null,
      }),
    });
    marker.importance = importance;
    return marker;
  }

  /** Hides overlapping names: streets first (bigger first), then communities. */
  function relabel() {
    const showCommunities = map.getZoom() >= COMMUNITY_ZOOM;
    if (showCommunities && !map.hasLayer(communityLabelGroup)) {
      communityLabelGroup.addTo(map);
    } else if (!showCommunities && map.hasLayer(communityLabelGroup)) {
      map.removeLayer(communityLabelGroup);
    }
    if (state.communityLayer) {
      state.communityLayer.setStyle({ opacity: showCommunities ? 0.7 : STYLE.community.opacity });
    }
    const ordered = [...state.streetLabels, ...(showCommunities ? state.communityLabels : [])]
      .filter((m) => map.hasLayer(m) && m.getElement())
      .sort((a, b) => b.importance - a.importance)
      .map((m) => m.getElement().firstChild);
    declutter(ordered, map.getContainer(), handlers.obstacles ? handlers.obstacles() : []);
  }
  map.on('moveend', relabel); // also fired at the end of every zoom

  /** Outlines of the district, its streets and communities, with the names at their centres. */
  function drawAreas({ district, streets, communities }) {
    for (const layer of state.outlineLayers) {
      map.removeLayer(layer);
    }
    labelGroup.clearLayers();
    communityLabelGroup.clearLayers();
    state.streetLayers.clear();
    state.communityLayers.clear();
    state.streetLabels = [];
    state.communityLabels = [];

    state.communityLayer = L.geoJSON(communities, {
      pane: 'outlines',
      interactive: false,
      style: STYLE.community,
      onEachFeature: (f, layer) => state.communityLayers.set(f.properties.code, layer),
    });
    const streetLayer = L.geoJSON(streets, {
      pane: 'outlines',
      interactive: false,
      style: STYLE.street,
      onEachFeature: (f, layer) => state.streetLayers.set(f.properties.code, layer),
    });
    const districtLayer = L.geoJSON(district, { pane: 'outlines', interactive: false, style: STYLE.district });
    state.outlineLayers = [state.communityLayer, streetLayer, districtLayer];
    state.outlineLayers.forEach((layer) => layer.addTo(map));

    for (const f of streets.features) {
      const marker = label(f.properties.name, labelPoint(f.geometry), 'street', 1e6 + (f.properties.areaKm2 || 0));
      state.streetLabels.push(marker);
      labelGroup.addLayer(marker);
    }
    for (const f of communities.features) {
      const name = f.properties.name.replace(/居委会$/, '');
      const marker = label(name, labelPoint(f.geometry), 'community', f.properties.areaKm2 || 0);
      state.communityLabels.push(marker);
      communityLabelGroup.addLayer(marker);
    }
    relabel();
  }

  /** The grids, coloured by the current metric; returns how many were drawn. */
  function drawGrids(collection) {
    if (state.gridLayer) {
      map.removeLayer(state.gridLayer);
    }
    state.gridsByCode.clear();
    state.classes = quantileClasses(collection.features.map((f) => metricValue(f.properties, state.metric)));
    state.gridLayer = L.geoJSON(collection, {
      pane: 'grids',
      style: (f) => gridStyle(f.properties),
      onEachFeature: (f, layer) => {
        state.gridsByCode.set(f.properties.code, layer);
        layer.bindTooltip(() => gridTooltip(f.properties), {
          sticky: true,
          direction: 'top',
          offset: [0, -12],
          className: 'grid-tip',
        });
        layer.on({
          mouseover: () => hoverGrid(layer),
          mouseout: () => hoverGrid(null),
          click: () => handlers.onGridClick && handlers.onGridClick(f.properties.code, f.properties),
        });
      },
    }).addTo(map);
    state.gridLayer.eachLayer((layer) => {
      // SVG paths exist once the layer is on the map: tag them for tests and debugging.
      const el = layer.getElement();
      if (el) {
        el.setAttribute('data-code', layer.feature.properties.code);
        el.classList.add('grid-cell');
      }
    });
    return collection.features.length;
  }

  function gridStyle(props) {
    return { ...STYLE.grid, fillColor: colourFor(state.classes, metricValue(props, state.metric)) };
  }

  function gridTooltip(props) {
    const v = metricValue(props, state.metric);
    const div = document.createElement('div');
    const name = document.createElement('strong');
    name.textContent = props.name;
    const value = document.createElement('span');
    value.textContent = `${t('metric.' + state.metric)}  ${formatNumber(v)} ${t('metric.unit.' + state.metric)}`;
    div.append(name, document.createElement('br'), value);
    return div;
  }

  function outlineOf(layer, style) {
    return L.geoJSON(layer.feature, { pane: 'highlight', interactive: false, style }).addTo(map);
  }

  function hoverGrid(layer) {
    if (state.hover) {
      map.removeLayer(state.hover);
      state.hover = null;
    }
    if (layer) {
      state.hover = outlineOf(layer, STYLE.hover);
    }
  }

  /** Colours the grids by another metric; returns the new classes for the legend. */
  function setMetric(metric) {
    state.metric = metric;
    if (state.gridLayer) {
      const features = [];
      state.gridLayer.eachLayer((l) => features.push(l.feature));
      state.classes = quantileClasses(features.map((f) => metricValue(f.properties, metric)));
      state.gridLayer.setStyle((f) => gridStyle(f.properties));
      refreshTooltips();
    }
    return state.classes;
  }

  /** Re-words an open grid tooltip (after a metric or language change). */
  function refreshTooltips() {
    if (state.gridLayer) {
      state.gridLayer.eachLayer((l) => l.isTooltipOpen() && l.getTooltip().update());
    }
  }

  /** Marks a grid as selected (null clears); brings it into view if it is off screen. */
  function selectGrid(code) {
    if (state.selected) {
      map.removeLayer(state.selected);
      state.selected = null;
    }
    const layer = code && state.gridsByCode.get(code);
    if (layer) {
      state.selected = outlineOf(layer, STYLE.selected);
      // keep it clear of the grid panel that opens on the right
      map.panInside(L.latLng(labelPoint(layer.feature.geometry)), SIDE_PADDING);
    }
  }

  /** Flies to a street or community and outlines it (null: back to the whole view). */
  function focusArea(code) {
    if (state.selectedArea) {
      map.removeLayer(state.selectedArea);
      state.selectedArea = null;
    }
    const layer = code && (state.streetLayers.get(code) || state.communityLayers.get(code));
    if (!layer) {
      fitHome(true);
      return;
    }
    state.selectedArea = outlineOf(layer, STYLE.areaSelected);
    map.flyToBounds(layer.getBounds(), { ...SIDE_PADDING, duration: 0.8, maxZoom: 16 });
  }

  /** Fits the map to what the caller may see: the grids if any came back, else the areas. */
  function fitHome(animate = false) {
    const [, streetLayer, districtLayer] = state.outlineLayers;
    const candidates = [state.gridLayer, streetLayer, districtLayer];
    for (const layer of candidates) {
      if (layer && layer.getLayers().length) {
        state.home = layer.getBounds();
        break;
      }
    }
    if (state.home && state.home.isValid()) {
      const options = { padding: [30, 30] };
      if (animate) {
        map.flyToBounds(state.home, { ...options, duration: 0.8 });
      } else {
        map.fitBounds(state.home, options);
      }
    }
  }

  return {
    map,
    drawAreas,
    drawGrids,
    setMetric,
    selectGrid,
    focusArea,
    fitHome,
    relabel,
    refreshTooltips,
    get classes() {
      return state.classes;
    },
    get metric() {
      return state.metric;
    },
  };
}
