// casepanel: one case on the desk: what it is, where it was routed (grid, worker, department,
// the near-boundary and outside-district flags to confirm), possible duplicates within 50 m,
// the caller's available actions as buttons, and the history. An action that needs more than a
// click (a reason, a worker, hours, a comment) opens a small form under the buttons; a refusal
// shows the server's reason in the page's language.

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import { countdown, el, formatTime, label, newId, originBox, refusalText, stateLabel } from '/assets/cases.js';

/** Actions where the desk may name the worker (ActionRequest.TAKES_ASSIGNEE). */
const TAKES_ASSIGNEE = new Set(['verify', 'dispatch', 'review_dispatch']);
/** Actions with a number of working hours (ActionRequest.TAKES_HOURS). */
const TAKES_HOURS = new Set(['request_extension', 'grant_extension']);
/** The desk asks for a comment on these: the caller and the record deserve a why. */
const NEEDS_COMMENT = new Set(['reject', 'redispatch', 'refuse_extension', 'rework', 'reopen', 'suspend']);
/** States in which possible duplicates matter (before 立案 and 派遣). */
const DUPLICATE_STATES = new Set(['reported', 'verifying', 'filed']);

/**
 * The panel in element. onChanged(case) after an action went through; onOpen(id) to show another
 * case (a duplicate); streetName(code) the name to show beside a street code. Returns {show(id, preloaded?), refresh(), tick(), render(), current()}.
 */
