// Bundles the npm libraries the pages import into plain ES modules under the jar's web/vendor/
// (target/classes/web/vendor), so the pages load them like their own modules: no CDN, no
// bundler at runtime. One entry per library family; each names what it re-exports.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../target/classes/web');
const options = {
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'linked', // the licences of the bundled code, beside each bundle
  logLevel: 'warning',
};

// The signed-in pages' libraries: /vendor/.
await build({
  ...options,
  entryPoints: {
    'vector-tile': path.join(here, 'vector-tile.js'),
    charts: path.join(here, 'charts.js'),
  },
  outdir: path.join(web, 'vendor'),
});
// The public API page's: Swagger UI and its stylesheet, in the page's folder (/api/docs/vendor/).
await build({
  ...options,
  entryPoints: {
    'swagger-ui': path.join(here, 'swagger-ui.js'),
    'swagger-ui-style': path.join(here, 'swagger-ui.css'),
  },
  outdir: path.join(web, 'api/docs/vendor'),
});
console.log('vendor bundles written to ' + web);
