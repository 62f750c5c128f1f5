// forget: what signing out leaves on the tablet: nothing of the worker's. A tablet passes from hand
// to hand (shifts, a colleague's device); the next person must not find the last one's tasks (case
// texts name residents, addresses, phone numbers), their answers log, queued reports or photos.
// What stays: the app shell (the service worker's copy of pages and scripts, no data) and the
// language choice.
//
// Unsent items (待发送) are the worker's field work, and once they sign out nobody may send them
// (an item goes out only under its own worker's session). So a sign-out with items still queued
// asks first (main.js): stay and send them, or sign out and lose them. A session that just ends
// (it expires, or the next worker signs in over the login page) has no such moment: the items
// then stay on the tablet under their worker's name, never shown or sent for anyone else, and go
// out when that worker signs in again; the other workers' task lists go as soon as someone else
// signs in (forgetOthers).

import { RESULTS_KEY } from './outbox.js';
import { CACHE_KEY } from './tasks.js';

/** Everything the tablet app keeps in localStorage starts with this (the language is gridctl.lang). */
const PREFIX = 'gridctl.tablet.';
/** The service worker's cache of the app shell (sw.js SHELL_CACHE): the one cache that may stay. */
const SHELL_CACHE = 'gridctl-tablet-shell';

function storedKeys() {
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    keys.push(localStorage.key(i));
  }
  return keys;
}

/** After sign-out: every key of the tablet app, and any cache but the shell's. */
export async function forgetTablet() {
  storedKeys().filter((k) => k.startsWith(PREFIX)).forEach((k) => localStorage.removeItem(k));
  if (window.caches) { // only in secure contexts (https, localhost)
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n !== SHELL_CACHE).map((n) => caches.delete(n)));
  }
}

/** When user signs in: the task lists and answer logs other workers left behind. */
export function forgetOthers(user) {
  for (const prefix of [CACHE_KEY + '.', RESULTS_KEY + '.']) {
    storedKeys().filter((k) => k.startsWith(prefix) && k !== prefix + user).forEach((k) => localStorage.removeItem(k));
  }
}
