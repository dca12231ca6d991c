"""Fill in deploy/nginx.conf: the same file in production and in `make cluster`.

Production, for example (the staff admin's photo pages are found under DJANGO_ADMIN_URL, read
from the environment as the app reads it, or from --admin-url):

    python deploy/render_nginx.py --runtime-dir /run/avyia-nginx --server-name avyia.example.org \\
        --listen "443 ssl" --listen 80 --tls-include /etc/nginx/avyia-tls.conf \\
        --app 10.0.0.11:8000 --app 10.0.0.12:8000 > /etc/nginx/nginx.conf
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
# The admin's pages that take a clinician's photo: adding one, and changing one (by its number).
UPLOAD_PAGES = "pages/clinician/(add|[0-9]+/change)/$"


def admin_url_from_environment() -> str:
    """DJANGO_ADMIN_URL as the app reads it (avyia_site/settings.py): "staff/" unless set."""
    return os.environ.get("DJANGO_ADMIN_URL", "staff/").strip("/") + "/"


def upload_paths(admin_url: str) -> str:
    """nginx's regular expression for the photo upload pages under `admin_url`."""
    prefix = re.sub(r"([^A-Za-z0-9/_-])", r"\\\1", admin_url.strip("/") + "/")
    return f'"^/{prefix}{UPLOAD_PAGES}"'


def render_nginx_conf(
    *,
    runtime_dir: str,
    listen: list[str],
    server_name: str,
    app_servers: list[str],
    tls_include: str | None = None,
    admin_url: str | None = None,
) -> str:
    """The configuration; the photo upload pages under `admin_url` (default: DJANGO_ADMIN_URL)."""
    values = {
        "@RUNTIME_DIR@": runtime_dir,
        "@LISTEN@": "\n".join(f"        listen {address};" for address in listen),
        "@SERVER_NAME@": server_name,
        "@TLS@": f"        include {tls_include};" if tls_include else "",
        "@APP_SERVERS@": "\n".join(
            f"        server {address} max_fails=1 fail_timeout=5s;" for address in app_servers
        ),
        "@UPLOAD_PATHS@": upload_paths(admin_url or admin_url_from_environment()),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(name, value)
    body = "\n".join(line.split("#")[0] for line in text.splitlines())
    if leftover := re.findall(r"@[A-Z_]+@", body):
        raise ValueError(f"deploy/nginx.conf has values render_nginx.py does not know: {leftover}")
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime-dir", required=True)
    parser.add_argument("--listen", action="append", required=True)
    parser.add_argument("--server-name", required=True)
    parser.add_argument("--app", action="append", required=True, dest="app_servers")
    parser.add_argument("--tls-include")
    parser.add_argument(
        "--admin-url", help="the staff admin's path, as DJANGO_ADMIN_URL (default: that variable)"
    )
    args = parser.parse_args(argv)
    sys.stdout.write(
        render_nginx_conf(
            runtime_dir=args.runtime_dir,
            listen=args.listen,
            server_name=args.server_name,
            app_servers=args.app_servers,
            tls_include=args.tls_include,
            admin_url=args.admin_url,
        )
    )


if __name__ == "__main__":
    main()