export function casePanel(element, { onChanged, onOpen, streetName = (code) => code, departments = [] }) {
  let view = null; // the case with history and availableActions
  let loadedAt = Date.now();
  let duplicates = [];
  let workers = [];
  let open = null; // the action whose form is open
  let message = null; // {ok, text} after the last action
  let request = null;

  async function show(id, preloaded = null) {
    open = null;
    message = null;
    try {
      const { full, dups, signal } = await fetchCase(id, preloaded && preloaded.duplicates);
      view = full;
      loadedAt = Date.now();
      duplicates = dups;
      workers = await gridWorkers(view.gridCode, signal);
      render();
    } catch (err) {
      if (err.name !== 'AbortError') {
        element.replaceChildren(el('p', 'notice', refusalText(err)));
        element.hidden = false;
      }
    }
  }

  /** The case and its possible duplicates; a later fetch cancels an earlier one still running. */
  async function fetchCase(id, knownDuplicates = null) {
    if (request) {
      request.abort();
    }
    request = new AbortController();
    const signal = request.signal;
    const [full, dups] = await Promise.all([
      api('/api/v1/cases/' + id, { signal }),
      knownDuplicates || api('/api/v1/cases/' + id + '/duplicates', { signal }).then((d) => d.items),
    ]);
    return { full, dups, signal };
  }

  /** The grid's workers on duty, for the assignee override (派遣 to someone else). */
  async function gridWorkers(code, signal) {
    if (!code) {
      return [];
    }
    try {
      const grid = await api('/api/v1/grids/' + code, { signal });
      return (grid.workers || []).filter((w) => w.id !== undefined);
    } catch (err) {
      return [];
    }
  }

  /**
   * The shown case again, after a pushed event. Leaves the open action form alone: a dispatcher may
   * be typing in it (re-rendering would drop the text); the fresh data shows once the form closes,
   * and a submission against a state that moved on gets the server's 409 with the reason.
   */
  async function refresh() {
    if (!view || open) {
      return;
    }
    try {
      const { full, dups, signal } = await fetchCase(view.id);
      if (full.gridCode !== view.gridCode) {
        workers = await gridWorkers(full.gridCode, signal);
      }
      view = full;
      loadedAt = Date.now();
      duplicates = dups;
      if (!open) {
        render();
      }
    } catch (err) {
      // keep what is shown (an abort means another case was opened); the next event tries again
    }
  }

  function render() {
    if (!view) {
      return;
    }
    const c = view;
    element.hidden = false;
    element.dataset.caseId = c.id;
    element.dataset.state = c.state;
    element.dataset.version = String(c.version);
    const head = el('div', 'panel-title');
    const h = el('h2', 'case-heading');
    h.append(el('span', 'num', c.number), document.createTextNode(' ' + c.title));
    head.append(h, el('span', 'state-chip state-big', stateLabel(c)));

    const facts = el('dl', 'facts');
    const fact = (key, value, cls = '') => {
      facts.append(el('dt', '', t(key)), el('dd', cls, value === null || value === undefined || value === '' ? '—' : value));
    };
    fact('case.source', t('case.source.' + c.source));
    fact('case.category', `${label(c.category)} · ${c.category.code}`);
    fact('case.urgency', t('case.urgency.' + c.urgency));
    fact('case.department', label(c.department));
    fact('case.address', c.address);
    fact('case.location', `${c.location.lon.toFixed(6)}, ${c.location.lat.toFixed(6)}`, 'num');
    fact('case.reporter', c.reporter);
    fact('case.createdAt', formatTime(c.createdAt), 'num');
    fact('case.deadline', formatTime(c.deadline), 'num');
    const cd = countdown(c, loadedAt);
    facts.append(el('dt', '', t('case.countdown')));
    const cdd = el('dd');
    const span = el('span', 'countdown num big', cd.text);
    span.dataset.tone = cd.tone;
    cdd.append(span);
    facts.append(cdd);

    const parts = [head, el('div', 'case-scroll')];
    const scroll = parts[1];
    if (c.description) {
      scroll.append(el('p', 'case-description', c.description));
    }
    const origin = originBox(c);
    scroll.append(...(origin ? [origin] : []), facts, routing(c), duplicatesBox(), actionsBox(), historyBox());
    element.replaceChildren(...parts);
  }

  /** 分派结果: where the point fell and who got it, with what the dispatcher must confirm. */
  function routing(c) {
    const box = el('section', 'routing');
    box.id = 'routing';
    box.append(el('h3', '', t('desk.routing.title')));
    const dl = el('dl', 'facts');
    const add = (key, value, field) => {
      const dd = el('dd', 'num', value || '—');
      dd.dataset.field = field;
      dl.append(el('dt', '', t(key)), dd);
    };
    add('case.grid', c.gridCode, 'grid');
    add('case.community', c.communityCode, 'community');
    add('case.street', c.streetCode, 'street');
    if (c.streetCode && streetName(c.streetCode) !== c.streetCode) {
      dl.lastChild.dataset.name = streetName(c.streetCode);
      dl.lastChild.title = streetName(c.streetCode);
      dl.lastChild.append(el('span', 'muted', ' ' + streetName(c.streetCode)));
    }
    add('case.assignee', c.assignee ? `${c.assignee.name}（#${c.assignee.id}）` : t('desk.routing.noWorker'), 'assignee');
    box.append(dl);
    const f = c.flags || {};
    if (f.outsideDistrict) {
      box.append(flag('outside', t('case.flag.outside')));
    } else if (f.nearBoundary) {
      box.append(flag('near', t('case.flag.near', { m: f.boundaryDistanceM ?? '?' })));
    }
    if (f.farCompletion) {
      box.append(flag('far', t('case.flag.far')));
    }
    return box;
  }

  function flag(kind, text) {
    const p = el('p', 'flag', text);
    p.dataset.flag = kind;
    return p;
  }

  function duplicatesBox() {
    const box = el('section', 'duplicates');
    box.id = 'duplicates';
    if (!DUPLICATE_STATES.has(view.state)) {
      box.hidden = true;
      return box;
    }
    box.append(el('h3', '', t('desk.duplicates.title', { n: duplicates.length })));
    if (duplicates.length === 0) {
      box.append(el('p', 'muted', t('desk.duplicates.none')));
      return box;
    }
    const ul = el('ul', 'dup-list');
    for (const d of duplicates) {
      const li = el('li');
      li.dataset.caseId = d.id;
      const a = el('button', 'link-btn', `${d.number} ${d.title}`);
      a.type = 'button';
      a.addEventListener('click', () => onOpen(d.id));
      li.append(a, el('span', 'muted', ` · ${stateLabel(d)} · ${t('desk.duplicates.distance', { m: d.distanceM })}`));
      ul.append(li);
    }
    box.append(ul, el('p', 'field-help', t('desk.duplicates.hint')));
    return box;
  }

  function actionsBox() {
    const box = el('section', 'actions');
    box.id = 'actions';
    box.append(el('h3', '', t('desk.actions.title')));
    const list = view.availableActions || [];
    if (list.length === 0) {
      box.append(el('p', 'muted', t('desk.actions.none')));
    }
    const buttons = el('div', 'action-buttons');
    for (const a of list) {
      const b = el('button', 'btn action-btn' + (open === a.action ? ' active' : ''), label(a));
      b.type = 'button';
      b.dataset.action = a.action;
      b.addEventListener('click', () => {
        open = open === a.action ? null : a.action;
        message = null;
        render();
      });
      buttons.append(b);
    }
    box.append(buttons);
    const current = list.find((a) => a.action === open);
    if (current) {
      box.append(actionForm(current));
    }
    if (message) {
      const p = el('p', message.ok ? 'ok-line' : 'notice', message.text);
      p.id = 'action-result';
      p.dataset.ok = String(message.ok);
      box.append(p);
    }
    return box;
  }

  function actionForm(a) {
    const form = el('form', 'action-form');
    form.id = 'action-form';
    form.dataset.action = a.action;
    form.noValidate = true;
    if (a.reasons) {
      const sel = el('select');
      sel.name = 'reason';
      sel.append(new Option(t('desk.actions.pickReason'), ''));
      for (const r of a.reasons) {
        sel.append(new Option(label(r), r.code));
      }
      form.append(field('desk.actions.reason', sel));
    }
    if (TAKES_ASSIGNEE.has(a.action)) {
      const sel = el('select');
      sel.name = 'assignee';
      const routed = view.assignee ? `${view.assignee.name}（#${view.assignee.id}）` : t('desk.routing.noWorker');
      sel.append(new Option(t('desk.actions.routedWorker', { name: routed }), ''));
      for (const w of workers) {
        if (!view.assignee || w.id !== view.assignee.id) {
          sel.append(new Option(`${w.name}（#${w.id}）`, String(w.id)));
        }
      }
      const other = el('input');
      other.name = 'assigneeId';
      other.type = 'text';
      other.inputMode = 'numeric';
      other.placeholder = t('desk.actions.assigneeId');
      const wrap = el('div', 'field-row');
      wrap.append(field('desk.actions.assignee', sel), field('desk.actions.assigneeOther', other));
      form.append(wrap);
    }
    if (a.action === 'review_opinion') {
      // 会审意见: each opinion speaks for one department; the decision needs two departments' opinions
      const sel = el('select');
      sel.name = 'department';
      sel.append(new Option(t('desk.actions.pickDepartment'), ''));
      for (const d of departments) {
        sel.append(new Option(`${label(d)}（${d.code}）`, d.code));
      }
      form.append(field('desk.actions.department', sel));
    }
    if (TAKES_HOURS.has(a.action)) {
      const hours = el('input');
      hours.name = 'hours';
      hours.type = 'number';
      hours.min = '1';
      hours.max = '2000';
      form.append(field(a.action === 'grant_extension' ? 'desk.actions.hoursGranted' : 'desk.actions.hours', hours));
    }
    const comment = el('textarea');
    comment.name = 'comment';
    comment.rows = 2;
    comment.maxLength = 4000;
    comment.placeholder = t(NEEDS_COMMENT.has(a.action) ? 'desk.actions.commentRequired' : 'desk.actions.commentOptional');
    form.append(field('desk.actions.comment', comment));
    const error = el('p', 'notice');
    error.hidden = true;
    const row = el('div', 'action-form-buttons');
    const ok = el('button', 'btn btn-primary', t('desk.actions.confirm', { action: label(a) }));
    ok.type = 'submit';
    ok.id = 'action-confirm';
    const cancel = el('button', 'btn', t('desk.actions.cancel'));
    cancel.type = 'button';
    cancel.addEventListener('click', () => {
      open = null;
      render();
    });
    row.append(ok, cancel);
    form.append(error, row);
    // one id per opened form: a double click or a retry after a lost answer is the same action
    const clientActionId = newId();
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit(a, form, error, ok, clientActionId);
    });
    return form;
  }

  function field(key, input) {
    const l = el('label', 'field');
    l.append(el('span', 'field-label', t(key)), input);
    return l;
  }

  async function submit(a, form, error, button, clientActionId) {
    const body = { action: a.action, clientActionId };
    const comment = form.comment.value.trim();
    if (comment) {
      body.comment = comment;
    }
    const fail = (text) => {
      error.textContent = text;
      error.hidden = false;
    };
    if (NEEDS_COMMENT.has(a.action) && !comment) {
      fail(t('desk.actions.commentMissing'));
      return;
    }
    if (form.reason) {
      if (!form.reason.value) {
        fail(t('desk.actions.reasonMissing'));
        return;
      }
      body.reason = form.reason.value;
    }
    if (form.assignee) {
      const typed = form.assigneeId.value.trim();
      const id = typed || form.assignee.value;
      if (id) {
        if (!/^\d{1,18}$/.test(id)) {
          fail(t('desk.actions.assigneeInvalid'));
          return;
        }
        body.assignee = Number(id);
      }
    }
    if (form.hours && form.hours.value) {
      body.hours = Number(form.hours.value);
    }
    if (form.department) {
      if (!form.department.value) {
        fail(t('desk.actions.departmentMissing'));
        return;
      }
      body.department = form.department.value;
    }
    button.disabled = true;
    try {
      const result = await api('/api/v1/cases/' + view.id + '/actions', { method: 'POST', body });
      message = { ok: true, text: t('desk.actions.done', { action: label(a), state: stateLabel(result) }) };
      open = null;
      const keep = message;
      await show(view.id);
      message = keep;
      render();
      onChanged(result);
    } catch (err) {
      button.disabled = false;
      fail(refusalText(err));
    }
  }

  function historyBox() {
    const box = el('section', 'history-box');
    box.id = 'case-history';
    box.append(el('h3', '', t('desk.history.title')));
    const ol = el('ol', 'timeline');
    for (const e of view.history || []) {
      const li = el('li');
      li.dataset.action = e.action;
      const head = el('div', 'tl-head');
      head.append(el('span', 'num tl-time', formatTime(e.at)), el('strong', '', actionName(e)),
        el('span', 'muted', `${e.actor.username} · ${t('header.role.' + e.actor.role)}`));
      li.append(head);
      const lines = [];
      if (e.toState) {
        lines.push(t('desk.history.to', { state: t('case.state.' + e.toState) }));
      }
      if (e.reason) {
        lines.push(t('desk.history.reason', { reason: label(e.reason) }));
      }
      if (e.details && e.details.satisfaction) {
        lines.push(t('case.satisfaction.' + e.details.satisfaction));
      }
      if (e.details && e.details.hoursRequested) {
        lines.push(t('desk.history.hours', { h: e.details.hoursRequested }));
      }
      if (e.details && e.details.hoursGranted) {
        lines.push(t('desk.history.hours', { h: e.details.hoursGranted }));
      }
      if (lines.length) {
        li.append(el('div', 'tl-line muted', lines.join(' · ')));
      }
      if (e.comment) {
        li.append(el('div', 'tl-line', e.comment));
      }
      if (e.attachments && e.attachments.length) {
        const photos = el('div', 'tl-photos');
        for (const id of e.attachments) {
          const link = el('a');
          link.href = '/api/v1/attachments/' + id;
          link.target = '_blank';
          const img = el('img');
          img.src = '/api/v1/attachments/' + id + '/thumbnail';
          img.alt = t('desk.history.photo');
          link.append(img);
          photos.append(link);
        }
        li.append(photos);
      }
      ol.append(li);
    }
    box.append(ol);
    return box;
  }

  function actionName(e) {
    const key = 'case.action.' + e.action;
    const text = t(key);
    return text === key ? e.actionZh : text;
  }

  /** The panel's countdown, once a second. */
  function tick() {
    if (!view) {
      return;
    }
    const span = element.querySelector('.countdown.big');
    if (span) {
      const cd = countdown(view, loadedAt);
      span.textContent = cd.text;
      span.dataset.tone = cd.tone;
    }
  }

  return {
    show,
    refresh,
    tick,
    render,
    current: () => view,
    clear: () => {
      view = null;
      element.hidden = true;
    },
  };
}
