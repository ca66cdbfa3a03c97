#!/usr/bin/python3
"""The benchmark workload of `cachet bench` (docs/bench-workload.md), run on Django's cache backends.

Same keys, values, order, settings and timing as `cachet bench`, written as a Django user would:
`caches[...]` configured in settings, values as Python objects (a str, a list of 1,000 str). It
prints the same columns and writes the same JSON shape (`results`: cache, size, op, n, calls_per_s,
mean_us, p50_us, p99_us), so that compare.py can put both side by side.

Needs Debian's python3-django (3.2), and for the backends that use them python3-pylibmc,
python3-pymemcache, python3-psycopg2, python3-mysqldb. Run with /usr/bin/python3 (Debian's
packages are not on another interpreter's path).

    /usr/bin/python3 django_bench.py --backend locmem [--sizes small,large] [--seconds 1.5] [--json out.json]

Backends: locmem, file:DIR, sqlite:FILE, postgresql, mysql, pylibmc:HOST:PORT, pymemcache:HOST:PORT.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MASK = (1 << 64) - 1


def gen(seed, n):
    """The workload's deterministic text: an LCG over 64 bits, the top 6 bits picking a character."""
    x = seed & MASK
    out = []
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
        out.append(ALPHABET[x >> 58])
    return "".join(out)


def cache_settings(backend):
    """Django's CACHES['bench'] and DATABASES for one backend name."""
    options = {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 3}
    common = {"TIMEOUT": 3600, "KEY_PREFIX": "", "VERSION": 1}
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    kind, _, where = backend.partition(":")
    if kind == "locmem":
        cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench", "OPTIONS": options}
    elif kind == "file":
        cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": where or tempfile.mkdtemp(prefix="django-bench-"), "OPTIONS": options}
    elif kind in ("sqlite", "postgresql", "mysql"):
        if kind == "sqlite":
            databases["default"] = {"ENGINE": "django.db.backends.sqlite3",
                                    "NAME": where or os.path.join(tempfile.mkdtemp(prefix="django-bench-"), "db.sqlite3")}
        elif kind == "postgresql":
            databases["default"] = {"ENGINE": "django.db.backends.postgresql", "NAME": "test", "USER": "postgres",
                                    "HOST": "127.0.0.1", "PORT": "5432"}
        else:
            databases["default"] = {"ENGINE": "django.db.backends.mysql", "NAME": "test", "USER": "root",
                                    "PASSWORD": "", "HOST": "127.0.0.1", "PORT": "3306"}
        cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_bench_cache",
                 "OPTIONS": options}
    elif kind in ("pylibmc", "pymemcache"):
        cls = "PyLibMCCache" if kind == "pylibmc" else "PyMemcacheCache"
        cache = {"BACKEND": "django.core.cache.backends.memcached." + cls, "LOCATION": where}
    else:
        sys.exit("unknown backend " + backend + " (locmem, file:DIR, sqlite:FILE, postgresql, mysql, "
                 "pylibmc:HOST:PORT, pymemcache:HOST:PORT)")
    cache.update(common)
    return {"bench": cache}, databases


def setup_django(backend):
    from django.conf import settings
    caches, databases = cache_settings(backend)
    settings.configure(CACHES=caches, DATABASES=databases, INSTALLED_APPS=[], USE_TZ=True)
    import django
    django.setup()
    if caches["bench"]["BACKEND"].endswith("DatabaseCache"):
        from django.core.management import call_command
        call_command("createcachetable", verbosity=0)
    from django.core.cache import caches as django_caches
    return django_caches["bench"]


def timed(calls, seconds, warmup):
    """Runs calls(i) for about `seconds` after `warmup` seconds; each call timed alone, in µs."""
    end = time.perf_counter() + warmup
    i = 0
    while time.perf_counter() < end:
        calls(i)
        i += 1
    samples = []
    clock = time.perf_counter_ns
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        t0 = clock()
        calls(i)
        samples.append((clock() - t0) / 1000)
        i += 1
    return samples


