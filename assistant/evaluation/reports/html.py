"""The self-contained HTML report of one run, written for the L&D team.

One file, no external assets (inline CSS, inline SVG, one small inline script for the
filters), so it can be opened from disk, attached to an email or archived with a release.
Without JavaScript every case is still listed.
"""

from __future__ import annotations

from markupsafe import Markup

from assistant.evaluation.compare import Comparison
from assistant.evaluation.judge import JUDGE_LABEL
from assistant.evaluation.reports.charts import latency_histogram, pass_rate_chart
from assistant.evaluation.reports.style import REPORT_CSS, environment
from assistant.evaluation.results import Run
from assistant.evaluation.verdict import gate_label, run_verdict, suite_gates

CHECK_LABELS: dict[str, str] = {
    "passages": "Expected passage not retrieved",
    "documents": "Expected document not retrieved",
    "facts": "Facts missing from the answer",
    "not_contains": "Forbidden phrase in the answer",
    "notices": "Notice missing",
    "no_notices": "Notice shown that must not be",
    "first_notice": "Wrong first notice",
    "refused": "Refusal wrong",
    "min_citations": "Too few citations",
    "citations_valid": "Citation quote not found in its passage",
    "max_latency_ms": "Too slow",
    "error": "The assistant raised an error",
}

