// search: the wall's search box. Grid codes, street and community names, enterprise names or credit
// codes, house addresses: the server searches them all (GET /api/v1/search) within the caller's
// scope; choosing a result calls onPick(item), which flies the map there and opens its details.

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';

const DELAY_MS = 250;

export function searchBox({ input, list, onPick, onError }) {
  let items = [];
  let active = -1;
  let timer = 0;
  let request = null;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
  }

  function render(q) {
    list.replaceChildren();
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'search-empty';
      li.textContent = t('search.none', { q });
      list.append(li);
    }
    items.forEach((item, i) => {
      const li = document.createElement('li');
      li.className = 'search-item';
      li.id = 'search-item-' + i;
      li.setAttribute('role', 'option');
      li.dataset.kind = item.kind;
      li.dataset.code = item.code;
      li.setAttribute('aria-selected', String(i === active));
      const kind = document.createElement('span');
      kind.className = 'search-kind';
      kind.textContent = t('search.kind.' + item.kind);
      const name = document.createElement('span');
      name.className = 'search-name';
      name.textContent = item.name;
      const code = document.createElement('span');
      code.className = 'search-code num';
      code.textContent = item.kind === 'house' ? item.gridCode || '' : item.code;
      li.append(kind, name, code);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault(); // keep the focus in the box until the pick is done
        pick(i);
      });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  async function run(q) {
    if (request) {
      request.abort();
    }
    request = new AbortController();
    try {
      const answer = await api('/api/v1/search?q=' + encodeURIComponent(q), { signal: request.signal });
      if (input.value.trim() !== q) {
        return; // typed on meanwhile
      }
      items = answer.items;
      active = items.length ? 0 : -1;
      render(q);
      document.body.dataset.searchResults = String(items.length);
    } catch (err) {
      if (err.name !== 'AbortError') {
        onError(err);
      }
    }
  }

  function pick(i) {
    const item = items[i];
    if (!item) {
      return;
    }
    close();
    input.blur();
    onPick(item);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) {
      close();
      return;
    }
    timer = setTimeout(() => run(q), DELAY_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (items.length) {
        active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
        input.setAttribute('aria-activedescendant', 'search-item-' + active);
      }
      e.preventDefault();
    } else if (e.key === 'Enter') {
      clearTimeout(timer);
      if (items.length && !list.hidden) {
        pick(Math.max(0, active));
      } else if (input.value.trim()) {
        run(input.value.trim());
      }
      e.preventDefault();
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));

  return { close };
}
