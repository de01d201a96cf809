'use strict';
// imworkbook's plotly.js: the core (which includes scatter) and only the trace types the app draws.
// Keep TRACES in build.js and this list the same; tests/test_plotly_bundle.py checks that every trace type
// the figure functions make is in the bundle, and that its version is the one the Python plotly package embeds.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/box'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/table'),
    require('plotly.js/lib/locales/nl'),
]);
module.exports = Plotly;
