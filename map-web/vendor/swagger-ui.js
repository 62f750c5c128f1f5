// Swagger UI (npm swagger-ui-dist, its prebuilt bundle) for the API page, /api/docs/ (api/docs/main.js).
// The page is public like the document it shows, so this bundle goes into the page's own folder, which
// is served before sign-in, and not into /vendor/, which is not.
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';

export { SwaggerUI };