FILTER_SCRIPT = """
(function () {
  var cases = Array.prototype.slice.call(document.querySelectorAll('#cases .case'));
  var suite = document.getElementById('f-suite'), tag = document.getElementById('f-tag'),
      check = document.getElementById('f-check'), text = document.getElementById('f-text'),
      passed = document.getElementById('f-passed'), count = document.getElementById('f-count');
  function apply() {
    var shown = 0, q = text.value.trim().toLowerCase();
    cases.forEach(function (el) {
      var ok = (passed.checked || el.dataset.status === 'failed')
        && (!suite.value || el.dataset.suite === suite.value)
        && (!tag.value || (' ' + el.dataset.tags + ' ').indexOf(' ' + tag.value + ' ') >= 0)
        && (!check.value || (' ' + el.dataset.checks + ' ').indexOf(' ' + check.value + ' ') >= 0)
        && (!q || el.textContent.toLowerCase().indexOf(q) >= 0);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = 'Showing ' + shown + ' of ' + cases.length + ' cases';
  }
  [suite, tag, check, passed].forEach(function (el) { el.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  document.getElementById('filters').hidden = false;
  apply();
}());
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evaluation report {{ run.run_id }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
  <h1>Evaluation report</h1>
  <p class="meta">Run <strong>{{ run.run_id }}</strong> · started {{ run.started.strftime('%d %B %Y %H:%M UTC') }}
  {% if run.finished %}· took {{ '%.0f' % (run.finished - run.started).total_seconds() }} s{% endif %}</p>
  <p class="meta">Settings fingerprint <code>{{ run.settings_fingerprint or 'unknown' }}</code> ·
  corpus version <code>{{ run.corpus_version or 'unknown' }}</code> ·
  code <code>{{ run.git_commit[:10] if run.git_commit else 'not recorded' }}</code>
  {% if run.composer %}· composer {{ run.composer }}{% endif %}
  {% if run.tags_filter %}· only tags: {{ run.tags_filter | join(', ') }}{% endif %}</p>
</header>
<main>
{% set o = run.summary.overall %}
<p class="banner {{ 'pass' if verdict.passed else 'fail' }}" id="verdict">{{ verdict.headline }}</p>
{% if verdict.reasons %}<ul id="verdict-reasons">{% for reason in verdict.reasons %}<li>{{ reason }}</li>{% endfor %}</ul>{% endif %}

<h2 id="summary">Summary</h2>
<ul class="cards">
  <li><span class="value">{{ o.passed }} / {{ o.cases }}</span>cases passed</li>
  <li><span class="value">{{ o.pass_rate | pct }}</span>pass rate</li>
  <li><span class="value">{{ o.hit_rate | pct }}</span>retrieval hit@k ({{ o.retrieval_cases }} cases)</li>
  <li><span class="value">{{ o.mrr | num }}</span>mean reciprocal rank</li>
  <li><span class="value">{{ o.fact_coverage | pct }}</span>fact coverage ({{ o.fact_cases }} cases)</li>
  <li><span class="value">{{ o.citation_validity | pct }}</span>citations valid ({{ o.citations_total - o.citations_invalid }}/{{ o.citations_total }})</li>
  <li><span class="value">{{ o.refusal_accuracy | pct }}</span>refusals correct</li>
  <li><span class="value">{{ o.notice_accuracy | pct }}</span>notices correct</li>
  <li><span class="value">{{ o.forbidden_violations }}</span>forbidden phrases found</li>
  <li><span class="value">{{ o.latency_p50_ms | ms }}</span>median answer time (p95 {{ o.latency_p95_ms | ms }})</li>
</ul>
{% if o.errors %}<p class="invalid">{{ o.errors }} case(s) ended with an error from the assistant.</p>{% endif %}

<h2 id="gates">Thresholds (gates)</h2>
{% if gates %}
<table>
<thead><tr><th>Suite</th><th>Gate</th><th>Required</th><th>Actual</th><th>Result</th></tr></thead>
<tbody>
{% for g in gates %}
<tr><td>{{ g.suite }}</td><td>{{ gate_label(g.name) }}</td><td>{{ g.required | pct if g.name != 'mrr' else g.required | num }}</td>
<td>{{ (g.actual | pct if g.name != 'mrr' else g.actual | num) if g.actual is not none else 'no cases to measure' }}</td>
<td>{% if g.skipped %}<span class="status skip">skipped (filtered run)</span>{% elif g.default and g.passed %}<span class="status pass">met (default pass mark: the suite sets none)</span>{% elif g.default %}<span class="status fail">not met (default pass mark: the suite sets none)</span>{% elif g.passed %}<span class="status pass">met</span>{% else %}<span class="status fail">not met</span>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p>No suite in this run has a pass mark.</p>{% endif %}
{% if comparison %}
<p>Compared with run <strong>{{ comparison.previous_run }}</strong>:
{{ comparison.regressions | length }} regression(s), {{ comparison.improvements | length }} improvement(s).
See <a href="compare.html">the comparison report</a>.</p>
{% if comparison.regressions %}<ul>{% for c in comparison.regressions %}<li class="invalid">Regressed: <a href="#case-{{ c.key | replace('/', '--') }}">{{ c.key }}</a> — {{ c.question }}</li>{% endfor %}</ul>{% endif %}
{% endif %}

<h2 id="charts">Charts</h2>
<div id="chart-suites"><h3>Pass rate per suite</h3>{{ suite_chart }}</div>
{% if tag_chart %}<div id="chart-tags"><h3>Pass rate per tag</h3>{{ tag_chart }}</div>{% endif %}
<div id="chart-latency"><h3>Answer time</h3>{{ latency_chart }}</div>

<h2 id="suites">Per suite</h2>
<table>
<thead><tr><th>Suite</th><th>Passed</th><th>Pass rate</th><th>hit@k</th><th>MRR</th><th>Facts</th><th>Citations valid</th><th>Refusals</th><th>Notices</th><th>Median time</th></tr></thead>
<tbody>
{% for s in run.summary.by_suite %}{% set m = s.metrics %}
<tr><td><strong>{{ s.name }}</strong><br><span class="meta">{{ s.description }}</span><br><span class="meta">{{ s.path }}</span></td>
<td>{{ m.passed }}/{{ m.cases }}</td><td>{{ m.pass_rate | pct }}</td><td>{{ m.hit_rate | pct }}</td><td>{{ m.mrr | num }}</td>
<td>{{ m.fact_coverage | pct }}</td><td>{{ m.citation_validity | pct }}</td><td>{{ m.refusal_accuracy | pct }}</td><td>{{ m.notice_accuracy | pct }}</td><td>{{ m.latency_p50_ms | ms }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if run.summary.by_tag %}
<h2 id="tags">Per tag</h2>
<table>
<thead><tr><th>Tag</th><th>Passed</th><th>Pass rate</th><th>hit@k</th><th>Facts</th><th>Refusals</th><th>Notices</th></tr></thead>
<tbody>
{% for tag, m in run.summary.by_tag.items() %}
<tr><td><span class="tag">{{ tag }}</span></td><td>{{ m.passed }}/{{ m.cases }}</td><td>{{ m.pass_rate | pct }}</td><td>{{ m.hit_rate | pct }}</td><td>{{ m.fact_coverage | pct }}</td><td>{{ m.refusal_accuracy | pct }}</td><td>{{ m.notice_accuracy | pct }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% if run.judge_model %}
<h2 id="judge">{{ judge_label }}</h2>
<p class="judge">Grades from <strong>{{ run.judge_model }}</strong>, a language model. They are a second opinion for reviewers and do not change any result above.
Mean faithfulness {{ o.judge_faithfulness | num }}, mean relevance {{ o.judge_relevance | num }}.</p>
{% endif %}

<h2 id="failures">Failures ({{ o.failed }})</h2>
<div class="filters" id="filters" hidden>
  <div><label for="f-suite">Suite</label><select id="f-suite"><option value="">All suites</option>{% for s in run.suites %}<option value="{{ s.name }}">{{ s.name }}</option>{% endfor %}</select></div>
  <div><label for="f-tag">Tag</label><select id="f-tag"><option value="">All tags</option>{% for t in run.summary.by_tag %}<option value="{{ t }}">{{ t }}</option>{% endfor %}</select></div>
  <div><label for="f-check">What failed</label><select id="f-check"><option value="">Anything</option>{% for name, label in check_options %}<option value="{{ name }}">{{ label }}</option>{% endfor %}</select></div>
  <div><label for="f-text">Search text</label><input type="search" id="f-text" placeholder="words in the question or answer"></div>
  <div><label><input type="checkbox" id="f-passed"> Show passed cases too</label></div>
  <p id="f-count" role="status" aria-live="polite"></p>
</div>
{% if not o.failed %}<p id="no-failures">Every case passed.</p>{% endif %}
<div id="cases">
{% for r in results %}
<article class="case {{ 'passed' if r.passed else 'failed' }}" id="case-{{ r.key | replace('/', '--') }}"
  data-suite="{{ r.suite }}" data-tags="{{ r.tags | join(' ') }}" data-status="{{ 'passed' if r.passed else 'failed' }}"
  data-checks="{{ r.failed_checks | map(attribute='name') | join(' ') }}">
  <h3><span class="status {{ 'pass' if r.passed else 'fail' }}">{{ 'PASSED' if r.passed else 'FAILED' }}</span>
  {{ r.suite }} / {{ r.case_id }}{% if r.key in regressed %} <span class="status fail">REGRESSED</span>{% endif %}</h3>
  <p class="meta">{% for t in r.tags %}<span class="tag">{{ t }}</span>{% endfor %}
  {% if r.partnership %}partnership {{ r.partnership }} · {% endif %}written in {{ r.source }} · {{ r.metrics.latency_ms | ms }}</p>
  {% if r.description %}<p class="meta">{{ r.description }}</p>{% endif %}
  {% if r.history %}<details><summary>Earlier turns ({{ r.history | length }})</summary><ol>{% for t in r.history %}<li><strong>{{ t.role }}:</strong> {{ t.content }}</li>{% endfor %}</ol></details>{% endif %}
  <p class="question">Question: {{ r.question }}</p>
  {% set failed = r.failed_checks %}
  {% if failed %}
  <div class="failed-checks"><strong>Why it failed:</strong>
  {% for c in failed %}
  <div class="check failed" data-check="{{ c.name }}"><span class="name">{{ c.name }}</span> — {{ labels.get(c.name, c.name) }}<br>
  <strong>Expected:</strong> {{ c.expected }}<br><strong>Actual:</strong> {{ c.actual }}</div>
  {% endfor %}</div>
  {% endif %}
  {% set ok = r.checks | selectattr('passed') | list %}
  {% if ok %}<details><summary>Expectations met ({{ ok | length }})</summary>
  {% for c in ok %}<div class="check ok"><span class="name">{{ c.name }}</span> — {{ c.expected }}. <strong>Actual:</strong> {{ c.actual }}</div>{% endfor %}
  </details>{% endif %}
  {% if r.notices %}<p><strong>Notices shown, in order:</strong> {% for n in r.notices %}<span class="tag" title="{{ n.text }}">{{ n.kind }}</span>{% endfor %}</p>{% endif %}
  {% if r.error is none %}
  <p><strong>Answer</strong>{% if r.refused %} (refused){% endif %}:</p>
  <div class="answer">{{ r.answer }}</div>
  {% endif %}
  {% if r.citations %}
  <p><strong>Citations</strong></p>
  <ol class="citations">{% for c in r.citations %}
  <li value="{{ c.n }}">{{ c.title }} › {{ c.section }} <span class="meta">({{ c.doc_id }}, passage {{ c.passage_id }})</span><br>
  “{{ c.quote }}”{% if c.valid is false %} <span class="invalid">— not found: {{ c.problem }}</span>{% elif c.valid is none %} <span class="meta">— not checked</span>{% endif %}</li>
  {% endfor %}</ol>
  {% endif %}
  {% if r.retrieved %}
  <details><summary>{{ 'Search results' if r.metrics.retrieval_source == 'search' else 'Cited passages' }} used for retrieval (top {{ r.metrics.k }}: {{ 'hit' if r.metrics.hit else 'no hit' }}, reciprocal rank {{ r.metrics.reciprocal_rank | num }})</summary>
  <ol>{% for h in r.retrieved %}<li>{% if h.matched %}<strong>✓ matches</strong> {% endif %}{{ h.doc_id }} › {{ h.section }}<br><span class="meta">{{ h.text[:300] }}{% if h.text | length > 300 %}…{% endif %}</span></li>{% endfor %}</ol>
  </details>
  {% endif %}
  {% if r.judge %}<div class="judge"><strong>{{ judge_label }}:</strong>
  {% if r.judge.error %}not graded ({{ r.judge.error }}){% else %}faithfulness {{ r.judge.faithfulness | num }}, relevance {{ r.judge.relevance | num }}. {{ r.judge.reasoning }}{% endif %}</div>{% endif %}
</article>
{% endfor %}
</div>
</main>
<script>{{ script }}</script>
</body>
</html>
"""  # noqa: E501 - HTML template