def report(cache_name, size, op, samples, results):
    s = sorted(samples)
    total = sum(s) / 1e6
    row = {"cache": cache_name, "size": size, "op": op, "n": len(s),
           "calls_per_s": len(s) / total if total else 0.0, "mean_us": statistics.fmean(s),
           "p50_us": s[len(s) // 2], "p99_us": s[min(len(s) - 1, int(len(s) * 0.99))]}
    results.append(row)
    print(f"{cache_name:30} {size:6} {op:9} {row['n']:8d} {row['calls_per_s']:10.0f} {row['mean_us']:10.1f} "
          f"{row['p50_us']:10.1f} {row['p99_us']:10.1f}", flush=True)


def run(cache, name, sizes, seconds, warmup, ops):
    results = []
    print(f"{'cache':30} {'size':6} {'op':9} {'N':>8} {'calls/s':>10} {'mean_us':>10} {'p50_us':>10} {'p99_us':>10}")
    for size in sizes:
        z = "s" if size == "small" else "l"
        value = gen(1, 100) if size == "small" else [gen(1000 + i, 100) for i in range(1000)]
        keys = [f"bench:{z}:{i:06d}" for i in range(1000)]
        batches = [[keys[(b * 100 + t) % 1000] for t in range(100)] for b in range(10)]
        batch_maps = [{k: value for k in batch} for batch in batches]
        cache.clear()
        for k in keys:
            cache.set(k, value)

        def check(v):
            if v != value:
                raise SystemExit(f"{name}: a {size} value did not read back")

        loops = {
            "set": lambda i: cache.set(keys[i % 1000], value),
            "get": lambda i: check(cache.get(keys[i % 1000])),
            "has_key": lambda i: cache.has_key(keys[i % 1000]) or sys.exit("has_key missed"),
            "set_many": lambda i: cache.set_many(batch_maps[i % 10]),
            "get_many": lambda i: len(cache.get_many(batches[i % 10])) == 100 or sys.exit("get_many missed"),
        }
        for op in ("set", "get", "has_key", "set_many", "get_many"):
            if op in ops:
                report(name, size, op, timed(loops[op], seconds, warmup), results)
        if "add" in ops or "delete" in ops:
            add_samples, delete_samples = [], []
            block = 0
            clock = time.perf_counter_ns
            end = time.perf_counter() + seconds * 2
            while time.perf_counter() < end:
                block_keys = [f"bench:{z}:new:{block * 1000 + t:08d}" for t in range(1000)]
                for k in block_keys:
                    t0 = clock()
                    added = cache.add(k, value)
                    add_samples.append((clock() - t0) / 1000)
                    if not added:
                        sys.exit("add did not store")
                for k in block_keys:
                    t0 = clock()
                    cache.delete(k)
                    delete_samples.append((clock() - t0) / 1000)
                block += 1
            report(name, size, "add", add_samples, results)
            report(name, size, "delete", delete_samples, results)
    if "incr" in ops:
        cache.set("bench:counter", 0)
        samples = timed(lambda i: cache.incr("bench:counter"), seconds, 0)
        report(name, "-", "incr", samples, results)
    for size in sizes:
        z = "s" if size == "small" else "l"
        cache.delete_many([f"bench:{z}:{i:06d}" for i in range(1000)])
    cache.delete("bench:counter")
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backend", required=True)
    p.add_argument("--sizes", default="small,large")
    p.add_argument("--ops", default="set,get,has_key,set_many,get_many,add,delete,incr")
    p.add_argument("--seconds", type=float, default=1.5)
    p.add_argument("--warmup", type=float, default=None)
    p.add_argument("--json")
    a = p.parse_args()
    import django
    cache = setup_django(a.backend)
    name = "django " + a.backend.split(":")[0]
    warmup = a.warmup if a.warmup is not None else min(0.5, a.seconds / 4)
    results = run(cache, name, a.sizes.split(","), a.seconds, warmup, set(a.ops.split(",")))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"tool": "django_bench.py", "django_version": django.get_version(),
                       "python_version": sys.version.split()[0], "backend": a.backend,
                       "settings": {"seconds": a.seconds, "sizes": a.sizes.split(",")}, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
