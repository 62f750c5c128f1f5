// map: the Leaflet map of the wall, drawn from the server's vector tiles (wall/vectortiles.js):
// the district outline, street and community outlines with their names, the unit grids coloured by
// a metric, and from z14/z15 the enterprises and houses. An optional base map (an XYZ template set
// by configuration, e.g. Tianditu or an intranet service) sits underneath; without one the outlines
// of Haizhu, an island in the Pearl River, give orientation.
//
// At a city node (市级平台) the map shows the city's districts instead, filled by what the city holds
// of each (drawDistricts; zero until the districts' records come by sync).
//
// Where this node is in the exchange's network, each street (at a city: each district) is outlined
// in the colour of its link, and tinted while it lags or is down (setLinks, from wall/network.js),
// on the outline layers (streets, district), which lie above the grids and a city's districts.
//
// Panes, bottom to top: base, grids, outlines, places (houses, enterprises), cases, highlight
// (the selected grid), labels (names; never take clicks).

import { el } from '/assets/dom.js';
import { t, formatNumber } from '/assets/i18n.js';
import { colourFor, metricValue, quantileClasses, DEFAULT_METRIC } from './choropleth.js';
import { declutter } from './labels.js';
import { clearRectangles, largestFit, MARGIN } from './fit.js';
import { VectorTileLayer } from './vectortiles.js';
import { baseMapLayer } from './basemap.js';
import { LINK_COLOURS } from './network.js';

const L = window.L;

/** Room kept free of the column of panels over the map's right edge. */
const SIDE_PADDING = { paddingTopLeft: [60, 60], paddingBottomRight: [400, 60] };

/** How much smaller a label gets when squeezed (the font sizes of .compact in wall.css). */
const COMPACT = { street: 15 / 19, community: 13 / 15 };

/** Community names and outlines appear from this zoom on (a street fills the screen). */
const COMMUNITY_ZOOM = 14.5;

/** The zooms from which the server tiles these layers (TileLayers on the server). */
const DATA_ZOOM = { district: 6, streets: 8, communities: 10, grids: 10, enterprises: 14, houses: 15 };

const COLOURS = {
  district: '#3ee8ff',
  street: '#49d7ff',
  community: '#9fdcff',
  gridEdge: '#03101f',
  hover: '#ffffff',
  selected: '#ffd84a',
  // the eight house-use classes of GB/T 17986.1 (grid-data HouseUse), as the houses tile carries them
  house: {
    住宅: '#8fb8ff', 商业金融信息: '#ffb35c', 办公: '#c08bff', 工业交通仓储: '#ff7a7a',
    教育医疗卫生科研: '#5fd4a8', 文化娱乐体育: '#f27ac8', 军事: '#c9b458', 其他: '#9aa8bd',
  },
  enterprise: '#ffe066',
};

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

function boundsOf(bbox) {
  return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
}

/**
 * Creates the map in element. Handlers: onGridClick(code), onHouseClick(properties),
 * onEnterpriseClick(properties), onHome(), obstacles() (the elements floating over the map that
 * names must not hide under). baseMap: the server's base map settings or null.
 */
