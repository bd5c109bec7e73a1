"""A million rows with one column wrong everywhere are refused in bounded memory: the check of a
repeated bad cell must not keep every row's frame alive (it once took a worker past 1.6 GB)."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LIMIT_MB = 300

# Run in a child process of its own, so its peak memory is this check's alone.
CHILD = """
import csv, sys
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from pathlib import Path
from stats.importers.files import open_sheets
from stats.importers.home_office import COLUMNS, Area, read_home_office

path, rows = Path(sys.argv[2]), int(sys.argv[3])
geographies = list(csv.DictReader((Path(sys.argv[1]) / "stats/seed/geographies.csv").open(encoding="utf-8")))
forces = [g for g in geographies if g["home_office_force_name"]]
with path.open("w", encoding="utf-8", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    for n in range(rows):  # every row's financial year is the same wrong text
        force = forces[n % len(forces)]["home_office_force_name"]
        writer.writerow(["2017/19", 1 + n % 4, force, "Burglary", "Theft", "Burglary", str(n % 500), n % 90])
areas = [Area(g["code"], g["name"], g["level"], g["parent_code"]) for g in geographies]
names = {g["home_office_force_name"]: g["code"] for g in forces}
result = read_home_office(open_sheets(path, max_bytes=10**9), areas=areas, force_names=names)
# VmHWM, this process's own peak: ru_maxrss would keep the peak of the pytest process it was
# forked from, which Linux carries across exec.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(result.error_count, len(result.errors), peak // 1024)
"""


def test_a_million_rows_with_one_bad_column_are_refused_in_bounded_memory(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "dashboard.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(PROJECT), str(tmp_path / "bad.csv"), "1000000"],
        capture_output=True, text=True, check=False, env=env, cwd=PROJECT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    errors, kept, peak_mb = map(int, result.stdout.strip().splitlines()[-1].split())  # after any log lines
    assert (errors, kept) == (1_000_000, 200)  # every row refused, the first 200 listed
    assert peak_mb < LIMIT_MB
