"""The style sheet every app page carries, and the width of a chart."""

from __future__ import annotations





CHART_WIDTH = 470  # px; two charts side by side fit a notebook beside JupyterLab's file browser


CSS = """
<style>
.imw-q {font-weight:600; font-size:1.02em; line-height:1.35}
.imw-help {color:#444; font-size:0.92em; margin:2px 0 6px 0; line-height:1.35}
.imw-levels {border-collapse:separate; border-spacing:4px; width:100%; table-layout:fixed}
.imw-levels td {vertical-align:top; font-size:0.86em; line-height:1.3; padding:4px 6px; border-radius:4px;
                background:#f6f8fa; border:2px solid transparent}
.imw-levels td.cur {border-color:#0072B2; background:#e5f1f8}
.imw-levels td.tgt {border-color:#E69F00; border-style:dashed; background:#fdf3e1}
.imw-levels td.cur.tgt {border-style:solid double}
.imw-levels th {font-size:0.82em; text-align:left; color:#333; padding:0 6px}
.imw-tag {font-size:0.8em; font-weight:700; margin-left:4px}
.imw-tag.cur {color:#0072B2} .imw-tag.tgt {color:#9a6700}
.imw-remark {color:#9a6700; font-size:0.9em}
.imw-msg-error {background:#fdecea; border-left:4px solid #D55E00; padding:6px 10px; margin:4px 0}
.imw-msg-warn {background:#fff8e1; border-left:4px solid #E69F00; padding:6px 10px; margin:4px 0}
.imw-status {color:#2b6a3f; font-size:0.9em}
.imw-status-old {color:#444; font-size:0.9em}
.imw-intro {max-width:60em; line-height:1.45}
.imw-download {display:inline-block; margin-top:6px; padding:5px 12px; border-radius:4px; background:#0072B2;
               color:white !important; text-decoration:none; font-weight:600; overflow-wrap:anywhere}
.imw-download:hover {background:#005a8c}
.imw-download:focus-visible {outline:3px solid #1b1b1b !important; outline-offset:2px}
.imw-download-size {color:#444; font-size:0.9em; margin-left:6px}
.imw-server-path {color:#555; font-size:0.85em; margin-top:2px} .imw-server-path code {overflow-wrap:anywhere}
.imw-intro p {margin:0 0 6px 0}
.imw-merge {border-collapse:collapse; margin:4px 0} .imw-merge th, .imw-merge td {padding:2px 14px 2px 0; text-align:left}
.imw-field-error {color:#b3261e; font-size:0.88em}
.imw-field-warn {color:#8a5a00; font-size:0.88em}
.imw-field-error, .imw-field-warn {display:inline-block; line-height:1.35; margin:2px 0}
.imw-bad input {border-color:#D55E00 !important; background:#fdecea !important}
.imw-app select:focus-visible, .imw-app input:focus-visible, .imw-app textarea:focus-visible,
.imw-app button:focus-visible {outline:3px solid #0072B2 !important; outline-offset:1px}
.imw-app textarea::placeholder, .imw-app textarea {font-family:inherit}
.imw-app .lm-TabBar-tab {flex:0 1 auto !important; min-width:fit-content !important; max-width:none !important;
                         color:#222}
.imw-app .lm-TabBar-content {flex-wrap:wrap}
.imw-app .lm-TabBar-tabLabel {color:#222}  /* the theme's 54% black on grey is 4.4:1, under AA's 4.5:1 */
.imw-sr-only, .imw-sr-label > .widget-label {position:absolute !important; width:1px !important;
  height:1px !important; padding:0 !important; margin:-1px !important; overflow:hidden !important;
  clip:rect(0 0 0 0) !important; white-space:nowrap !important; border:0 !important}
.imw-chart-data {margin:2px 0 8px 0; font-size:0.9em}
.imw-chart-data summary {cursor:pointer; color:#0b5a8c}
.imw-chart-data summary:focus-visible {outline:3px solid #0072B2; outline-offset:1px}
.imw-chart-data table {border-collapse:collapse; margin-top:4px}
.imw-chart-data th, .imw-chart-data td {padding:1px 10px 1px 0; text-align:left; border-bottom:1px solid #e3e6ea}
</style>
"""
