// Bundles the npm libraries the pages import into plain ES modules under the jar's web/vendor/
// (target/classes/web/vendor), so the pages load them like their own modules: no CDN, no
// bundler at runtime. One entry per library family; each names what it re-exports.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../target/classes/web/vendor');

await build({
  entryPoints: {
    'vector-tile': path.join(here, 'vector-tile.js'),
    charts: path.join(here, 'charts.js'),
  },
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'linked', // the licences of the bundled code, beside each bundle
  outdir: out,
  logLevel: 'warning',
});
console.log('vendor bundles written to ' + out);
