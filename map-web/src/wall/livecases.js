// livecases: the open cases on the wall. They are loaded once (GET /api/v1/cases/map), then kept
// current from the server's case events (SSE, assets/live.js): a new case appears at once with a
// pulse, a case that closes leaves the map. Nothing here grows without bound: closed cases are
// removed, the pulse markers expire, and a gap in the stream reloads the whole set.

import { api } from '/assets/api.js';
import { el } from '/assets/dom.js';
import { t } from '/assets/i18n.js';
import { CLOSED_STATES } from '/assets/cases.js';

const L = window.L;

/** Open states grouped into the phases the wall's donut shows (the workflow in docs/DOMAIN.md). */
export const PHASES = {
  intake: ['reported', 'verifying'],
  dispatch: ['filed', 'returned', 'reopened', 'joint_review'],
  handling: ['dispatched', 'signed', 'in_process', 'suspended'],
  checking: ['done_feedback', 'self_handled', 'checking'],
};
const PHASE_OF = new Map(Object.entries(PHASES).flatMap(([phase, states]) => states.map((s) => [s, phase])));
const CLOSED = new Set(CLOSED_STATES);
const PHASE_COLOUR = { intake: '#3ee8ff', dispatch: '#ffcf3f', handling: '#5fd6a0', checking: '#c08bff' };
const OVERDUE_COLOUR = '#ff4d5e';
/** How long a new case pulses on the map. */
const PULSE_MS = 15000;
/** At most this many pulse at once: in a burst the rest just appear (hundreds of rings would stall the page). */
const MAX_PULSES = 50;

export function phaseOf(state) {
  return PHASE_OF.get(state) || null;
}

export function phaseColour(phase) {
  return PHASE_COLOUR[phase];
}

/**
 * The case layer on map. onChange() after any change of the set (the panels re-count);
 * onEvent(kind, case) for the ticker ('created' or 'changed').
 */
export function liveCases(map, { onChange = () => {}, onEvent = () => {}, onClick = () => {} } = {}) {
  const renderer = L.canvas({ pane: 'cases', padding: 0.2 });
  const group = L.layerGroup().addTo(map);
  const pulses = L.layerGroup().addTo(map);
  const cases = new Map(); // id → {data, marker}
  let total = 0;
  let visible = true;

  function isOverdue(c) {
    return Boolean(c.overdue || (c.deadline && Date.parse(c.deadline) < Date.now()));
  }

  function style(c) {
    const overdue = isOverdue(c);
    return {
      renderer,
      radius: c.urgency === 'urgent' || overdue ? 7 : 5.5,
      color: overdue ? '#ffffff' : '#04101f',
      weight: overdue ? 2 : 1.2,
      fillColor: overdue ? OVERDUE_COLOUR : PHASE_COLOUR[phaseOf(c.state)] || '#9aa8bd',
      fillOpacity: 0.95,
    };
  }

  function put(c) {
    if (c.lon === null || c.lon === undefined || c.lat === null || c.lat === undefined) {
      return;
    }
    const known = cases.get(c.id);
    if (CLOSED.has(c.state)) {
      if (known) {
        group.removeLayer(known.marker);
        cases.delete(c.id);
      }
      return;
    }
    if (known) {
      known.data = { ...known.data, ...c };
      known.marker.setLatLng([c.lat, c.lon]).setStyle(style(known.data));
      return;
    }
    const marker = L.circleMarker([c.lat, c.lon], style(c));
    const entry = { data: c, marker };
    marker.on('click', () => onClick(entry.data));
    cases.set(c.id, entry);
    group.addLayer(marker);
  }

  /** A ring that pulses for a while where a case was just reported (also the test hook data-case-id). */
  function pulse(c) {
    const icon = L.divIcon({ className: 'case-pulse', iconSize: [44, 44], html: false });
    const marker = L.marker([c.lat, c.lon], { icon, pane: 'cases', interactive: false, keyboard: false });
    pulses.addLayer(marker);
    marker.getElement().append(el('span'), el('span')); // the two rings
    marker.getElement().dataset.caseId = c.id;
    setTimeout(() => pulses.removeLayer(marker), PULSE_MS);
  }

  async function reload() {
    const page = await api('/api/v1/cases/map');
    group.clearLayers();
    cases.clear();
    total = page.total;
    page.items.forEach(put);
    onChange();
  }

  /** One case event of the stream ({type, id, state, lon, lat, …} as the server sends it). */
  function handle(event) {
    if (event.type === 'case.bulk') {
      reload().catch(() => {});
      return;
    }
    const c = {
      id: event.id,
      number: event.number,
      state: event.state,
      title: event.title,
      category: event.category,
      urgency: event.urgency,
      gridCode: event.grid_code,
      streetCode: event.street_code,
      lon: event.lon,
      lat: event.lat,
      deadline: event.deadline,
      overdue: false,
    };
    const wasOpen = cases.has(c.id);
    put(c);
    if (event.type === 'case.created') {
      total++;
      if (visible && c.lat !== null && c.lat !== undefined && pulses.getLayers().length < MAX_PULSES) {
        pulse(c);
      }
    } else if (wasOpen && !cases.has(c.id)) {
      total = Math.max(0, total - 1);
    }
    onEvent(event.type === 'case.created' ? 'created' : 'changed', c);
    onChange();
  }

  function show(on) {
    visible = on;
    for (const layer of [group, pulses]) {
      if (on && !map.hasLayer(layer)) {
        layer.addTo(map);
      } else if (!on && map.hasLayer(layer)) {
        map.removeLayer(layer);
      }
    }
  }

  /** Open cases per phase, and how many are overdue, over the cases the wall holds. */
  function summary() {
    const byPhase = Object.fromEntries(Object.keys(PHASES).map((p) => [p, 0]));
    let overdue = 0;
    for (const { data } of cases.values()) {
      const phase = phaseOf(data.state);
      if (phase) {
        byPhase[phase]++;
      }
      if (isOverdue(data)) {
        overdue++;
      }
    }
    return { byPhase, overdue, open: Math.max(total, cases.size), drawn: cases.size };
  }

  return { reload, handle, show, summary, get size() { return cases.size; } };
}

/** The line a case makes in the ticker and its popup: number, state and title. */
export function caseLine(c) {
  return `${c.number || ''} ${t('case.state.' + c.state)} · ${c.title || ''}`.trim();
}
