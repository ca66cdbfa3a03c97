#!/usr/bin/env bash
# The page cache against Jetty's own static files, with wrk (Debian: apt-get install -y wrk):
# the same 10 KB page as a static file and as a cached servlet view on one Jetty 12 on loopback,
# RUNS alternating runs of wrk each (default 3, DURATION each, default 10s), then a view that takes
# 3.5 s: the first request, then 200 more timed with curl. Prints the medians and the ratio.
# Usage: cachet-benchmarks/page-cache-bench.sh [RUNS] [DURATION]   (builds the module first, under the build lock)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duration=${2:-10s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cpfile=$(mktemp)
out=$(mktemp)
# one reactor: the cachet modules resolve to their fresh jars; the last module written is cachet-benchmarks'
flock /tmp/cachet-build.lock mvn -B -q -o -pl cachet-benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile")
java -cp "cachet-benchmarks/target/classes:$cp" dev.cachet.benchmarks.PageCacheServer >"$out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out" "$cpfile"' EXIT
for _ in $(seq 1 100); do grep -q '^port=' "$out" && break; sleep 0.1; done
port=$(sed -n 's/^port=//p' "$out")
base=http://127.0.0.1:$port
curl -sf "$base/static/page.html" -o /dev/null && curl -sf "$base/cached/page" -o /dev/null
wrk -t2 -c32 -d3s "$base/static/page.html" >/dev/null   # warm-up, both
wrk -t2 -c32 -d3s "$base/cached/page" >/dev/null
declare -a static_rps cached_rps static_p99 cached_p99
for i in $(seq 1 "$runs"); do
  for what in static cached; do
    url=$base/static/page.html; [[ $what == cached ]] && url=$base/cached/page
    r=$(wrk -t2 -c32 -d"$duration" --latency "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$r")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$r")
    echo "run $i $what: $rps req/s, p99 $p99"
    if [[ $what == static ]]; then static_rps+=("$rps"); static_p99+=("$p99"); else cached_rps+=("$rps"); cached_p99+=("$p99"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { for v in "$@"; do awk -v v="$v" 'BEGIN { if (v ~ /us$/) print v/1000; else if (v ~ /ms$/) print v+0; else print v*1000 }'; done; }
s=$(median "${static_rps[@]}"); c=$(median "${cached_rps[@]}")
echo "median static: $s req/s, p99 $(median $(ms "${static_p99[@]}")) ms"
echo "median cached: $c req/s, p99 $(median $(ms "${cached_p99[@]}")) ms"
awk -v s="$s" -v c="$c" 'BEGIN { printf "cached/static throughput: %.2fx\n", c / s }'
first=$(curl -s -o /dev/null -w '%{time_total}' "$base/slow")
echo "slow view, first request: ${first} s"
for _ in $(seq 1 200); do curl -s -o /dev/null -w '%{time_total}\n' "$base/slow"; done | sort -g \
  | awk '{a[NR]=$1} END {printf "slow view, 200 later requests: median %.2f ms, p99 %.2f ms, max %.2f ms\n", a[int(NR/2)]*1000, a[int(NR*0.99)]*1000, a[NR]*1000}'
