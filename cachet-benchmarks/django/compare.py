#!/usr/bin/python3
"""Django's cache backends and cachet's side by side, on the same servers, interleaved.

For each pair below, each round runs Django's backend (django_bench.py) and then cachet's
(`./cachet bench`) on the same workload (docs/bench-workload.md) and the same server, and the
table gives the median over rounds of each op's p50 latency and the ratio Django / cachet (above
1: cachet is faster). It starts its own memcached on a free loopback port; PostgreSQL and MariaDB
are the ones at 127.0.0.1 (databases `test`); SQLite and file caches live in a scratch folder.

    /usr/bin/python3 cachet-benchmarks/django/compare.py [--rounds 3] [--seconds 1.5] [--pairs locmem,sqlite,...]

Needs: Debian's python3-django python3-pylibmc python3-pymemcache python3-psycopg2 python3-mysqldb,
memcached, and a Java/Maven able to build ./cachet.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pairs(scratch, memcached):
    """name -> (Django backend, cachet location)."""
    return {
        "locmem": ("locmem", "memory:?store_by_value=true"),
        "file": ("file:" + os.path.join(scratch, "django-files"), "file:" + os.path.join(scratch, "cachet-files")),
        "sqlite": ("sqlite:" + os.path.join(scratch, "django.sqlite3"), "jdbc:sqlite:" + os.path.join(scratch, "cachet.sqlite3")),
        "postgresql": ("postgresql", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
        "mysql": ("mysql", "jdbc:mariadb://127.0.0.1:3306/test?user=root"),
        "pylibmc": ("pylibmc:" + memcached, "memcached://" + memcached),
        "pymemcache": ("pymemcache:" + memcached, "memcached://" + memcached),
    }


def run_django(backend, seconds, sizes, out):
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "django_bench.py"), "--backend", backend,
                    "--seconds", str(seconds), "--sizes", sizes, "--json", out], check=True,
                   stdout=subprocess.DEVNULL)
    return json.load(open(out))["results"]


def run_cachet(location, seconds, sizes, out):
    extra = ["-o", "create_table=true"] if location.startswith("jdbc:") else []
    # a JVM's JIT compiles the hot paths in its first second or two, and a process that runs for
    # hours has long done so (CPython has nothing to warm up): each op warms up 2 s before it is timed
    subprocess.run([os.path.join(ROOT, "cachet"), "bench", "--cache", location, *extra, "--seconds", str(seconds),
                    "--warmup", "2",
                    "--sizes", sizes, "--progress", "never", "--json", out], check=True, stdout=subprocess.DEVNULL)
    return json.load(open(out))["results"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=1.5)
    p.add_argument("--sizes", default="small,large")
    p.add_argument("--pairs", default="locmem,file,sqlite,postgresql,mysql,pylibmc,pymemcache")
    a = p.parse_args()
    scratch = tempfile.mkdtemp(prefix="cachet-vs-django-")
    port = free_port()
    cmd = [shutil.which("memcached") or sys.exit("memcached is not on the PATH (apt-get install memcached)"),
           "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "512", "-t", "1"]
    if os.geteuid() == 0:
        cmd += ["-u", "root"]
    server = subprocess.Popen(cmd)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        table = pairs(scratch, f"127.0.0.1:{port}")
        chosen = a.pairs.split(",")
        p50 = {}  # (pair, side, size, op) -> [p50...]
        for r in range(a.rounds):
            for name in chosen:
                backend, location = table[name]
                for side, runner, where in (("django", run_django, backend), ("cachet", run_cachet, location)):
                    out = os.path.join(scratch, f"{name}-{side}-{r}.json")
                    for row in runner(where, a.seconds, a.sizes, out):
                        p50.setdefault((name, side, row["size"], row["op"]), []).append(row["p50_us"])
                print(f"round {r + 1}/{a.rounds}: {name} done", file=sys.stderr, flush=True)
        print(f"| backend | size | op | Django p50 µs | cachet p50 µs | Django / cachet |")
        print("| --- | --- | --- | ---: | ---: | ---: |")
        for name in chosen:
            for (n, side, size, op), values in p50.items():
                if n != name or side != "django":
                    continue
                other = p50.get((name, "cachet", size, op))
                if not other:
                    continue
                d, c = statistics.median(values), statistics.median(other)
                print(f"| {name} | {size} | {op} | {d:,.1f} | {c:,.1f} | {d / c:.2f}x |")
    finally:
        server.terminate()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
