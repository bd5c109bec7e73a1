"""Tests scripts/backup and scripts/restore end to end, on a PostgreSQL of its own.

    .venv/bin/python bench/backup_restore.py

It starts a throwaway PostgreSQL (bench/services.py), migrates and seeds it, publishes one
file through the importer (so MEDIA_ROOT holds an uploaded original) and asks a gunicorn for
the downloads (so it holds each release's files too). Then it backs up with scripts/backup,
restores with scripts/restore into a fresh database and an empty MEDIA_ROOT, and compares the
two sites: every table's row count and a digest of its rows, the current release, the bytes
of /data/figures.csv and the other downloads as a gunicorn serves them, and every file in
MEDIA_ROOT. It also checks that restore refuses a database that is not empty, that the
restored schema needs no migration, and that the restored site can publish the next release.
Exits 1 on any difference. Takes 13 to 23 seconds here.
"""

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))

import services

PROJECT = services.PROJECT
DOWNLOADS = ("/data/figures.csv", "/data/figures.json", "/data/releases/1/figures.csv", "/data/releases/3/figures.csv")
TIDY_CSV = (
    "geography_code,period_label,period_start,period_end,offence,measure,platform,value,unit,note\r\n"
    "E23000014,2024/25,2024-04-01,2025-03-31,sexual-communication-with-a-child,offences-recorded,,150,count,"
    "Made up by bench/backup_restore.py; never real data.\r\n"
)


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="backup-restore-"))
    try:
        with services.temporary_postgres() as postgres:
            problems = backup_and_restore(postgres, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nTook {time.monotonic() - started:.1f} s")
    for problem in problems:
        print("MISMATCH:", problem)
    if problems:
        print(f"FAIL: {len(problems)} problem(s)")
        return 1
    print("PASS: the restored site has the same tables, rows, release, downloads and files as the original")
    return 0


def backup_and_restore(postgres: services.Server, work: Path) -> list[str]:
    server_url = postgres.url.rsplit("/", 1)[0]
    original = services.app_environment(postgres.url, MEDIA_ROOT=str(work / "media"))
    restored = services.app_environment(f"{server_url}/restored", MEDIA_ROOT=str(work / "restored-media"))
    damaged = services.app_environment(f"{server_url}/damaged", MEDIA_ROOT=str(work / "damaged-media"))
    for name in ("restored", "damaged"):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", name], check=True)

    services.manage(original, "migrate", "--noinput")
    services.manage(original, "seed")
    upload = work / "demo.csv"
    upload.write_text(TIDY_CSV, encoding="utf-8")
    _import(original, upload, title="bench/backup_restore.py", published="2026-01")
    before = fingerprint(original)
    print(f"Original: release {before['release']}, {len(before['tables'])} tables, {len(before['media'])} files")

    _run(["scripts/backup", str(work / "backup")], original)
    _run(["scripts/restore", str(work / "backup")], restored)
    problems = compare(before, fingerprint(restored))

    again = _refused(["scripts/restore", str(work / "backup")], restored)
    if "already has" not in again:
        problems.append("restore did not refuse a database that already had tables")
    shutil.copytree(work / "backup", work / "damaged-backup")
    with (work / "damaged-backup" / "database.dump").open("r+b") as dump:
        dump.seek(dump.seek(0, 2) // 2)
        byte = dump.read(1)
        dump.seek(-1, 1)
        dump.write(bytes([byte[0] ^ 0xFF]))
    damage = _refused(["scripts/restore", str(work / "damaged-backup")], damaged)
    if "FAILED" not in damage or _table_count(damaged["DATABASE_URL"]) != 0:
        problems.append("restore did not refuse a damaged backup, or wrote something from it")

    migrations = subprocess.run(
        [".venv/bin/python", "manage.py", "migrate", "--check"], cwd=PROJECT, env=restored, capture_output=True
    )
    print(f"manage.py migrate --check on the restored database: exit {migrations.returncode}")
    if migrations.returncode != 0:
        problems.append("the restored database needs migrations")

    # Sequences came back too: the restored site takes the next release as the original would.
    upload.write_text(TIDY_CSV.replace(",150,", ",151,"), encoding="utf-8")
    published = _import(restored, upload, title="bench/backup_restore.py, after the restore", published="2026-02")
    if f"Published release {before['release'] + 1}" not in published:
        problems.append("the restored database could not publish the next release")
    return problems


def _refused(command: list[str], env: dict[str, str]) -> str:
    """Run a command that must fail; returns what it said, or "" if it did not fail."""
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    said = (result.stdout + result.stderr).strip()
    print(f"$ {' '.join(command)}  (into {env['DATABASE_URL'].rsplit('/', 1)[1]}, must be refused)")
    print(f"{said}\nexit {result.returncode}")
    return said if result.returncode != 0 else ""


def _table_count(database_url: str) -> int:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        (count,) = cursor.fetchone()
    connection.close()
    return count


def fingerprint(env: dict[str, str]) -> dict:
    """What a restore must bring back exactly, read from the database, from HTTP and from disk."""
    with services.gunicorn(env, workers=1, threads=2) as app:
        downloads = {path: _digest_of(app.url + path) for path in DOWNLOADS}
    with psycopg2.connect(env["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = {}
        for (table,) in cursor.fetchall():
            # Row count, and a digest of every row as text in a fixed order.
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            )
            tables[table] = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(number), 0) FROM stats_release")
        (release,) = cursor.fetchone()
    connection.close()
    media = Path(env["MEDIA_ROOT"])
    files = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return {"release": release, "tables": tables, "downloads": downloads, "media": files}


def compare(before: dict, after: dict) -> list[str]:
    problems = []
    print(f"\n{'table':<34} {'rows before':>11} {'rows after':>10}  rows' digest")
    for table in sorted(before["tables"].keys() | after["tables"].keys()):
        old, new = before["tables"].get(table), after["tables"].get(table)
        same = old == new
        print(
            f"{table:<34} {old[0] if old else '-':>11} {new[0] if new else '-':>10}  {'same' if same else 'DIFFERENT'}"
        )
        if not same:
            problems.append(f"table {table}: {old} before, {new} after")
    print(f"\ncurrent release: {before['release']} before, {after['release']} after")
    if before["release"] != after["release"]:
        problems.append("the current release differs")
    print()
    for path in DOWNLOADS:
        old, new = before["downloads"][path], after["downloads"][path]
        print(f"{path:<30} before {old}\n{'':<30} after  {new}")
        if old != new:
            problems.append(f"{path} differs")
    print()
    for name in sorted(before["media"].keys() | after["media"].keys()):
        old, new = before["media"].get(name), after["media"].get(name)
        print(f"MEDIA_ROOT/{name}: {'same' if old == new else 'DIFFERENT'} ({(new or old)[:12]})")
        if old != new:
            problems.append(f"file {name} differs or is missing")
    return problems


def _digest_of(url: str) -> str:
    """Status, length and SHA-256 of the body, as a reader downloading it would get it."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own gunicorn
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return f"{status} {len(body):>6} bytes sha256 {hashlib.sha256(body).hexdigest()[:16]}"


def _import(env: dict[str, str], path: Path, *, title: str, published: str) -> str:
    """Publish a tidy file through the importer, as an admin's upload would be."""
    source = ["--source-publisher", "Backup test", "--source-title", title, "--source-published", published]
    url = f"https://example.org/backup-test-{published}"
    return _run(
        [
            ".venv/bin/python",
            "manage.py",
            "import_figures",
            str(path),
            "--format",
            "tidy",
            *source,
            "--source-url",
            url,
        ],
        env,
    )


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    shown = " ".join(command if "--format" not in command else command[: command.index("--format") + 2])
    print(f"$ {shown}\n{result.stdout.strip()}")
    if result.returncode != 0:
        print(result.stderr)
        raise SystemExit(f"FAIL: {command[0]} exited {result.returncode}")
    return result.stdout


if __name__ == "__main__":
    sys.exit(main())
