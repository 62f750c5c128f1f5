// api: JSON over fetch with the server's one error shape, {"error":{"code","message","details"}}.
// A 401 on a signed-in page means the session ended: go to the login page and come back here.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Where the login page sends you back to: local paths only (one leading "/", no "//" or "\").
 * Control characters are refused too: URL parsing drops tabs and newlines, so "/\t/evil.example"
 * would become "//evil.example", another site. Finally the parsed URL must stay on this origin.
 */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')
    || /[\u0000-\u001f\u007f]/.test(next)) {
    return '/';
  }
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
}

export function loginUrl() {
  const here = location.pathname + location.search + location.hash;
  return '/login?next=' + encodeURIComponent(here);
}

/**
 * Calls the API and resolves with the parsed JSON body (null for 204).
 * Rejects with ApiError: status 0 and code "network" when the server cannot be reached.
 * Options: method, body (sent as JSON), signal, redirectOnUnauthorized (default true).
 */
export async function api(path, { method = 'GET', body, signal, redirectOnUnauthorized = true } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'network', e.message);
  }
  if (response.status === 204) {
    return null;
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!response.ok) {
    throw failure(response, data, redirectOnUnauthorized);
  }
  return data;
}

/**
 * The ApiError for an answer that is not ok, from its parsed body (the one error shape, or null);
 * a 401 (the session ended) also goes to the login page unless redirectOnUnauthorized is false.
 * For callers that fetch something other than JSON (exports.js) and read the body themselves.
 */
export function failure(response, data, redirectOnUnauthorized = true) {
  const err = (data && data.error) || {};
  if (response.status === 401 && redirectOnUnauthorized) {
    location.replace(loginUrl());
  }
  return new ApiError(response.status, err.code || 'http_' + response.status,
    err.message || response.statusText, err.details);
}
