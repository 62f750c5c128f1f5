// header: the parts of the page header every app shares (wall, desk, tablet, import console,
// audit): who is signed in, the clock, sign-out. The markup is each page's own.

import { api } from '/assets/api.js';
import { lang, t } from '/assets/i18n.js';

export function renderUser(me) {
  document.getElementById('user-name').textContent = me ? me.displayName || me.username : '';
  const role = document.getElementById('user-role');
  role.textContent = me ? t('header.role.' + me.role) : '';
  role.hidden = !me;
}

/** The header clock: 2026-11-28 星期六 10:24:05, or only the time where the page asks (tablet). */
export function tick(short = false) {
  const clock = document.getElementById('clock');
  if (!clock) {
    return;
  }
  const now = new Date();
  const two = (n) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const weekday = new Intl.DateTimeFormat(lang(), { weekday: 'long' }).format(now);
  const time = `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  clock.dateTime = now.toISOString();
  clock.textContent = short ? time : `${date}  ${weekday}  ${time}`;
}

/** Ends the session on the server; resolves false when the server could not be reached (it goes on there). */
export async function endSession() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST', redirectOnUnauthorized: false });
  } catch (err) {
    return err.status !== 0; // 401: gone already
  }
  return true;
}

/** The login page, leading back to next (a local path) when given. */
export function loginPage(next) {
  return next ? '/login?next=' + encodeURIComponent(next) : '/login';
}

export async function signOut(next) {
  await endSession();
  location.replace(loginPage(next));
}

/**
 * The platform's name in the header and the page title, as the node the page runs on says it
 * (/api/v1/me: node.level, node.name): 广州市网格化平台, 海珠区网格化管理指挥中心, 赤岗街道网格化平台. A page
 * title with its own part ("调度台 · …") keeps that part.
 */
export function renderNodeTitle(me) {
  const node = me && me.node;
  if (!node) {
    return;
  }
  const name = lang() === 'en' && node.nameEn ? node.nameEn : node.name;
  const title = t('node.title.' + node.level, { name });
  const header = document.getElementById('app-title');
  if (header) {
    delete header.dataset.i18n; // the node's title, not the page's static one, from now on
    header.textContent = title;
  }
  const page = document.querySelector('title');
  if (page.dataset.i18n) {
    page.dataset.pageKey = page.dataset.i18n; // its own part follows the language from now on, through this
    delete page.dataset.i18n;
  }
  const own = (page.dataset.pageKey ? t(page.dataset.pageKey) : page.textContent).split(' · ');
  page.textContent = own.length > 1 ? own[0] + ' · ' + title : title;
}
