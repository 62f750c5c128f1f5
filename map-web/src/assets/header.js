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
