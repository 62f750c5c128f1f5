// main: the API page (served at /api/docs/, public like /api/v1/openapi.json, which it shows).
// Swagger UI renders the document; the page's header, intro and language switch are our own.
// No validator badge: Swagger UI would send the document to an outside service for it.
// Test hook: body[data-api-docs-ready="true"] once Swagger UI has drawn the operations.

import { applyI18n, bindLangSwitch, t } from '/assets/i18n.js';
import { SwaggerUI } from '/api/docs/vendor/swagger-ui.js';
import './i18n.js';

applyI18n();
bindLangSwitch();

SwaggerUI({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  filter: true,
  showExtensions: true, // x-permission: who may call each operation
  validatorUrl: null,
  onComplete: () => {
    document.body.dataset.apiDocsReady = 'true';
  },
  onFailure: (err) => {
    const n = document.getElementById('api-docs-error');
    n.textContent = t('apiDocs.failed', { message: String(err && err.message ? err.message : err) });
    n.hidden = false;
  },
});
