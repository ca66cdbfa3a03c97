#!/usr/bin/env python3
"""Interleaved JMH rounds: the machines are shared and noisy, so baselines and ours run in
alternating short forks, and what counts is the median per benchmark and the median of the
per-round ratios.

usage: cachet-benchmarks/interleave.py ROUNDS CLASS BASELINE OTHER [OTHER ...]
  e.g. cachet-benchmarks/interleave.py 6 MemoryVsCaffeineBenchmark caffeineSet cachetSet
Builds nothing: run `mvn -q -pl cachet-benchmarks -am package -DskipTests` first.
Extra JMH options come from $JMH_OPTS (default: -f 1 -wi 2 -w 1s -i 4 -r 500ms -t 1).
"""
import json, os, statistics, subprocess, sys, tempfile

def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    rounds, cls, benches = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    jar = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "benchmarks.jar")
    opts = os.environ.get("JMH_OPTS", "-f 1 -wi 2 -w 1s -i 4 -r 500ms -t 1").split()
    scores = {b: [] for b in benches}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        for r in range(rounds):
            for b in benches if r % 2 == 0 else reversed(benches):
                subprocess.run(["java", "-jar", jar, f"{cls}.{b}$", *opts, "-rf", "json", "-rff", out],
                               check=True, capture_output=True, text=True)
                with open(out) as f:
                    scores[b].append(json.load(f)[0]["primaryMetric"]["score"])
            print(f"round {r}: " + ", ".join(f"{b} {scores[b][-1]:.1f}" for b in benches), file=sys.stderr, flush=True)
    base = benches[0]
    unit = "ns/op"
    print(f"| benchmark | median {unit} | ratio to {base} (median of rounds) | per round |")
    print("| --- | ---: | ---: | --- |")
    for b in benches:
        ratios = [x / y for x, y in zip(scores[b], scores[base])]
        print(f"| {b} | {statistics.median(scores[b]):.1f} | {statistics.median(ratios):.2f}x | "
              + " ".join(f"{x:.2f}" for x in ratios) + " |")

if __name__ == "__main__":
    main()
