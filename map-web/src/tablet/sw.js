// sw: the tablet's service worker, so the app itself opens in the field without a signal. It keeps
// the app shell (the page, its modules, styles and Leaflet) and nothing else: no API answer and no
// personal data pass through its cache. The worker's tasks and queued actions live in the page's
// own stores (tasks.js, outbox.js), which were built for the network dropping while open.
//
// Network first: online, the tablet always gets the server's current page and scripts (a deploy is
// picked up on the next load, with no version to bump); only a failed fetch falls back to the copy.
// Scope /tablet/ (the script's folder); a browser registers it only on https or on localhost.

const SHELL_CACHE = 'gridctl-tablet-shell';
const LEAFLET = '/webjars/leaflet/1.9.4/dist/';

// Everything main.js loads, directly or through its imports. TabletPageIT opens the page with the
// server unreachable, so a module missing here fails that test rather than a worker in the field.
const SHELL = [
  '/tablet/',
  '/tablet/main.js',
  '/tablet/outbox.js',
  '/tablet/report.js',
  '/tablet/tasks.js',
  '/tablet/taskview.js',
  '/tablet/field.js',
  '/tablet/forget.js',
  '/tablet/i18n.js',
  '/tablet/tablet.css',
  '/assets/common.css',
  '/assets/base.css',
  '/assets/api.js',
  '/assets/i18n.js',
  '/assets/cases-i18n.js',
  '/assets/cases.js',
  '/assets/dom.js',
  '/assets/header.js',
  '/assets/live.js',
  '/assets/pickmap.js',
  '/assets/favicon.svg',
  LEAFLET + 'leaflet.js',
  LEAFLET + 'leaflet.css',
  LEAFLET + 'images/layers.png',
  LEAFLET + 'images/layers-2x.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== SHELL_CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

/** The cache key of a request for the shell, or null when the request is not the shell's. */
function shellKey(request) {
  if (request.method !== 'GET') {
    return null;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return null;
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/tablet/')) {
    return '/tablet/';
  }
  return SHELL.includes(url.pathname) ? url.pathname : null;
}

self.addEventListener('fetch', (event) => {
  const key = shellKey(event.request);
  if (!key) {
    return; // the API, events, tiles and photos go to the network as if there were no worker
  }
  event.respondWith((async () => {
    const cache = await caches.open(SHELL_CACHE);
    try {
      const response = await fetch(event.request);
      // a signed-out tablet gets the login redirect, which must not replace the page
      if (response.ok && response.type === 'basic' && !response.redirected) {
        await cache.put(key, response.clone());
      }
      return response;
    } catch (offline) {
      const copy = await cache.match(key);
      if (copy) {
        return copy;
      }
      throw offline;
    }
  })());
});
