// login: posts {"username","password"} as JSON to /api/v1/auth/login; on success the server has
// set the HttpOnly session cookie and we go to ?next= (a local path only), else to "/".
// Without JavaScript the same form posts as a plain form and the server redirects.

import { api, ApiError, safeNext } from './api.js';
import { applyI18n, bindLangSwitch, t } from './i18n.js';

const form = document.getElementById('login-form');
const errorBox = document.getElementById('login-error');
const submit = document.getElementById('login-submit');
const params = new URLSearchParams(location.search);
const next = safeNext(params.get('next'));

// The error on show, kept as a key so that a language switch re-words it.
let shownError = null;

function showError(key, values) {
  shownError = key ? { key, values } : null;
  errorBox.hidden = !key;
  errorBox.textContent = key ? t(key, values) : '';
}

function setBusy(busy) {
  submit.disabled = busy;
  submit.textContent = t(busy ? 'login.submitting' : 'login.submit');
}

function messageFor(err) {
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return ['login.failed'];
    }
    if (err.status === 429) {
      return ['login.wait', { seconds: (err.details && err.details.retryAfterSeconds) || 1 }];
    }
    if (err.status === 0) {
      return ['error.network'];
    }
    return ['error.generic', { status: err.status, message: err.message }];
  }
  return ['error.generic', { status: '?', message: String(err) }];
}

async function signIn(event) {
  event.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showError('login.missing');
    (username ? form.password : form.username).focus();
    return;
  }
  setBusy(true);
  showError(null);
  try {
    await api('/api/v1/auth/login', {
      method: 'POST',
      body: { username, password },
      redirectOnUnauthorized: false,
    });
    location.replace(next);
  } catch (err) {
    setBusy(false);
    showError(...messageFor(err));
    form.password.select();
    form.password.focus();
  }
}

/** Already signed in (a live session cookie)? Then there is nothing to do here. */
async function skipIfSignedIn() {
  try {
    await api('/api/v1/me', { redirectOnUnauthorized: false });
    location.replace(next);
  } catch (err) {
    // not signed in: stay on the form
  }
}

form.next.value = next;
applyI18n();
bindLangSwitch();
document.addEventListener('langchange', () => {
  setBusy(submit.disabled);
  if (shownError) {
    showError(shownError.key, shownError.values);
  }
});
if (params.has('error')) {
  // The no-JavaScript form post came back with a failure.
  if (params.get('error') === 'wait') {
    showError('login.wait', { seconds: Number(params.get('seconds')) || 1 });
  } else {
    showError('login.failed');
  }
}
form.addEventListener('submit', signIn);
document.body.dataset.loginReady = 'true'; // for tests: the script runs (its /assets/ path is public)
skipIfSignedIn();
