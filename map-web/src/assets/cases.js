// cases: what the desk and the tablet both show about a case. The deadline countdown is in
// working time (工作时间): the server sends clock.remainingSeconds as of its answer; between two
// answers the page takes off the working time that has passed since, on the calendar the server
// reports (/api/v1/case-categories → workingHours, Monday to Friday, Asia/Shanghai). Public
// holidays are not known here; the pages reload their lists every minute, which corrects that.

import { el } from '/assets/dom.js';
import { lang, t } from '/assets/i18n.js';
import '/assets/cases-i18n.js';

/** The states a case ends in: every other state is open (the API's open=true, server: queue_filter.sql). */
export const CLOSED_STATES = ['closed', 'evaluated', 'rejected', 'returned_up'];

/** Less working time left than this turns the countdown amber (2 working hours). */
export const WARN_SECONDS = 2 * 3600;

/** China has had no daylight saving since 1991: Beijing time is UTC+8 all year. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The default calendar of the server (WorkingCalendar.DEFAULT_HOURS), until it tells us its own. */
let periods = parsePeriods(['08:30-12:00', '14:00-18:00']);

function parsePeriods(list) {
  return list.map((p) => {
    const [a, b] = p.split('-').map((hm) => {
      const [h, m] = hm.split(':').map(Number);
      return (h * 60 + m) * 60 * 1000;
    });
    return [a, b];
  });
}

/** Takes the server's working hours, e.g. ["08:30-12:00", "14:00-18:00"]. */
export function setWorkingHours(list) {
  if (Array.isArray(list) && list.length > 0) {
    periods = parsePeriods(list);
  }
}

/** Milliseconds of working time between two instants (epoch ms), weekdays only. */
export function workingMsBetween(from, to) {
  if (to <= from) {
    return 0;
  }
  let total = 0;
  // walk Beijing days; a countdown interval is seconds to minutes, so this loops once or twice
  let dayStart = Math.floor((from + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
  for (; dayStart < to; dayStart += DAY_MS) {
    const weekday = new Date(dayStart + BEIJING_OFFSET_MS).getUTCDay();
    if (weekday === 0 || weekday === 6) {
      continue;
    }
    for (const [a, b] of periods) {
      const start = Math.max(from, dayStart + a);
      const end = Math.min(to, dayStart + b);
      if (end > start) {
        total += end - start;
      }
    }
  }
  return total;
}

/**
 * The working seconds left on a case's clock now, or null when it has no running or paused clock
 * (not dispatched yet, or closed). loadedAt: when the case was fetched (epoch ms).
 */
export function remainingSeconds(c, loadedAt, now = Date.now()) {
  const clock = c && c.clock;
  if (!clock || clock.stopped) {
    return null;
  }
  if (!clock.running) {
    return clock.remainingSeconds;
  }
  return clock.remainingSeconds - Math.floor(workingMsBetween(loadedAt, now) / 1000);
}

/** "3:05:07" for seconds of working time (hours may pass 24: they are working hours). */
export function hms(seconds) {
  const s = Math.abs(Math.trunc(seconds));
  const two = (n) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/**
 * The countdown of a case: {text, tone} where tone is overdue (red), warn (amber, < 2 working
 * hours), ok, paused (clock stopped for 反馈/缓办) or none (no clock).
 */
export function countdown(c, loadedAt, now = Date.now()) {
  const left = remainingSeconds(c, loadedAt, now);
  if (left === null) {
    if (c && c.clock && c.clock.stopped) {
      return { text: t('case.clock.stopped'), tone: 'none' };
    }
    return { text: t('case.clock.none'), tone: 'none' };
  }
  if (left < 0) {
    return { text: t('case.clock.overdue', { time: hms(left) }), tone: 'overdue' };
  }
  const text = t(c.clock.running ? 'case.clock.left' : 'case.clock.paused', { time: hms(left) });
  if (!c.clock.running) {
    return { text, tone: 'paused' };
  }
  return { text, tone: left < WARN_SECONDS ? 'warn' : 'ok' };
}

/** A label with its Chinese and English forms ({zh, en}) in the current language. */
export function label(x) {
  if (!x) {
    return '';
  }
  return (lang() === 'en' ? x.en : x.zh) || x.zh || x.en || '';
}

/** The state of a case in the current language (the API sends stateZh and stateEn). */
export function stateLabel(c) {
  return lang() === 'en' ? c.stateEn : c.stateZh;
}

/** The reason of a refused request: details.zh / details.en of the server's error, else its message. */
export function refusalText(err) {
  if (err && err.status === 0) {
    return t('error.network');
  }
  const d = err && err.details;
  if (d && (d.zh || d.en)) {
    return lang() === 'en' ? d.en || d.zh : d.zh || d.en;
  }
  return t('error.generic', { status: err ? err.status : '?', message: err ? err.message : '' });
}

/** Date and time in Beijing time, as dispatchers read it: 2026-03-02 14:05. */
export function formatTime(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(new Date(iso).getTime() + BEIJING_OFFSET_MS);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** The pages' one DOM helper (dom.js), also offered here beside the case helpers it goes with. */
export { el } from '/assets/dom.js';

/** A new random id for a case, an action or a photo (the server deduplicates retries by it). */
export function newId() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  // crypto.randomUUID needs a secure context; plain-HTTP intranet servers are not one
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * 上级派单: where a work order from a level above came from and its deadline there (办结时限), which
 * holds at every level; null for a case filed here. The same box on the desk and the tablet.
 */
export function originBox(c) {
  const o = c && c.origin;
  if (!o) {
    return null;
  }
  const box = el('section', 'origin-box');
  box.id = 'origin';
  box.dataset.originNode = o.node;
  box.dataset.overdue = String(o.overdue);
  box.append(el('h3', '', t('case.origin')));
  const dl = el('dl', 'facts');
  const add = (key, value, field, cls = '') => {
    const dd = el('dd', cls, value || '—');
    dd.dataset.field = field;
    dl.append(el('dt', '', t(key)), dd);
  };
  add('case.origin', t('case.origin.from', { level: t('case.origin.level.' + o.level), node: o.node }), 'from');
  add('case.origin.number', o.orderNumber, 'orderNumber', 'num');
  const left = o.remainingSeconds;
  const when = formatTime(o.deadline) + '（' + t(left < 0 ? 'case.clock.overdue' : 'case.clock.left',
    { time: hms(left) }) + '）';
  add('case.origin.deadline', when, 'originDeadline', 'num');
  if (o.timeLimit) {
    add('case.origin.timeLimit', o.timeLimit, 'timeLimit');
  }
  box.append(dl);
  return box;
}