export function createWallMap(element, handlers = {}, baseMap = null, tileBounds = null) {
  const map = L.map(element, {
    zoomControl: false,
    attributionControl: Boolean(baseMap),
    zoomSnap: 0.25,
    zoomDelta: 0.5,
    wheelPxPerZoomLevel: 120,
    minZoom: 10,
    maxZoom: 18,
    boxZoom: false,
  });
  map.setView([23.09, 113.32], 12.5);
  for (const [name, z] of [['base', 150], ['grids', 400], ['outlines', 450], ['places', 470], ['cases', 480],
    ['highlight', 490], ['labels', 500]]) {
    map.createPane(name).style.zIndex = String(z);
  }
  for (const name of ['base', 'outlines', 'places', 'highlight', 'labels']) {
    map.getPane(name).style.pointerEvents = 'none';
  }
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
  if (baseMap) {
    baseMapLayer(map, baseMap, 'base');
  }

  const state = {
    metric: DEFAULT_METRIC,
    classes: [],
    grids: new Map(), // code → the grid's counts from the grids API (and its case counts)
    areas: new Map(), // code → {level, bbox}
    streetLabels: [],
    communityLabels: [],
    hover: null,
    selected: null,
    selectedOutline: null,
    selectedArea: null,
    home: null,
    homeView: null, // {center, zoom} of the whole view as last fitted
    districtLayer: null, // at a city: the districts, filled by what the city holds of each
    districtClasses: [],
    links: new Map(), // street (at a city: district) code → {state, alarm} of its link (wall/network.js)
  };

  // ── layers ──
  // Outside the tile set's bounds there is nothing: asking for those tiles anyway (most of a wide
  // screen's tiles around the island) queued the ones that matter behind them, six at a time.
  const bounds = tileBounds ? L.latLngBounds([tileBounds[1], tileBounds[0]], [tileBounds[3], tileBounds[2]]) : undefined;
  const outline = (layer, style) => new VectorTileLayer({
    layer, dataMinZoom: DATA_ZOOM[layer], pane: 'outlines', style, maxNativeZoom: 18, bounds,
  });
  const layers = {
    grids: new VectorTileLayer({ layer: 'grids', dataMinZoom: DATA_ZOOM.grids, pane: 'grids', style: gridStyle, bounds }),
    communities: outline('communities', (p, z) => ({
      stroke: p.code === state.selectedArea ? COLOURS.selected : COLOURS.community,
      width: p.code === state.selectedArea ? 3 : 0.8,
      opacity: map.getZoom() >= COMMUNITY_ZOOM || p.code === state.selectedArea ? 0.75 : 0.4,
      dash: p.code === state.selectedArea ? [10, 6] : [3, 3],
    })),
    streets: outline('streets', (p) => (p.code === state.selectedArea
      ? { stroke: COLOURS.selected, width: 3, opacity: 0.95, dash: [10, 6] }
      : linkStyle(state.links.get(p.code)) || { stroke: COLOURS.street, width: 2, opacity: 0.95, dash: null })),
    // at a city, the districts' outlines: each in its link's colour where it has one
    district: outline('district', (p) => linkStyle(state.links.get(p.code)) || { stroke: COLOURS.district, width: 3.5, opacity: 1 }),
    enterprises: new VectorTileLayer({
      layer: 'enterprises', dataMinZoom: DATA_ZOOM.enterprises, minZoom: DATA_ZOOM.enterprises, pane: 'places', bounds,
      style: (p, z) => ({ radius: z >= 16 ? 5 : 3.5, fill: COLOURS.enterprise, fillOpacity: 0.9, stroke: '#3a2a00', width: 1 }),
    }),
    houses: new VectorTileLayer({
      layer: 'houses', dataMinZoom: DATA_ZOOM.houses, minZoom: DATA_ZOOM.houses, pane: 'places', bounds,
      style: (p, z) => ({ radius: z >= 17 ? 4 : 2.5, fill: COLOURS.house[p.use] || COLOURS.house['其他'], fillOpacity: 0.85 }),
    }),
  };
  for (const name of ['grids', 'communities', 'streets', 'district', 'houses', 'enterprises']) {
    layers[name].addTo(map);
  }
  const labelGroup = L.layerGroup().addTo(map);
  const communityLabelGroup = L.layerGroup();
  const tooltip = L.tooltip({ direction: 'top', offset: [0, -14], className: 'grid-tip', opacity: 1 });

  function gridValues(p) {
    const known = state.grids.get(p.code);
    if (known) {
      return known;
    }
    // before the grid list has come: the counts the tile carries
    return { persons: p.residents, houses: p.houses, enterprises: p.enterprises, areaKm2: p.area_m2 / 1e6 };
  }

  function gridStyle(p) {
    const hovered = p.code === state.hover;
    return {
      fill: colourFor(state.classes, metricValue(gridValues(p), state.metric)),
      fillOpacity: hovered ? 0.95 : 0.82,
      stroke: hovered ? COLOURS.hover : COLOURS.gridEdge,
      width: hovered ? 2.5 : 0.6,
      opacity: 0.9,
    };
  }

  // ── names ──
  function label(name, latlng, kind, importance) {
    const text = el('span', null, name);
    text.dataset.compact = String(COMPACT[kind]);
    const marker = L.marker(latlng, {
      pane: 'labels',
      interactive: false,
      keyboard: false,
      // an element, not markup: Leaflet puts it in the icon as it is
      icon: L.divIcon({ className: 'map-label map-label-' + kind, html: text, iconSize: null }),
    });
    marker.importance = importance;
    return marker;
  }

  /** Hides overlapping names: streets first (bigger first), then communities. */
  function relabel() {
    const showCommunities = map.getZoom() >= COMMUNITY_ZOOM && map.hasLayer(layers.communities);
    if (showCommunities && !map.hasLayer(communityLabelGroup)) {
      communityLabelGroup.addTo(map);
    } else if (!showCommunities && map.hasLayer(communityLabelGroup)) {
      map.removeLayer(communityLabelGroup);
    }
    const ordered = [...state.streetLabels, ...(showCommunities ? state.communityLabels : [])]
      .filter((m) => map.hasLayer(m) && m.getElement())
      .sort((a, b) => b.importance - a.importance)
      .map((m) => m.getElement().firstChild);
    declutter(ordered, map.getContainer(), handlers.obstacles ? handlers.obstacles() : []);
  }
  map.on('moveend', relabel); // also fired at the end of every zoom
  // the names' boxes also change with the map standing still: when a font arrives, or when the
  // page's language (which picks the font of Chinese text) is switched
  document.fonts.addEventListener('loadingdone', relabel);
  document.addEventListener('langchange', relabel);
  map.on('zoomend', () => layers.communities.restyle());

  /**
   * A city's districts (areas API GeoJSON) filled by their persons (rows: stats districts
   * {code, persons, …}; a district with none is in the lowest class), with a tooltip of its name
   * and counts. Zooms out far enough to show the city. Returns how many districts are drawn.
   */
  function drawDistricts(collection, rows) {
    if (state.districtLayer) {
      map.removeLayer(state.districtLayer);
    }
    map.setMinZoom(7);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const persons = (code) => (byCode.get(code) ? byCode.get(code).persons : 0);
    const classes = quantileClasses(collection.features.map((f) => persons(f.properties.code)));
    state.districtLayer = L.geoJSON(collection, {
      pane: 'grids',
      style: (f) => ({
        color: COLOURS.district, weight: 1.5, opacity: 0.9,
        fillColor: colourFor(classes, persons(f.properties.code)), fillOpacity: 0.7,
        className: 'district-fill',
      }),
      onEachFeature: (f, layer) => {
        layer.feature.properties.persons = persons(f.properties.code);
        const r = byCode.get(f.properties.code) || { persons: 0, houses: 0, grids: 0 };
        layer.bindTooltip(tooltipContent(f.properties.name, `${t('kpi.persons')} ${formatNumber(r.persons)}`
          + ` · ${t('kpi.houses')} ${formatNumber(r.houses)} · ${t('kpi.grids')} ${formatNumber(r.grids)}`),
        { sticky: true, className: 'grid-tip', opacity: 1 });
      },
    }).addTo(map);
    state.districtClasses = classes;
    return collection.features.length;
  }

  /**
   * The names of the streets and communities (areas API items with label and bbox); at a city,
   * district holds the city and its districts, and named (the districts) are labelled as streets are.
   */
  function drawAreas({ streets, communities, district, named = streets }) {
    labelGroup.clearLayers();
    communityLabelGroup.clearLayers();
    state.streetLabels = [];
    state.communityLabels = [];
    state.areas.clear();
    for (const a of [...district, ...streets, ...communities]) {
      state.areas.set(a.code, a);
    }
    for (const s of named) {
      const marker = label(s.name, [s.label.lat, s.label.lon], 'street', 1e6 + (s.areaKm2 || 0));
      state.streetLabels.push(marker);
      labelGroup.addLayer(marker);
    }
    for (const c of communities) {
      const marker = label(c.name.replace(/居委会$/, ''), [c.label.lat, c.label.lon], 'community', c.areaKm2 || 0);
      state.communityLabels.push(marker);
      communityLabelGroup.addLayer(marker);
    }
    relabel();
  }

  /**
   * How a street (at a city: a district) is drawn for the state of its link, or null where it has
   * none to show: up and current, lagging (tinted), down (tinted more), not connected (dashed).
   */
  function linkStyle(link) {
    if (!link) {
      return null;
    }
    const colour = LINK_COLOURS[link.state];
    const tint = { lagging: 0.16, down: 0.28 }[link.state] || 0;
    return {
      stroke: colour,
      width: link.state === 'not_connected' ? 1.5 : link.alarm ? 4 : 3,
      opacity: 0.95,
      dash: link.state === 'not_connected' ? [6, 5] : null,
      fill: tint ? colour : null,
      fillOpacity: tint,
    };
  }

  /**
   * The links of the streets (at a city: of the districts), code → {state, alarm}
   * (wall/network.js): each is drawn in its link's colour; an empty map draws them as before.
   */
  function setLinks(links) {
    state.links = links;
    layers.streets.restyle();
    layers.district.restyle();
  }

  /** The grids' counts (grids API items), which colour them; returns how many there are. */
  function setGrids(items) {
    state.grids = new Map(items.map((g) => [g.code, { ...g, ...(state.grids.get(g.code) || {}), ...g }]));
    recolour();
    return items.length;
  }

  /** Open and overdue cases per grid (cases/by-grid items); grids not listed have none. */
  function setCaseCounts(items) {
    const byGrid = new Map(items.map((i) => [i.grid, i]));
    for (const [code, g] of state.grids) {
      const c = byGrid.get(code);
      g.openCases = c ? c.open : 0;
      g.overdueCases = c ? c.overdue : 0;
    }
    if (state.metric === 'openCases' || state.metric === 'overdueCases') {
      recolour();
    }
  }

  function recolour() {
    state.classes = quantileClasses([...state.grids.values()].map((g) => metricValue(g, state.metric)));
    layers.grids.restyle();
  }

  /** Colours the grids by another metric; returns the new classes for the legend. */
  function setMetric(metric) {
    state.metric = metric;
    recolour();
    refreshTooltip();
    return state.classes;
  }

  // ── pointer ──
  let lastMove = null;
  let hoverFrame = 0;
  /** A tooltip: a name in bold over a line of figures, as an element (names are data, not markup). */
  function tooltipContent(name, line) {
    const div = document.createElement('div');
    div.append(el('strong', null, name), document.createElement('br'), el('span', null, line));
    return div;
  }

  /** A grid's tooltip: its name and its value of the current metric. */
  function gridTip(code) {
    const g = state.grids.get(code);
    const v = g ? metricValue(g, state.metric) : null;
    return [g ? g.name : code,
      `${t('metric.' + state.metric)}  ${v === null ? '—' : formatNumber(v)} ${t('metric.unit.' + state.metric)}`];
  }

  function hoverGrid(code, latlng) {
    if (code !== state.hover) {
      const before = state.hover;
      state.hover = code;
      layers.grids.restyleWhere('code', [before, code].filter(Boolean));
    }
    if (code) {
      tooltip.setLatLng(latlng).setContent(tooltipContent(...gridTip(code)));
      if (!map.hasLayer(tooltip)) {
        tooltip.addTo(map);
      }
    } else if (map.hasLayer(tooltip)) {
      map.removeLayer(tooltip);
    }
  }

  function refreshTooltip() {
    if (state.hover && map.hasLayer(tooltip)) {
      tooltip.setContent(tooltipContent(...gridTip(state.hover)));
    }
  }

  /** What is under the pointer: an enterprise or house point first, then the grid. */
  function hit(latlng) {
    for (const name of ['enterprises', 'houses']) {
      const layer = layers[name];
      if (map.hasLayer(layer) && map.getZoom() >= DATA_ZOOM[name]) {
        const f = layer.featureAt(latlng);
        if (f) {
          return { kind: name, properties: f.properties };
        }
      }
    }
    const f = map.hasLayer(layers.grids) ? layers.grids.featureAt(latlng) : null;
    return f ? { kind: 'grids', properties: f.properties } : null;
  }

  map.on('mousemove', (e) => {
    lastMove = e.latlng;
    if (hoverFrame) {
      return;
    }
    hoverFrame = requestAnimationFrame(() => {
      hoverFrame = 0;
      const h = hit(lastMove);
      map.getContainer().style.cursor = h ? 'pointer' : '';
      hoverGrid(h && h.kind === 'grids' ? h.properties.code : null, lastMove);
    });
  });
  map.on('mouseout', () => hoverGrid(null));
  map.on('click', (e) => {
    const h = hit(e.latlng);
    if (!h) {
      return;
    }
    if (h.kind === 'grids' && handlers.onGridClick) {
      handlers.onGridClick(h.properties.code);
    } else if (h.kind === 'houses' && handlers.onHouseClick) {
      handlers.onHouseClick(h.properties, e.latlng);
    } else if (h.kind === 'enterprises' && handlers.onEnterpriseClick) {
      handlers.onEnterpriseClick(h.properties, e.latlng);
    }
  });

  /** Marks a grid as selected by its outline (GeoJSON geometry; null clears) and keeps it in view. */
  function selectGrid(code, geometry) {
    if (state.selectedOutline) {
      map.removeLayer(state.selectedOutline);
      state.selectedOutline = null;
    }
    state.selected = code || null;
    if (code && geometry) {
      state.selectedOutline = L.geoJSON(geometry, {
        pane: 'highlight', interactive: false,
        style: { color: COLOURS.selected, weight: 3.5, opacity: 1, fill: false, className: 'grid-selected' },
      }).addTo(map);
      // keep it clear of the grid panel that opens on the right
      map.panInside(state.selectedOutline.getBounds().getCenter(), SIDE_PADDING);
    }
  }

  /** Flies to a street or community and outlines it (null: back to the whole view). */
  function focusArea(code) {
    state.selectedArea = code || null;
    layers.streets.restyle();
    layers.communities.restyle();
    const area = code && state.areas.get(code);
    if (!area) {
      fitHome(true);
      return;
    }
    show(wholeView(boundsOf(area.bbox), 16), true);
  }

  /** Flies to a point (a search result), closer for a house than for an enterprise. */
  function flyTo(lat, lon, zoom) {
    map.flyTo([lat, lon], zoom, { duration: 0.8 });
  }

  function flyToBox(bbox) {
    map.flyToBounds(boundsOf(bbox), { ...SIDE_PADDING, duration: 0.8, maxZoom: 17 });
  }

  /**
   * The view {center, zoom} that shows bounds whole and largest in the part of the map clear of
   * the panels floating over it (wall/fit.js), at most at maxZoom.
   */
  function wholeView(bounds, maxZoom = map.getMaxZoom()) {
    const frame = map.getContainer().getBoundingClientRect();
    const size = map.getSize();
    const obstacles = (handlers.obstacles ? handlers.obstacles() : []).map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ left: r.left - frame.left, top: r.top - frame.top, right: r.right - frame.left, bottom: r.bottom - frame.top }));
    const z = map.getZoom();
    const nw = map.project(bounds.getNorthWest(), z);
    const se = map.project(bounds.getSouthEast(), z);
    const fit = largestFit(clearRectangles(size.x, size.y, obstacles), se.x - nw.x, se.y - nw.y, size.x, size.y)
      || largestFit([{ left: MARGIN, top: MARGIN, right: size.x - MARGIN, bottom: size.y - MARGIN }], se.x - nw.x, se.y - nw.y, size.x, size.y);
    const zoom = Math.max(map.getMinZoom(), Math.min(maxZoom, z + Math.log2(fit.scale)));
    // the middle of the bounds at the middle of the clear rectangle
    const middle = nw.add(se).divideBy(2).multiplyBy(map.getZoomScale(zoom, z));
    const target = L.point((fit.rect.left + fit.rect.right) / 2, (fit.rect.top + fit.rect.bottom) / 2);
    return { center: map.unproject(middle.add(size.divideBy(2)).subtract(target), zoom), zoom };
  }

  /** Moves the map to a view at its exact zoom (Leaflet would round it to the wall's quarter steps). */
  function show(view, animate) {
    const snap = map.options.zoomSnap;
    map.options.zoomSnap = 0;
    try {
      if (animate) {
        map.flyTo(view.center, view.zoom, { duration: 0.8 });
      } else {
        map.setView(view.center, view.zoom, { animate: false });
      }
    } finally {
      map.options.zoomSnap = snap;
    }
  }

  /** Fits the map to what the caller may see: the city's districts at a city, else their streets, else the district. */
  function fitHome(animate = false) {
    const areas = [...state.areas.values()];
    const city = areas.filter((a) => a.level === 'city');
    const boxes = areas.filter((a) => a.level === 'street');
    const district = areas.filter((a) => a.level === 'district');
    const use = city.length ? city : boxes.length ? boxes : district;
    if (use.length === 0) {
      return;
    }
    state.home = use.map((a) => boundsOf(a.bbox)).reduce((b, x) => b.extend(x));
    state.homeView = wholeView(state.home);
    show(state.homeView, animate);
  }

  /** True while the map shows the whole view it was last fitted to (nobody has moved it since). */
  function atHome() {
    const v = state.homeView;
    if (!v || Math.abs(map.getZoom() - v.zoom) > 1e-6) {
      return false;
    }
    return map.project(map.getCenter(), v.zoom).distanceTo(map.project(v.center, v.zoom)) < 2;
  }

  /**
   * Fits the whole view again where the map still shows it: the window changed size, or a card over
   * the map did (the legend filled, the network card came).
   */
  function keepHome() {
    if (atHome()) {
      fitHome(false);
    }
  }
  map.on('resize', keepHome);

  /** Shows or hides an optional layer of the switcher (not 'cases': the cases module owns that). */
  function showLayer(name, on) {
    const layer = layers[name];
    if (!layer) {
      return;
    }
    if (on && !map.hasLayer(layer)) {
      layer.addTo(map);
    } else if (!on && map.hasLayer(layer)) {
      map.removeLayer(layer);
    }
    if (name === 'communities') {
      relabel();
    }
  }

  /** The server said tile data changed under some layers: fetch those layers' visible tiles again. */
  function refreshLayers(names) {
    for (const name of names) {
      if (layers[name] && map.hasLayer(layers[name])) {
        layers[name].refresh();
      }
    }
  }

  /** The codes of the grids drawn in the loaded tiles (for the page's test hooks). */
  function drawnGridCodes() {
    const codes = new Set();
    for (const entry of layers.grids._decoded.values()) {
      entry.features.forEach((f) => codes.add(f.properties.code));
    }
    return [...codes];
  }

  /** Resolves once the visible tiles of the grids layer have loaded. */
  function gridsLoaded() {
    return new Promise((resolve) => {
      if (layers.grids.isLoading && !layers.grids.isLoading() && layers.grids._decoded.size > 0) {
        resolve();
        return;
      }
      layers.grids.once('load', () => resolve());
    });
  }

  return {
    map,
    layers,
    drawAreas,
    drawDistricts,
    setLinks,
    setGrids,
    setCaseCounts,
    setMetric,
    selectGrid,
    focusArea,
    flyTo,
    flyToBox,
    fitHome,
    keepHome,
    relabel,
    refreshTooltip,
    showLayer,
    refreshLayers,
    drawnGridCodes,
    gridsLoaded,
    gridValues: (code) => state.grids.get(code) || null,
    get classes() {
      return state.classes;
    },
    get metric() {
      return state.metric;
    },
    get selected() {
      return state.selected;
    },
  };
}