def render_report(run: Run, comparison: Comparison | None = None) -> str:
    """The report as one HTML string; failed cases first, then passed ones."""
    summary = run.summary
    suite_rows = [(s.name, s.metrics.passed, s.metrics.cases) for s in summary.by_suite]
    tag_rows = [(t, m.passed, m.cases) for t, m in summary.by_tag.items()]
    latencies = [r.metrics.latency_ms for r in run.results if r.error is None]
    gates = [g for s in summary.by_suite for g in suite_gates(s)]
    failed_names = {c.name for r in run.results for c in r.failed_checks}
    results = sorted(run.results, key=lambda r: r.passed)
    template = environment().from_string(TEMPLATE)
    return template.render(
        run=run,
        comparison=comparison,
        results=results,
        regressed=set(summary.regressions),
        gates=gates,
        gate_label=gate_label,
        verdict=run_verdict(run),
        css=Markup(REPORT_CSS),
        script=Markup(FILTER_SCRIPT),
        suite_chart=Markup(pass_rate_chart("Pass rate per suite", suite_rows)),
        tag_chart=Markup(pass_rate_chart("Pass rate per tag", tag_rows)) if tag_rows else "",
        latency_chart=Markup(latency_histogram("Answer time per case", latencies)),
        labels=CHECK_LABELS,
        check_options=[(n, CHECK_LABELS.get(n, n)) for n in CHECK_LABELS if n in failed_names],
        judge_label=JUDGE_LABEL,
    )
