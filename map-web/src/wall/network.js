// network: the "1+18" network on the wall (docs/SYNC.md, "Operations"). Every 10 s the wall asks
// GET /api/v1/sync/links (roles holding sync.status) how this node's links stand: the link to the
// node above in the header, one link per street (at a city: per district) in the network card with
// its lag, each street or district on the map coloured by its link (wall/map.js), and a banner over
// the map while any link alarms (down for more than 5 minutes, never reached, or more than 1 minute
// behind; the server decides, by one rule). A link that goes into alarm also gets a line in the
// ticker. A node in no network (no link configured either way) shows none of it.
//
// Names and last errors come from peers and networks: they go on the page as text (el()), and a
// last error only in a title, never as markup.
//
// Test hooks: body[data-network=ready|none] after the first answer; #uplink[data-state];
// #network-list li[data-code][data-state][data-alarm]; #link-alarms li[data-code][data-reason].

import { api } from '/assets/api.js';
import { formatNumber, lang, t } from '/assets/i18n.js';
import { el } from '/assets/dom.js';

export const PERMISSION = 'sync.status';
const REFRESH_MS = 10000;
/** The states of a link, in the legend's order, and their colours on the map and in the lists. */
export const LINK_COLOURS = {
  current: '#3ddc84',
  lagging: '#ffb020',
  down: '#ff4d5e',
  not_connected: '#7d8ca3',
};
/** At most this many alarms are spelt out in the banner; the rest are counted. */
const BANNER_LINES = 4;

/**
 * A duration in seconds as people read it: 8.4 秒, 3 分 05 秒, 2 小时 10 分, 3 天 4 小时; short, in
 * its largest unit only (8.4秒, 3分, 2小时, 3天), for the network card's narrow columns.
 */
export function duration(seconds, short = false) {
  const s = Math.max(0, seconds);
  const kind = short ? 'short' : 'duration';
  if (s < 60) {
    return t(`network.${kind}.s`, { s: formatNumber(s, s < 10 ? 1 : 0) });
  }
  const whole = Math.floor(s);
  const [d, h, m, r] = [Math.floor(whole / 86400), Math.floor(whole / 3600) % 24, Math.floor(whole / 60) % 60, whole % 60];
  if (d > 0) {
    return t(`network.${kind}.d`, { d, h });
  }
  if (h > 0) {
    return t(`network.${kind}.h`, { h, m });
  }
  return t(`network.${kind}.m`, { m, s: String(r).padStart(2, '0') });
}

function sinceSeconds(iso, now) {
  return iso ? (now - Date.parse(iso)) / 1000 : null;
}

