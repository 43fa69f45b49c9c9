"""The deployment files agree with the configuration the deployment test runs
(tests/integration/test_deployment.py): docker-compose.yml, the Dockerfile, the nginx
template and docs/deployment.md. No Docker engine runs here, so this is what checks the
compose file: it parses, names the services and the same settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from benchmarks.topology import (
    NGINX_TEMPLATE,
    PROXY_SETTINGS,
    placeholders,
    render,
    shared_settings,
)

REPO = Path(__file__).resolve().parents[2]
SERVICES = {"app1", "app2", "proxy", "postgres", "chroma"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _app_settings(service: dict) -> dict[str, str]:
    return {k: str(v) for k, v in service["environment"].items() if k.startswith("ASSISTANT_")}


def test_compose_names_two_apps_the_proxy_postgres_and_chroma(compose: dict) -> None:
    assert set(compose["services"]) >= SERVICES
    apps = [compose["services"][name] for name in ("app1", "app2")]
    assert apps[0] == apps[1], "the two app services are the same image and settings"
    assert apps[0]["build"] == "."
    assert set(apps[0]["depends_on"]) == {"postgres", "chroma"}


def test_compose_apps_have_the_settings_the_deployment_test_runs_with(compose: dict) -> None:
    settings = _app_settings(compose["services"]["app1"])
    tested = {**PROXY_SETTINGS, **shared_settings("s", "postgresql://x", "h", 1)}
    assert set(tested) <= set(settings), set(tested) - set(settings)
    for name in ("ASSISTANT_AUTH__MODE", "ASSISTANT_HTTPS_ONLY", "ASSISTANT_LOG_FORMAT"):
        assert settings[name] == PROXY_SETTINGS[name]
    assert settings["ASSISTANT_CHROMA__HOST"] == "chroma"
    assert settings["ASSISTANT_DATABASE_URL"].startswith("postgresql://assistant:")
    assert "@postgres:5432/" in settings["ASSISTANT_DATABASE_URL"]
    assert settings["ASSISTANT_SECRET_KEY"].startswith("${"), "the secret comes from .env"
    # Two processes on one host: one torch thread each (torch's default oversubscribes).
    assert compose["services"]["app1"]["environment"]["OMP_NUM_THREADS"] == "1"
    # The proxy's fixed address is the one address whose identity headers are believed.
    proxy_ip = compose["services"]["proxy"]["networks"]["backend"]["ipv4_address"]
    assert yaml.safe_load(settings["ASSISTANT_AUTH__TRUSTED_PROXIES"]) == [proxy_ip]


def test_the_proxy_runs_the_tested_template_with_every_value(compose: dict) -> None:
    proxy = compose["services"]["proxy"]
    mounts = [v.split(":")[:2] for v in proxy["volumes"]]
    assert ["./deploy/nginx.conf.template", "/etc/nginx/templates/assistant.conf.template"] in (
        mounts
    )
    assert set(proxy["environment"]) == placeholders(NGINX_TEMPLATE.read_text())
    upstreams = proxy["environment"]["ASSISTANT_UPSTREAMS"]
    assert re.findall(r"server (app\d):8000", upstreams) == ["app1", "app2"]


def test_the_nginx_template_balances_without_affinity_and_streams_unbuffered() -> None:
    text = NGINX_TEMPLATE.read_text()
    rendered = render(text, dict.fromkeys(placeholders(text), "x"))
    directives = re.sub(r"#.*", "", rendered)
    assert not re.search(r"\b(ip_hash|hash|sticky)\b", directives)
    assert "proxy_buffering off;" in directives
    assert "ssl_certificate x;" in directives
    assert "proxy_set_header X-Forwarded-Email $sso_email;" in directives
    # A feedback POST that reached a process is never sent again (no doubled rows).
    feedback = re.search(r"location ~ \^/\(api/\)\?feedback\$ \{([^}]*)\}", directives)
    assert feedback and "non_idempotent" not in feedback.group(1)
    # No query strings in the access log (they may carry what people typed).
    log_format = re.search(r"log_format[^;]+;", directives, flags=re.S)
    assert log_format and "$request_uri" not in log_format.group(0)
    assert "$args" not in log_format.group(0) and '"$request"' not in log_format.group(0)
    with pytest.raises(KeyError):
        render(text, {})


def test_dockerfile_is_non_root_with_a_health_check_and_the_index_built_in() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", text, flags=re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*/readyz", text, flags=re.M)
    assert "torch==2.13.0+cpu" in text
    final = text.split("\nFROM ")[-1]
    assert re.search(r"^RUN assistant ingest", final, flags=re.M), "index built into the image"


def test_the_deployment_guide_shows_the_files_and_names_every_setting(compose: dict) -> None:
    guide = (REPO / "docs" / "deployment.md").read_text()
    for name in _app_settings(compose["services"]["app1"]):
        assert name in guide, name
    for path in ("deploy/nginx.conf.template", "docker-compose.yml", "Dockerfile"):
        assert path in guide
    assert "tests/integration/test_deployment.py" in guide
    assert "make test-deploy" in guide
