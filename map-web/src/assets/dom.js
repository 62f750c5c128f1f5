// dom: how the pages put data on screen. Data — anything from the API, typed by a user or sent by
// a peer system (case titles, comments, names, addresses, file names) — goes into the page as text,
// never as markup: el() sets textContent, and library calls that would take HTML (Leaflet popups,
// ECharts tooltips) are given elements built with it. The one library option that takes nothing
// but an HTML string (Leaflet's attribution line) gets escapeHtml(). The DOM's markup sinks
// (innerHTML and the like) are used nowhere: HtmlSinksTest fails the build when one appears, and
// the Content-Security-Policy (server: SecurityHeaders) runs no inline script should one slip by.

/** Builds an element with a class and text; the pages' small DOM helper. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined && text !== null) {
    e.textContent = text;
  }
  return e;
}

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** text as HTML that shows exactly that text, in an element or in a quoted attribute. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
