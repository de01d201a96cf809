// Build imworkbook's plotly.js bundle with the same esbuild settings as plotly.js's own build
// (plotly.js/esbuild-config.js), from entry.js. Usage: node build.js OUTFILE
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const version = require('plotly.js/package.json').version;
const TRACES = ['scatter', 'bar', 'box', 'heatmap', 'scatterpolar', 'table'];

esbuild.build({
  entryPoints: ['./entry.js'],
  outfile: process.argv[2],
  format: 'iife',
  globalName: 'Plotly',
  bundle: true,
  minify: true,
  sourcemap: false,
  plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' },
  target: 'es2016',
  legalComments: 'none',
  banner: { js: `/*! plotly.js v${version} (partial bundle for imworkbook; traces: ${TRACES.join(',')}; locales: nl)\n` +
                '* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license\n' +
                '* Built by scripts/build_plotly.sh from tools/plotly-bundle/ */' },
  logLevel: 'info',
}).catch(() => process.exit(1));
