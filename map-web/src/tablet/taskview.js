// taskview: 我的任务 (the worker's open cases with countdowns) and one task with the actions the
// worker can take: 签收, 退单 (coded reason), 申请延期 (reason + hours), 开始处置, 处置反馈 (notes,
// photos, GPS stamp), 自行处置, 核实反馈. Every action goes through the outbox, online or not, so
// the path is the same; the list shows the state the queued actions lead to.

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import { countdown, el, formatTime, label, newId, originBox } from '/assets/cases.js';
import { locate, photoPicker } from './field.js';
import { localActions, optimistic } from './tasks.js';

/** Actions that carry the worker's notes, photos and position (where the work was done). */
const WITH_EVIDENCE = new Set(['feedback', 'self_handle', 'report_verification']);
/** Actions a tap is enough for (still confirmed, a tablet is easy to brush). */
const SIMPLE = new Set(['sign', 'start_handling']);

/**
 * ctx: {store (taskStore), outbox, reasons() → {returnReasons, extensionReasons}, queued() → the
 * outbox items, show(view), toast(text)}. Returns {renderList(), openTask(id), renderTask(), tick()}.
 */
export function taskViews(ctx) {
  const list = document.getElementById('task-list');
  const empty = document.getElementById('tasks-empty');
  const page = document.getElementById('view-task');
  let current = null; // {id, detail (server view or null), form: action or null}

  function itemsWithState() {
    const queued = ctx.queued();
    return ctx.store.items().map((c) => {
      const mine = queued.filter((q) => q.kind === 'action' && q.caseId === c.id);
      return { c, pending: mine.length, ...optimistic(c, mine) };
    });
  }

  function renderList() {
    const rows = itemsWithState();
    list.replaceChildren(...rows.map(({ c, pending, state }) => {
      const li = el('li', 'task card');
      li.dataset.caseId = c.id;
      li.dataset.state = state;
      li.tabIndex = 0;
      const top = el('div', 'task-top');
      top.append(el('span', 'num muted', c.number));
      if (c.urgency === 'urgent') {
        top.append(el('span', 'chip chip-urgent', t('case.urgency.urgent')));
      }
      const chip = el('span', 'state-chip', t('case.state.' + state));
      top.append(chip);
      if (pending) {
        const p = el('span', 'chip chip-pending', t('tablet.pendingN', { n: pending }));
        p.dataset.pending = String(pending);
        top.append(p);
      }
      li.append(top, el('h3', 'task-title', c.title), el('p', 'muted', `${label(c.category)} · ${c.address || c.gridCode || ''}`));
      const cd = el('span', 'countdown num');
      li.append(cd);
      li.addEventListener('click', () => openTask(c.id));
      return li;
    }));
    empty.hidden = rows.length > 0;
    const count = document.getElementById('task-count');
    count.textContent = rows.length ? String(rows.length) : '';
    tick();
  }

  function tick() {
    const now = Date.now();
    list.querySelectorAll('li[data-case-id]').forEach((li) => {
      const c = ctx.store.find(li.dataset.caseId);
      if (c) {
        const cd = countdown(c, c._loadedAt ?? ctx.store.loadedAt(), now);
        const span = li.querySelector('.countdown');
        span.textContent = cd.text;
        span.dataset.tone = cd.tone;
      }
    });
    const big = page.querySelector('.countdown.big');
    if (big && current) {
      const c = current.detail || ctx.store.find(current.id);
      if (c) {
        const cd = countdown(c, c._loadedAt ?? ctx.store.loadedAt(), now);
        big.textContent = cd.text;
        big.dataset.tone = cd.tone;
      }
    }
  }

  async function openTask(id) {
    current = { id, detail: null, form: null };
    ctx.show('task');
    renderTask();
    try {
      const detail = await api('/api/v1/cases/' + id);
      if (current && current.id === id) {
        detail._loadedAt = Date.now();
        current.detail = detail;
        ctx.store.put(detail);
        renderTask();
      }
    } catch (err) {
      // offline: the list's copy and the local workflow table will do
    }
  }

  /** The buttons: the server's list when it is fresh and nothing is queued; else the local guess. */
  function actionsFor(c, queued) {
    const { state, extensionPending } = optimistic(c, queued);
    if (current.detail && queued.length === 0) {
      return { state, actions: current.detail.availableActions.map((a) => a.action) };
    }
    return { state, actions: localActions(state, extensionPending) };
  }

  function renderTask() {
    if (!current) {
      return;
    }
    const c = current.detail || ctx.store.find(current.id);
    if (!c) {
      page.replaceChildren(el('p', 'empty', t('tablet.task.gone')));
      return;
    }
    const queued = ctx.queued().filter((q) => q.kind === 'action' && q.caseId === c.id);
    const { state, actions } = actionsFor(c, queued);
    page.dataset.caseId = c.id;
    page.dataset.state = state;
    const back = el('button', 'btn back', t('tablet.task.back'));
    back.type = 'button';
    back.addEventListener('click', () => {
      current = null;
      ctx.show('tasks');
    });
    const card = el('div', 'card task-detail');
    const head = el('div', 'task-top');
    head.append(el('span', 'num muted', c.number), el('span', 'state-chip state-big', t('case.state.' + state)));
    if (queued.length) {
      head.append(el('span', 'chip chip-pending', t('tablet.pendingN', { n: queued.length })));
    }
    card.append(head, el('h2', '', c.title));
    if (c.description) {
      card.append(el('p', 'desc', c.description));
    }
    const dl = el('dl', 'facts');
    const fact = (k, v) => dl.append(el('dt', '', t(k)), el('dd', '', v || '—'));
    fact('case.category', label(c.category));
    fact('case.address', c.address);
    fact('case.grid', c.gridCode);
    fact('case.deadline', formatTime(c.deadline));
    card.append(dl);
    const cd = el('span', 'countdown num big');
    card.append(cd);
    const origin = originBox(c);
    if (origin) {
      card.append(origin);
    }

    const actionCard = el('div', 'card');
    actionCard.id = 'task-actions';
    const buttons = el('div', 'big-buttons');
    for (const a of actions) {
      const b = el('button', 'btn big action' + (current.form === a ? ' active' : ''), t('case.action.' + a));
      b.type = 'button';
      b.dataset.action = a;
      b.addEventListener('click', () => {
        current.form = current.form === a ? null : a;
        renderTask();
      });
      buttons.append(b);
    }
    if (actions.length === 0) {
      actionCard.append(el('p', 'muted', t('tablet.task.noActions')));
    }
    actionCard.append(buttons);
    if (current.form && actions.includes(current.form)) {
      actionCard.append(actionForm(c, current.form));
    }

    const parts = [back, card, actionCard];
    if (current.detail && current.detail.history) {
      const h = el('div', 'card');
      h.append(el('h3', '', t('tablet.task.history')));
      const ol = el('ol', 'mini-history');
      for (const e of current.detail.history) {
        ol.append(el('li', '', `${formatTime(e.at)} ${t('case.action.' + e.action)} · ${e.actor.username}`
          + (e.comment ? ` · ${e.comment}` : '')));
      }
      h.append(ol);
      parts.push(h);
    }
    page.replaceChildren(...parts);
    tick();
  }

  function actionForm(c, action) {
    const form = el('form', 'form action-form');
    form.id = 'task-form';
    form.dataset.action = action;
    form.noValidate = true;
    const reasons = ctx.reasons();
    const list = action === 'return' ? reasons.returnReasons : action === 'request_extension' ? reasons.extensionReasons : null;
    if (list) {
      const sel = el('select');
      sel.name = 'reason';
      sel.append(new Option(t('tablet.form.pickReason'), ''));
      list.forEach((r) => sel.append(new Option(label(r), r.code)));
      form.append(field('tablet.form.reason', sel));
    }
    if (action === 'request_extension') {
      const hours = el('input');
      hours.type = 'number';
      hours.name = 'hours';
      hours.min = '1';
      hours.max = '2000';
      hours.value = '8';
      form.append(field('tablet.form.hours', hours));
    }
    let picker = null;
    if (!SIMPLE.has(action)) {
      const notes = el('textarea');
      notes.name = 'comment';
      notes.rows = 3;
      notes.maxLength = 4000;
      form.append(field(WITH_EVIDENCE.has(action) ? 'tablet.form.notes' : 'tablet.form.comment', notes));
    }
    if (WITH_EVIDENCE.has(action)) {
      const wrap = el('div', 'field');
      wrap.append(el('span', '', t('tablet.photos')));
      const row = el('div', 'photo-row');
      const add = el('label', 'photo-add');
      const input = el('input');
      input.type = 'file';
      input.accept = 'image/*';
      input.capture = 'environment';
      input.multiple = true;
      input.id = 'task-photo';
      add.append(input, el('span', '', t('tablet.photos.add')));
      const previews = el('div', 'previews');
      previews.id = 'task-previews';
      row.append(add, previews);
      wrap.append(row, el('p', 'muted', t('tablet.form.gpsNote')));
      form.append(wrap);
      picker = photoPicker(input, previews);
    }
    const error = el('p', 'notice');
    error.hidden = true;
    const ok = el('button', 'btn btn-primary big', t('tablet.form.confirm', { action: t('case.action.' + action) }));
    ok.type = 'submit';
    ok.id = 'task-confirm';
    form.append(error, ok);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { action, clientActionId: newId() };
      const comment = form.comment ? form.comment.value.trim() : '';
      if (comment) {
        body.comment = comment;
      }
      if (form.reason) {
        if (!form.reason.value) {
          error.textContent = t('tablet.form.reasonMissing');
          error.hidden = false;
          return;
        }
        body.reason = form.reason.value;
      }
      if (form.hours && form.hours.value) {
        body.hours = Number(form.hours.value);
      }
      if (action === 'feedback' && !comment) {
        error.textContent = t('tablet.form.notesMissing');
        error.hidden = false;
        return;
      }
      ok.disabled = true;
      if (WITH_EVIDENCE.has(action)) {
        ok.textContent = t('tablet.form.locating');
        // the GPS stamp; where the device will not tell, the case's own location (so flagged in the note)
        const where = await locate(c.location);
        if (where) {
          body.location = { lon: where.lon, lat: where.lat };
          if (where.source === 'fallback') {
            body.comment = (body.comment ? body.comment + ' ' : '') + t('tablet.form.noGpsTag');
          }
        }
        const ids = [];
        for (const p of picker.photos()) {
          const id = newId();
          ids.push(id);
          await ctx.outbox.enqueue({ kind: 'photo', key: id, caseId: c.id, blob: p.blob, fileName: p.name,
            location: body.location || null, label: t('tablet.outbox.photoOf', { number: c.number }) });
        }
        if (ids.length) {
          body.attachments = ids;
        }
      }
      await ctx.outbox.enqueue({ kind: 'action', key: body.clientActionId, caseId: c.id, body,
        label: `${t('case.action.' + action)} · ${c.number}` });
      current.form = null;
      ctx.toast(t('tablet.queued', { what: t('case.action.' + action) }));
      ctx.changed();
    });
    return form;
  }

  function field(key, input) {
    const l = el('label', 'field');
    l.append(el('span', '', t(key)), input);
    return l;
  }

  return {
    renderList,
    openTask,
    renderTask,
    tick,
    current: () => current,
    /** The server's view of a case after one of its actions went through: fresher than any guess. */
    accept: (view) => {
      if (current && current.id === view.id && view.availableActions) {
        current.detail = { ...view, _loadedAt: Date.now() };
      }
    },
    /** After the server answered an action on the open task: show its view. */
    refreshOpen: async () => {
      if (current) {
        await openTask(current.id).catch(() => {});
      }
    },
  };
}
