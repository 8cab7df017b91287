"""Benchmark of the synthetic city (not a test): people per second and peak memory of `generate_city`.

Each size runs in its own process so that its peak memory (max RSS) is its own. The reference, in the same
run, is Faker's zh_CN provider (the usual way to make fake Chinese people) generating the truth fields only
(name, sex, ID number, phone, address) for the smaller size: the ratio says how the whole city, with its
households, legal entities, every department's source file and the links, compares with bare fake rows.

    .venv/bin/python bench/synth.py [--sizes 100000,1000000] [--faker 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = """
import json, resource, sys, time
from pathlib import Path
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig
persons, out = int(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
report = generate_city(CityConfig(persons=persons, seed=1), out)
seconds = time.perf_counter() - start
size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
print(json.dumps({"persons": persons, "seconds": seconds, "rows": report.source_rows, "files": len(report.files),
                  "bytes": size, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FAKER = """
import json, resource, sys, time
from faker import Faker
persons = int(sys.argv[1])
fake = Faker("zh_CN")
Faker.seed(1)
start = time.perf_counter()
rows = [(fake.name(), fake.ssn(), fake.phone_number(), fake.address()) for _ in range(persons)]
seconds = time.perf_counter() - start
print(json.dumps({"persons": persons, "seconds": seconds,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--faker", type=int, default=100_000, help="people Faker makes for the reference")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; max RSS of each run in its own process")
    faker = _run(FAKER, str(args.faker))
    faker_rate = faker["persons"] / faker["seconds"]
    print(f"reference: Faker zh_CN, {faker['persons']:,} people (4 fields, in memory): "
          f"{faker['seconds']:.1f} s, {faker_rate:,.0f} people/s, peak {faker['peak_mib']:,.0f} MiB")
    print("| people | seconds | people/s | vs Faker | source rows | files | output MiB | peak MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            r = _run(CHILD, str(size), f"{folder}/city")
        rate = r["persons"] / r["seconds"]
        print(f"| {size:,} | {r['seconds']:.1f} | {rate:,.0f} | {rate / faker_rate:.1f}× | {r['rows']:,} "
              f"| {r['files']} | {r['bytes'] / 2**20:,.0f} | {r['peak_mib']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
