"""Benchmark: importing a 10,000-row ledger (.xlsx) of new cadres.

    .venv/bin/python bench/import_ledger.py            # 10000
    .venv/bin/python bench/import_ledger.py 10000 30000
    .venv/bin/python bench/import_ledger.py 10000 --database-url postgres://postgres@127.0.0.1:5432/yinling_bench

Each size gets a fresh database (SQLite in a temporary folder, or the PostgreSQL
database named by --database-url with "import" appended, copied anew for each size
from one seeded as its template) with the demo organisation (`seed_demo` with a
small registry: units, staff, branches). A separate process writes a valid ledger of
new cadres of those units (valid ID numbers, branch memberships, emergency contacts),
then, as a bureau staff member, reads the upload, checks every row and imports them all
in one transaction, exactly as the background worker does. It prints the seconds of
each step (wall clock, and the CPU time of the process, which a busy machine does not
inflate), the peak resident memory of the process, and the rows added to the registry.
The aim: 10,000 rows checked and imported in well under a minute.
"""

import argparse
import subprocess
import sys
import tempfile

from demo_database import (
    ROOT,
    add_database_argument,
    copy_database,
    environment,
    migrate,
    seed,
    sized_url,
    use_database,
)

IMPORT = r"""
import datetime, io, random, resource, sys, time, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from faker import Faker
from openpyxl import Workbook
from accounts.models import Unit, User
from branches.models import PartyBranch
from cadres.demo import IdNumbers
from cadres.models import Cadre
from ledger.columns import LEDGER_COLUMNS
from ledger.services import (
    import_job_commit, import_job_create, import_job_mark_importing, import_job_validate,
)

size = int(sys.argv[1])
rng = random.Random(7)
fake = Faker("zh_CN")
fake.seed_instance(7)
today = timezone.localdate()
units = list(Unit.objects.filter(kind=Unit.Kind.EMPLOYER).values_list("name", flat=True))
branches = list(
    PartyBranch.objects.exclude(kind="general").filter(is_active=True)
    .values_list("name", flat=True)
)
ids = IdNumbers(rng)
ids.used.update(Cadre.objects.values_list("id_number", flat=True))
people = set(Cadre.objects.values_list("name", "birth_date"))
headers = [column.header for column in LEDGER_COLUMNS if column.imported]
workbook = Workbook(write_only=True)
sheet = workbook.create_sheet("干部台账")
sheet.append(headers)
for _ in range(size):
    male = rng.random() < 0.62
    while True:
        birth = today - datetime.timedelta(days=rng.randint(61 * 365, 95 * 365))
        name = fake.name_male() if male else fake.name_female()
        if (name, birth) not in people:
            people.add((name, birth))
            break
    party = rng.random() < 0.78
    row = {
        "姓名": name,
        "性别": "男" if male else "女",
        "民族": "汉族",
        "出生日期": birth,
        "身份证号": ids.make(birth, male),
        "离退休类别": "退休",
        "离退休时间": birth.replace(year=birth.year + 60, day=min(birth.day, 28)),
        "所在单位": rng.choice(units),
        "原职务": "科长",
        "原职级": "乡科级正职",
        "政治面貌": "中共党员" if party else "群众",
        "入党时间": birth.replace(year=birth.year + 25, day=min(birth.day, 28)) if party else None,
        "党支部": rng.choice(branches) if party and rng.random() < 0.6 else None,
        "联系电话": fake.phone_number(),
        "家庭住址": fake.address(),
        "身体状况": rng.choice(["良好", "一般", "较差"]),
        "居住状况": rng.choice(["与家人同住", "空巢", "独居"]),
        "爱好特长": "书法",
        "紧急联系人姓名": fake.name() if rng.random() < 0.8 else None,
        "紧急联系人关系": "子女",
        "紧急联系人电话": fake.phone_number(),
    }
    if not row["紧急联系人姓名"]:
        row["紧急联系人关系"] = row["紧急联系人电话"] = None
    sheet.append([row.get(header) for header in headers])
out = io.BytesIO()
workbook.save(out)
data = out.getvalue()

user = User.objects.create_user(
    "bench-import", role=User.Role.BUREAU_STAFF, unit=Unit.objects.get(parent=None)
)
before = Cadre.objects.count()
timings = []


def timed(step):
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    timings.extend([time.perf_counter() - wall, time.process_time() - cpu])
    return result


job, rows = timed(
    lambda: import_job_create(user=user, upload=SimpleUploadedFile("台账.xlsx", data))
)
job = timed(lambda: import_job_validate(job=job, sheet=rows))
assert job.status == "valid", (job.status, job.failure, job.errors[:5])
assert import_job_mark_importing(job=job)
job = timed(lambda: import_job_commit(job=job))
assert job.status == "done", (job.status, job.failure)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
added = Cadre.objects.count() - before
print(size, len(data), *(f"{t:.2f}" for t in timings), f"{peak / 1024:.0f}", added,
      job.preview["contacts"], job.preview["branch_members"])
"""


def measure(seeded: str, size: int, url: str | None) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        copy_url = copy_database(seeded, folder, database_url=url)
        return subprocess.run(
            [sys.executable, "-c", IMPORT, str(size)],
            cwd=ROOT,
            env=environment(folder, database_url=copy_url),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()


def print_row(measured: list[str]) -> None:
    rows, file_size, *timings, peak, added, contacts, members = measured
    wall = [float(value) for value in timings[0::2]]
    cpu = [float(value) for value in timings[1::2]]
    steps = [f"{w:.1f} ({c:.1f})" for w, c in zip(wall, cpu, strict=True)]
    steps.append(f"{sum(wall):.1f} ({sum(cpu):.1f})")
    row = [rows, f"{int(file_size) / 2**20:.1f}", *steps, peak, added, contacts, members]
    print(" ".join(f"{value:>13}" for value in row))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    add_database_argument(parser)
    args = parser.parse_args()
    use_database(args.database_url)
    print("PostgreSQL" if args.database_url else "SQLite")
    print("seconds: wall (CPU of the process; lower than wall when the machine is busy)")
    columns = ["rows", "file MB", "read", "check", "import", "total", "peak MB", "cadres+"]
    columns += ["contacts", "members"]
    print(" ".join(f"{name:>13}" for name in columns))
    url = sized_url(args.database_url, "import") if args.database_url else None
    with tempfile.TemporaryDirectory() as seeded:
        # The demo organisation (units, staff, branches) and a small registry, seeded once.
        migrate(seeded, database_url=url)
        seed(seeded, 200, database_url=url)
        for size in args.sizes:
            print_row(measure(seeded, size, url))


if __name__ == "__main__":
    main()
