// form: the upload form. Checks what it can before sending (a file of a known type, not over
// 200 MB, a sensible max-errors), then POSTs multipart/form-data to /api/v1/imports with an
// XMLHttpRequest so the upload shows its progress; 202 hands the new job to onStarted.

import { loginUrl } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import { formatBytes } from './format.js';

export const MAX_UPLOAD = 200 * 1024 * 1024;
const EXTENSIONS = ['.csv', '.xlsx', '.geojson', '.json', '.gpkg', '.zip', '.fgb'];
const MAX_ERRORS = /^\s*(\d+|\d+(\.\d+)?\s*%)\s*$/;

export function uploadForm({ onStarted, onRefused = () => {} }) {
  const form = document.getElementById('import-form');
  const fileInput = document.getElementById('file');
  const drop = document.getElementById('drop-zone');
  const submit = document.getElementById('submit');
  const error = document.getElementById('form-error');
  const progress = document.getElementById('upload-progress');
  const bar = document.getElementById('upload-bar');
  const progressText = document.getElementById('upload-text');
  const dryRun = document.getElementById('dry-run');
  let busy = false;
  let errorMessage = null; // {key, params} so a language switch can rewrite it

  function dataset() {
    return form.querySelector('input[name=dataset]:checked').value;
  }

  function render() {
    const file = fileInput.files[0];
    const label = document.getElementById('file-label');
    label.textContent = file ? file.name : t('imports.form.fileEmpty');
    label.title = file ? file.name : '';
    document.getElementById('file-meta').textContent = file ? formatBytes(file.size) : '';
    drop.classList.toggle('has-file', Boolean(file));
    document.getElementById('dataset-columns').textContent =
      t('imports.form.required', { columns: t('imports.columns.' + dataset()) });
    if (!busy) {
      submit.textContent = t(dryRun.checked ? 'imports.form.submitDry' : 'imports.form.submit');
    }
    showError(errorMessage);
  }

  function showError(message) {
    errorMessage = message;
    error.hidden = !message;
    error.textContent = message ? (message.raw ?? t(message.key, message.params)) : '';
  }

  function setBusy(on) {
    busy = on;
    submit.disabled = on;
    form.querySelectorAll('input, select, textarea').forEach((e) => {
      e.disabled = on;
    });
    submit.textContent = on ? t('imports.form.uploading') : t(dryRun.checked ? 'imports.form.submitDry' : 'imports.form.submit');
  }

  function setProgress(sent, total) {
    progress.hidden = false;
    const percent = total > 0 ? Math.round((sent / total) * 100) : 0;
    bar.style.width = percent + '%';
    progressText.textContent = sent >= total && total > 0
      ? t('imports.upload.waiting')
      : t('imports.upload.progress', { percent, sent: formatBytes(sent), total: formatBytes(total) });
  }

  /** What is wrong with the form before sending, or null. */
  function check(file) {
    if (!file) {
      return { key: 'imports.error.noFile' };
    }
    const lower = file.name.toLowerCase();
    if (!EXTENSIONS.some((ext) => lower.endsWith(ext))) {
      return { key: 'imports.error.badType', params: { name: file.name } };
    }
    if (file.size > MAX_UPLOAD) {
      return { key: 'imports.error.tooLarge' };
    }
    const maxErrors = document.getElementById('max-errors').value;
    if (maxErrors.trim() && !MAX_ERRORS.test(maxErrors)) {
      return { key: 'imports.error.maxErrors' };
    }
    return null;
  }

  /** The message for a refused upload, from the server's {"error":{code,message,details}}. */
  function failure(status, body) {
    let err = {};
    try {
      err = (JSON.parse(body) || {}).error || {};
    } catch (e) {
      err = {};
    }
    if (status === 0) {
      return { key: 'error.network' };
    }
    if (status === 413) {
      return { key: 'imports.error.tooLarge' };
    }
    if (status === 403) {
      return { key: 'imports.error.forbidden' };
    }
    if (status === 400 && err.message) {
      // the server's message names the file's problem (missing columns, unknown CRS…): show it as is
      return err.code === 'import_refused' ? { key: 'imports.error.refused', params: { message: err.message } }
        : { raw: err.message };
    }
    return { key: 'imports.error.upload', params: { status, message: err.message || '' } };
  }

  /** The job a refused file still got (its record holds the reason), from the 400's details, or null. */
  function refusedJobId(status, body) {
    if (status !== 400) {
      return null;
    }
    try {
      const err = (JSON.parse(body) || {}).error || {};
      return err.code === 'import_refused' && err.details ? err.details.jobId || null : null;
    } catch (e) {
      return null;
    }
  }

  function send(file) {
    const data = new FormData();
    data.append('dataset', dataset());
    data.append('encoding', document.getElementById('encoding').value);
    data.append('crs', document.getElementById('crs').value);
    data.append('dryRun', dryRun.checked ? 'true' : 'false');
    data.append('maxErrors', document.getElementById('max-errors').value.replace(/\s+/g, ''));
    // the officer's translations of the file's words, one entry a line (--map-values on the shell)
    data.append('mapValues', document.getElementById('map-values').value);
    data.append('file', file, file.name); // last: the server reads the fields before the file

    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/imports');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => setProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      setBusy(false);
      progress.hidden = true;
      if (xhr.status === 401) {
        location.replace(loginUrl());
        return;
      }
      if (xhr.status === 202 || xhr.status === 200) {
        let job = null;
        try {
          job = JSON.parse(xhr.responseText);
        } catch (e) {
          showError({ key: 'imports.error.upload', params: { status: xhr.status, message: e.message } });
          return;
        }
        fileInput.value = '';
        render();
        onStarted(job);
        return;
      }
      showError(failure(xhr.status, xhr.responseText));
      const refusedJob = refusedJobId(xhr.status, xhr.responseText);
      if (refusedJob) {
        onRefused(refusedJob); // the refused job, recorded with its reason: show it beside the form
      }
    };
    xhr.onerror = () => {
      setBusy(false);
      progress.hidden = true;
      showError(failure(0, ''));
    };
    setBusy(true);
    setProgress(0, file.size);
    xhr.send(data);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) {
      return;
    }
    const file = fileInput.files[0];
    const problem = check(file);
    showError(problem);
    if (!problem) {
      send(file);
    }
  });
  fileInput.addEventListener('change', () => {
    showError(null);
    render();
  });
  form.addEventListener('change', (e) => {
    if (e.target !== fileInput) {
      render();
    }
  });
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, () => drop.classList.add('dragging'));
  }
  for (const type of ['dragleave', 'drop']) {
    drop.addEventListener(type, () => drop.classList.remove('dragging'));
  }

  return { render };
}
