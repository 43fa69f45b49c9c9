"""The deployment's process topology from real parts, for the deployment test and the load
benchmark: app processes (`assistant serve`), nginx in front of them with the repository's
own config (deploy/nginx.conf.template), and a TLS certificate for it.

nginx runs as a child process (``daemon off``) with every path (pid, logs, temp files) in
a folder of its own, listening on a free 127.0.0.1 port. Nothing here is test-only except
the SSO stub config (deploy/sso-stub.conf) standing in for oauth2-proxy.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.settings import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
NGINX_TEMPLATE = DEPLOY / "nginx.conf.template"
SSO_STUB = DEPLOY / "sso-stub.conf"
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``${NAME}`` placeholders (as the nginx image's envsubst does); every one must
    be given, so a renamed setting cannot slip through unrendered."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost (the test's stand-in for the real one)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class AppProcess:
    """One `assistant serve` process on its own port (one upstream of the proxy)."""

    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = shutil.which("assistant", path=str(REPO_ROOT / ".venv" / "bin")) or "assistant"
        self.starts += 1
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [command, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, timeout_s: float = 600) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"app on {self.port} exited:\n{self.tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"app on {self.port} not ready after {timeout_s}s")
            time.sleep(0.3)

    def kill(self) -> None:
        """SIGKILL: no shutdown, open connections simply drop (a crash)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@dataclass
class Nginx:
    """nginx with deploy/nginx.conf.template (and the SSO stub) in front of ``upstreams``."""

    folder: Path
    upstreams: list[int]
    port: int = field(default_factory=free_port)
    sso_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _temp: Path | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def certificate(self) -> Path:
        return self.folder / "tls.crt"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def config(self) -> str:
        cert, key = self_signed_certificate(self.folder)
        # Request bodies nginx spills to disk are written by its workers, which run as
        # nobody when the master is root: a folder of their own they can reach.
        temp = Path(tempfile.mkdtemp(prefix="assistant-nginx-"))
        temp.chmod(0o755)
        self._temp = temp
        servers = " ".join(
            f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in self.upstreams
        )
        site = render(
            NGINX_TEMPLATE.read_text(),
            {
                "ASSISTANT_UPSTREAMS": servers,
                "PROXY_LISTEN": f"127.0.0.1:{self.port}",
                "SERVER_NAME": "localhost",
                "TLS_CERTIFICATE": str(cert),
                "TLS_CERTIFICATE_KEY": str(key),
                "SSO_UPSTREAM": f"127.0.0.1:{self.sso_port}",
                "ACCESS_LOG": str(self.access_log),
            },
        )
        (self.folder / "assistant.conf").write_text(site)
        (self.folder / "sso-stub.conf").write_text(
            render(SSO_STUB.read_text(), {"SSO_LISTEN": f"127.0.0.1:{self.sso_port}"})
        )
        # The main context a distribution's /etc/nginx/nginx.conf would give, in our folder.
        return f"""
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.folder}/assistant.conf;
    include {self.folder}/sso-stub.conf;
}}
"""

    def start(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx-light)")
        self.folder.mkdir(parents=True, exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(self.config())
        check = subprocess.run(
            [binary, "-t", "-q", "-c", str(conf), "-p", str(self.folder)],
            capture_output=True,
            text=True,
        )
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        with (self.folder / "stdout.log").open("wb") as out:
            self.process = subprocess.Popen(
                [binary, "-c", str(conf), "-p", str(self.folder), "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited:\n{self.error_log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx not listening:\n{self.error_log()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish open requests
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


PROXY_SETTINGS = {
    "ASSISTANT_AUTH__MODE": "proxy",
    "ASSISTANT_AUTH__TRUSTED_PROXIES": '["127.0.0.1"]',
    "ASSISTANT_HTTPS_ONLY": "true",
    "ASSISTANT_LOG_FORMAT": "json",
}
"""Behind the proxy: people are signed in by it (docs/deployment.md, docker-compose.yml)."""


def shared_settings(
    secret_key: str, database_url: str, chroma_host: str, chroma_port: int
) -> dict[str, str]:
    """What every app process of one deployment shares: the secret (stream tokens and CSRF
    tokens made by one process are read by the other), the database, the Chroma server."""
    return {
        "ASSISTANT_SECRET_KEY": secret_key,
        "ASSISTANT_DATABASE_URL": database_url,
        "ASSISTANT_CHROMA__HOST": chroma_host,
        "ASSISTANT_CHROMA__PORT": str(chroma_port),
    }


def torch_threads(processes: int) -> str:
    """Cores ÷ app processes on the machine, at least 1 (``OMP_NUM_THREADS``).

    The embedding model uses every core by default; two processes on two cores then
    run four busy-waiting threads and slow each other down (measured: 32 → 52 asks/s at
    16 clients, p99 1.36 → 0.77 s; docs/deployment.md)."""
    return str(max(1, (os.cpu_count() or 1) // max(1, processes)))


def app_env(data_dir: Path, extra: Mapping[str, str], processes: int = 1) -> dict[str, str]:
    """The environment of an app process behind the proxy (signed in by the proxy), one of
    ``processes`` on this machine."""
    return {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "OMP_NUM_THREADS": torch_threads(processes),
        **PROXY_SETTINGS,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        **extra,
    }
