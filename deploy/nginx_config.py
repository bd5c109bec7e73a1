"""deploy/nginx/dashboard.conf.template filled in, and an nginx of our own to run it.

In a container the official nginx image fills the template with envsubst (compose.yaml). Here
the same values are filled in by Python for every other nginx we run: scripts/production's
(through the command below), bench/services.py's nginx() (the drills, the scale-out demo and
the load benchmark) and tests/test_nginx.py, so that all of them run the template as deployed.

    python -m deploy.nginx_config FOLDER --listen 0.0.0.0:8000 --app-server 127.0.0.1:8001

writes the configuration into FOLDER, from this deployment's settings (STATIC_ROOT,
ADMIN_PATH, UPLOAD_MAX_BYTES, HTTPS_ONLY), checks it with `nginx -t`, and prints the command
that runs it, one argument a line (scripts/production runs it).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "dashboard.conf.template"
# Debian's nginx is in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"
# nginx's own temporary folders, which it would otherwise put under its compiled-in prefix.
TEMPORARY_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def admin_max_body(upload_max_bytes: int) -> str:
    """nginx's client_max_body_size for the admin path: the largest upload plus 10 MiB for the
    form around it, so a file just over UPLOAD_MAX_BYTES reaches the app and gets its message."""
    return f"{-(-upload_max_bytes // 2**20) + 10}m"


def fill_template(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """The template with its ${NAME} values filled in, as envsubst would. A name left without
    a value is an error, not an empty string in the configuration."""
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    unfilled = sorted(set(re.findall(r"\$\{([A-Z_]+)\}", text)))
    if unfilled:
        raise ValueError(f"{template.name}: no value for {', '.join(unfilled)}")
    return text


def private_nginx(
    folder: Path,
    *,
    app_servers: list[str],
    static_root: Path,
    port: int | None = None,
    listen: str | None = None,
    admin_path: str = "admin/",
    upload_max_bytes: int = 200_000_000,
    forwarded_proto: str = "$scheme",
    access_log: str | None = None,
    error_log: str | None = None,
    workers: int = 2,
) -> list[str]:
    """Write an nginx configuration into `folder` that serves the site template on `listen`
    ("address:port"; by default 127.0.0.1:`port`) in front of `app_servers` ("127.0.0.1:port"),
    and return the command that runs it.

    It runs in the foreground (`daemon off`), with its pid file, temporary files, the pages it
    keeps (pages/) and by default its logs (access.log, error.log) in `folder`: the machine's
    nginx service and port 80 are never touched. The http block is the official image's
    nginx.conf, which the template is written for. Started as root, nginx's workers run as
    nobody: `folder` and `static_root` must be readable by every user.
    """
    if (port is None) == (listen is None):
        raise ValueError("give either port or listen")
    listen = listen or f"127.0.0.1:{port}"
    error_log = error_log or str(folder / "error.log")
    site = fill_template(
        {
            "LISTEN_PORT": listen,
            "SERVER_NAME": "_",
            "APP_SERVERS": " ".join(f"server {address};" for address in app_servers),
            "ADMIN_PATH": admin_path.lstrip("/"),
            "ADMIN_MAX_BODY": admin_max_body(upload_max_bytes),
            "FORWARDED_PROTO": forwarded_proto,
            "ACCESS_LOG": access_log or str(folder / "access.log"),
            "STATIC_ROOT": str(static_root).rstrip("/"),
            "PAGE_CACHE_PATH": str(folder / "pages"),
        }
    )
    (folder / "dashboard.conf").write_text(site, encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(
        "daemon off;\n"
        f"worker_processes {workers};\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {error_log} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n"
        "    keepalive_timeout 65;\n"
        + "".join(f"    {name}_temp_path {folder / name};\n" for name in TEMPORARY_FOLDERS)
        + f"    include {folder / 'dashboard.conf'};\n"
        "}\n",
        encoding="utf-8",
    )
    return [NGINX, "-c", str(main), "-p", f"{folder}/", "-e", error_log]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where the configuration, pid file and kept pages go")
    parser.add_argument("--listen", required=True, help="the address and port visitors (or the load balancer) use")
    parser.add_argument("--app-server", action="append", required=True, help="127.0.0.1:port of a gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="nginx worker processes (default 2)")
    args = parser.parse_args(argv)
    for address in args.app_server:
        if not address.startswith("127.0.0.1:"):
            parser.error(f"--app-server {address}: gunicorn listens on 127.0.0.1 only, behind this nginx")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    from django.conf import settings

    args.folder.mkdir(parents=True, exist_ok=True)
    args.folder.chmod(0o755)  # nginx's workers run as nobody when started by root
    command = private_nginx(
        args.folder,
        listen=args.listen,
        app_servers=args.app_server,
        static_root=Path(settings.STATIC_ROOT),
        admin_path=settings.ADMIN_PATH,
        upload_max_bytes=settings.UPLOAD_MAX_BYTES,
        # Behind TLS (HTTPS_ONLY) this nginx speaks plain HTTP to the load balancer that ends
        # TLS, and passes on the X-Forwarded-Proto it set; without TLS it says what it saw.
        forwarded_proto="$http_x_forwarded_proto" if settings.HTTPS_ONLY else "$scheme",
        access_log="/dev/stdout",
        error_log="stderr",
        workers=args.workers,
    )
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)  # noqa: S603 - our own nginx
    if checked.returncode != 0:
        print(f"nginx refused the configuration in {args.folder}:\n{checked.stderr}", file=sys.stderr)
        return 1
    print("\n".join(command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