function clockTime(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A link's name as the lists show it: 赤岗 for 赤岗街道 where space is short, the English name where there is one. */
function linkName(link, short = false) {
  if (lang() === 'en' && link.nameEn) {
    return link.nameEn;
  }
  return short ? link.name.replace(/(街道|街道办事处)$/, '') : link.name;
}

/** What a link's state says in a few characters: its lag, "中断 12 分", "未接入" (short: for the card's columns). */
function stateLine(link, now, short = false) {
  if (link.state === 'not_connected') {
    return t('network.state.not_connected');
  }
  if (link.state === 'down') {
    const since = sinceSeconds(link.downSince, now);
    const key = link.everConnected ? 'network.downFor' : 'network.neverFor';
    return since === null ? t('network.state.down') : t(key, { duration: duration(since, short) });
  }
  return link.lagSeconds === null || link.lagSeconds === undefined ? '—' : t('network.lag', { lag: duration(link.lagSeconds, short) });
}

/** The whole story of a link, for its title (a tooltip of plain text). */
function details(link, now) {
  const lines = [`${link.name} (${link.code})`, `${t('network.state.' + link.state)} · ${stateLine(link, now)}`];
  if (link.lastSuccessAt) {
    lines.push(t('network.lastSuccess', { at: clockTime(link.lastSuccessAt) }));
  }
  if (link.lagChanges) {
    lines.push(t('network.lagChanges', { n: formatNumber(link.lagChanges) }));
  }
  if (link.lastError && link.state === 'down') {
    lines.push(t('network.lastError', { error: link.lastError }));
  }
  return lines.join('\n');
}

/** An alarm's line: who, what, since when, and (for a link down) the last error. */
function alarmLine(link, now) {
  const since = sinceSeconds(link.alarm.since, now);
  const text = t('network.alarm.' + link.alarm.reason, {
    name: linkName(link),
    duration: since === null ? '—' : duration(since),
    lag: link.lagSeconds === null || link.lagSeconds === undefined ? '—' : duration(link.lagSeconds),
    at: link.alarm.since ? clockTime(link.alarm.since) : '—',
  });
  return link.alarm.reason === 'down' && link.lastError ? `${text} · ${t('network.lastError', { error: link.lastError })}` : text;
}

/**
 * Starts watching the links. wall: the map (setLinks); onAlarm(kind, text): a new alarm or one
 * that ended, for the ticker; onError(err): a failed read (said once until one succeeds).
 */
export function networkView({ wall, onAlarm = () => {}, onError = () => {} }) {
  const card = document.getElementById('network-card');
  const list = document.getElementById('network-list');
  const legend = document.getElementById('network-legend');
  const uplink = document.getElementById('uplink');
  const banner = document.getElementById('link-alarms');
  let last = null;
  let alarmed = new Map(); // code → reason, of the last answer
  let failing = false;

  function networked(links) {
    const configured = (l) => l && l.state !== 'not_connected';
    return configured(links.upstream) || links.downstream.some(configured);
  }

  function renderUplink(link, now) {
    uplink.hidden = !link;
    if (!link) {
      return;
    }
    uplink.dataset.state = link.state;
    uplink.dataset.alarm = String(Boolean(link.alarm));
    uplink.title = details(link, now);
    uplink.replaceChildren(
      el('span', 'uplink-label', t('network.upstream')),
      el('span', 'uplink-name', linkName(link)),
      el('span', 'link-dot'),
      el('span', 'uplink-state', t('network.state.' + link.state)),
      el('span', 'uplink-lag num', link.state === 'not_connected' ? '' : stateLine(link, now, true)),
    );
  }

  function renderLegend(summary) {
    legend.replaceChildren(...Object.keys(LINK_COLOURS).map((state) => {
      const li = el('li', 'network-legend-row');
      li.dataset.state = state;
      const swatch = el('span', 'link-swatch');
      swatch.style.borderColor = LINK_COLOURS[state];
      const count = summary[state === 'not_connected' ? 'notConnected' : state];
      li.append(swatch, el('span', null, t('network.state.' + state)), el('span', 'num legend-count', formatNumber(count)));
      return li;
    }));
  }

  function renderList(links, now) {
    list.replaceChildren(...links.downstream.map((link) => {
      const li = el('li', 'network-link');
      li.dataset.code = link.code;
      li.dataset.state = link.state;
      li.dataset.alarm = String(Boolean(link.alarm));
      li.title = details(link, now);
      li.append(el('span', 'link-dot'), el('span', 'network-name', linkName(link, true)), el('span', 'network-lag num', stateLine(link, now, true)));
      return li;
    }));
  }

  function renderBanner(links, now) {
    const alarms = [links.upstream, ...links.downstream].filter((l) => l && l.alarm);
    banner.hidden = alarms.length === 0;
    if (!alarms.length) {
      banner.replaceChildren();
      return;
    }
    const lines = alarms.slice(0, BANNER_LINES).map((link) => {
      const li = el('li', null, alarmLine(link, now));
      li.dataset.code = link.code;
      li.dataset.reason = link.alarm.reason;
      return li;
    });
    if (alarms.length > BANNER_LINES) {
      lines.push(el('li', 'muted', t('network.more', { n: alarms.length - BANNER_LINES })));
    }
    const items = el('ul');
    items.append(...lines);
    banner.replaceChildren(el('strong', 'link-alarms-title', t('network.alarm.title', { n: alarms.length })), items);
  }

  /** Tells the ticker of each alarm that went up or ended since the last answer (none on the first). */
  function compareAlarms(links, now) {
    const next = new Map();
    for (const link of [links.upstream, ...links.downstream]) {
      if (link && link.alarm) {
        next.set(link.code, link.alarm.reason);
        if (last && alarmed.get(link.code) !== link.alarm.reason) {
          onAlarm('alarm', alarmLine(link, now));
        }
      }
    }
    if (last) {
      for (const code of alarmed.keys()) {
        const link = [links.upstream, ...links.downstream].find((l) => l && l.code === code);
        if (link && !next.has(code)) {
          onAlarm('recovered', t('network.recovered', { name: linkName(link) }));
        }
      }
    }
    alarmed = next;
  }

  function render() {
    if (!last) {
      return;
    }
    const now = Date.now();
    const on = networked(last);
    document.body.dataset.network = on ? 'ready' : 'none';
    card.hidden = !on || last.downstream.length === 0;
    renderUplink(on ? last.upstream : null, now);
    wall.setLinks(new Map(on ? last.downstream.map((l) => [l.code, { state: l.state, alarm: Boolean(l.alarm) }]) : []));
    if (!on) {
      banner.hidden = true;
      return;
    }
    renderLegend(last.summary);
    renderList(last, now);
    renderBanner(last, now);
  }

  async function refresh() {
    try {
      const links = await api('/api/v1/sync/links');
      compareAlarms(links, Date.now());
      last = links;
      failing = false;
      render();
    } catch (err) {
      if (!failing) {
        onError(err);
      }
      failing = true;
    }
  }

  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return { refresh, rerender: render, stop: () => clearInterval(timer) };
}
