"""The stylesheet and template helpers shared by the run and comparison reports."""

from __future__ import annotations

import jinja2

REPORT_CSS = """
:root { --text:#0b0c0c; --muted:#505a5f; --pass:#00703c; --fail:#d4351c; --border:#b1b4b6;
        --panel:#f3f2f1; --link:#1d70b8; --warn:#f47738; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: var(--text); margin: 0; line-height: 1.45; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { border-bottom: 6px solid var(--link); padding-top: 16px; padding-bottom: 8px; }
h1 { font-size: 1.9rem; margin: 0 0 6px; } h2 { margin-top: 2rem; font-size: 1.45rem; }
h3 { font-size: 1.1rem; margin: 0 0 6px; }
.meta { color: var(--muted); font-size: .9rem; margin: 0; }
.banner { padding: 14px 18px; margin: 20px 0; font-size: 1.2rem; font-weight: bold;
          border-left: 10px solid; background: var(--panel); }
.banner.pass { border-color: var(--pass); } .banner.fail { border-color: var(--fail); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; padding: 0; list-style: none; }
.cards li { background: var(--panel); padding: 10px 14px; min-width: 150px; }
.cards .value { display: block; font-size: 1.5rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 10px 0 20px; font-size: .95rem; }
th, td { text-align: left; border-bottom: 1px solid var(--border); padding: 6px 8px;
         vertical-align: top; }
th { background: var(--panel); }
.tag { display: inline-block; background: #dee0e2; padding: 0 6px; margin: 0 4px 2px 0;
       font-size: .85rem; }
.status { font-weight: bold; padding: 1px 8px; color: #fff; display: inline-block; }
.status.pass { background: var(--pass); } .status.fail { background: var(--fail); }
.status.skip { background: var(--muted); }
.worse { color: var(--fail); font-weight: bold; } .better { color: var(--pass); font-weight: bold; }
.case { border: 1px solid var(--border); border-left: 6px solid var(--fail); padding: 12px 16px;
        margin: 0 0 14px; }
.case.passed { border-left-color: var(--pass); }
.case[hidden] { display: none; }
.case .question { font-size: 1.1rem; font-weight: bold; }
.answer { white-space: pre-wrap; background: var(--panel); padding: 10px; margin: 6px 0;
          max-height: 24em; overflow: auto; }
.check { margin: 4px 0; padding: 6px 10px; }
.check.failed { background: #fbe9e6; border-left: 4px solid var(--fail); }
.check.ok { background: #e8f3ec; border-left: 4px solid var(--pass); }
.check .name { font-family: monospace; font-weight: bold; }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: end; background: var(--panel);
           padding: 12px; margin-bottom: 14px; }
.filters label { display: block; font-weight: bold; font-size: .9rem; }
.filters select, .filters input[type=search] { font-size: 1rem; padding: 4px; min-width: 160px; }
.judge { border: 2px dashed var(--warn); padding: 6px 10px; margin: 6px 0; }
.chart { max-width: 100%; height: auto; }
details > summary { cursor: pointer; color: var(--link); }
a { color: var(--link); }
.invalid { color: var(--fail); font-weight: bold; }
@media print { .filters { display: none; } .case[hidden] { display: block; } }
"""  # noqa: E501 - CSS


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["pct"] = lambda v: "–" if v is None else f"{v * 100:.0f}%"
    env.filters["num"] = lambda v, d=2: "–" if v is None else f"{v:.{d}f}"
    env.filters["ms"] = lambda v: "–" if v is None else f"{v:.0f} ms" if v >= 10 else f"{v:.1f} ms"
    return env
