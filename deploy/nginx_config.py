"""deploy/nginx/dashboard.conf.template filled in, and a private nginx to run it.

In production the official nginx image fills the template with envsubst (compose.yaml). Here
the same values are filled in by Python for nginx runs of our own: bench/services.py's nginx()
(the scale-out demo and the load benchmark) and tests/test_nginx.py, so that both run the
template exactly as deployed.
"""

import re
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "dashboard.conf.template"
# Debian's nginx is in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


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
    port: int,
    app_servers: list[str],
    static_root: Path,
    admin_path: str = "admin/",
    upload_max_bytes: int = 200_000_000,
    workers: int = 2,
) -> list[str]:
    """Write an nginx configuration into `folder` that serves the site template on
    127.0.0.1:`port` in front of `app_servers` ("host:port"), and return the command that runs it.

    It runs in the foreground (`daemon off`), with its pid file, logs (access.log, error.log)
    and temporary files in `folder`: the machine's nginx service and port 80 are never touched.
    The http block is the official image's nginx.conf, which the template is written for.
    Started as root, nginx's workers run as nobody: `folder` and `static_root` must be readable
    by every user.
    """
    site = fill_template(
        {
            "LISTEN_PORT": f"127.0.0.1:{port}",
            "SERVER_NAME": "_",
            "APP_SERVERS": " ".join(f"server {address};" for address in app_servers),
            "ADMIN_PATH": admin_path.lstrip("/"),
            "ADMIN_MAX_BODY": admin_max_body(upload_max_bytes),
            "FORWARDED_PROTO": "$scheme",
            "ACCESS_LOG": str(folder / "access.log"),
            "STATIC_ROOT": str(static_root).rstrip("/"),
        }
    )
    (folder / "dashboard.conf").write_text(site, encoding="utf-8")
    temporary = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    main = folder / "nginx.conf"
    main.write_text(
        "daemon off;\n"
        f"worker_processes {workers};\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n"
        "    keepalive_timeout 65;\n"
        + "".join(f"    {name}_temp_path {path};\n" for name, path in temporary.items())
        + f"    include {folder / 'dashboard.conf'};\n"
        "}\n",
        encoding="utf-8",
    )
    return [NGINX, "-c", str(main), "-p", f"{folder}/", "-e", str(folder / "error.log")]
