"""The self-contained comparison report between two runs: regressions first."""

from __future__ import annotations

from markupsafe import Markup

from assistant.evaluation.compare import Comparison
from assistant.evaluation.reports.style import REPORT_CSS, environment

TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comparison {{ c.previous_run }} → {{ c.current_run }}</title><style>{{ css }}</style></head>
<body>
<header>
<h1>Comparison of two evaluation runs</h1>
<p class="meta">Before: <strong>{{ c.previous_run }}</strong> ({{ c.previous_started[:16] }}) ·
After: <strong>{{ c.current_run }}</strong> ({{ c.current_started[:16] }}) ·
<a href="report.html">full report of the new run</a></p>
<p class="meta">Settings {% if c.settings_changed %}<strong>changed</strong> ({{ c.previous_settings }} → {{ c.current_settings }}){% else %}unchanged ({{ c.current_settings }}){% endif %} ·
corpus {% if c.corpus_changed %}<strong>changed</strong> ({{ c.previous_corpus }} → {{ c.current_corpus }}){% else %}unchanged{% endif %}</p>
</header>
<main>
<p class="banner {{ 'fail' if c.regressions else 'pass' }}" id="verdict">
{% if c.regressions %}{{ c.regressions | length }} case(s) regressed: they passed before and fail now.
{% else %}No regressions: every case that passed before still passes.{% endif %}
{{ c.improvements | length }} improvement(s).</p>

<h2 id="regressions">Regressions ({{ c.regressions | length }})</h2>
{% if c.regressions %}{{ changes(c.regressions, 'fail') }}{% else %}<p>None.</p>{% endif %}
<h2 id="improvements">Improvements ({{ c.improvements | length }})</h2>
{% if c.improvements %}{{ changes(c.improvements, 'pass') }}{% else %}<p>None.</p>{% endif %}

<h2 id="metrics">Metrics</h2>
<table><thead><tr><th>Scope</th><th>Metric</th><th>Before</th><th>After</th><th>Change</th></tr></thead><tbody>
{% for m in c.metrics %}
<tr><td>{{ m.scope }}</td><td>{{ m.label }}</td><td>{{ fmt(m.metric, m.before) }}</td><td>{{ fmt(m.metric, m.after) }}</td>
<td class="{{ m.direction }}">{% if m.direction == 'same' %}no change{% else %}{{ m.direction }} ({{ fmt_delta(m.metric, m.delta) }}){% endif %}</td></tr>
{% endfor %}
</tbody></table>
<h2 id="still-failing">Still failing ({{ c.still_failing | length }})</h2>
{% if c.still_failing %}<ul>{% for x in c.still_failing %}<li>{{ x.key }} — {{ x.question }}</li>{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
<h2 id="new">New cases ({{ c.new_cases | length }})</h2>
{% if c.new_cases %}<ul>{% for x in c.new_cases %}<li>{{ x.key }} ({{ 'passed' if x.after.passed else 'failed' }}) — {{ x.question }}</li>{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
<h2 id="removed">Cases no longer run ({{ c.removed_cases | length }})</h2>
{% if c.removed_cases %}<ul>{% for x in c.removed_cases %}<li>{{ x.key }} — {{ x.question }}</li>{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
</main>
</body></html>
"""  # noqa: E501 - HTML template  # noqa: E501 - HTML template

CHANGES = """{% for x in items %}
<article class="case {{ 'passed' if kind == 'pass' else 'failed' }}">
<h3>{{ x.key }}</h3><p class="question">Question: {{ x.question }}</p>
{% if kind == 'fail' %}{% for chk in x.after.failed_checks %}
<div class="check failed"><span class="name">{{ chk.name }}</span><br><strong>Expected:</strong> {{ chk.expected }}<br><strong>Actual now:</strong> {{ chk.actual }}</div>
{% endfor %}
<details><summary>Answer now</summary><div class="answer">{{ x.after.answer }}</div></details>
<details><summary>Answer before</summary><div class="answer">{{ x.before.answer }}</div></details>
{% else %}<p>Now passes{% if x.fixed_checks %}; fixed: {{ x.fixed_checks | join(', ') }}{% endif %}.</p>{% endif %}
</article>
{% endfor %}"""  # noqa: E501 - HTML template


def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{value:.0f} ms"
    if metric in {"mrr"}:
        return f"{value:.2f}"
    if metric == "forbidden_violations":
        return f"{value:.0f}"
    return f"{value * 100:.0f}%"


def _fmt_delta(metric: str, value: float | None) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else "−"
    if metric.endswith("_ms") or metric == "forbidden_violations":
        return f"{sign}{abs(value):.0f}"
    if metric == "mrr":
        return f"{sign}{abs(value):.2f}"
    return f"{sign}{abs(value) * 100:.0f} points"


def render_comparison(comparison: Comparison) -> str:
    env = environment()
    changes = env.from_string(CHANGES)

    def render_changes(items: list[object], kind: str) -> Markup:
        return Markup(changes.render(items=items, kind=kind))

    return env.from_string(TEMPLATE).render(
        c=comparison,
        css=Markup(REPORT_CSS),
        changes=render_changes,
        fmt=_fmt,
        fmt_delta=_fmt_delta,
    )
