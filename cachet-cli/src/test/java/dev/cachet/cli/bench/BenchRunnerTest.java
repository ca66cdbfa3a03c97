package dev.cachet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
    /** A raw baseline: a plain HashMap behind the target interface, recording the calls it gets. */
    static class MapTarget implements BenchTarget {
        final String label;
        final Map<String, Object> map = new HashMap<>();
        final List<String> log;

        MapTarget(String label, List<String> log) {
            this.label = label;
            this.log = log;
        }

        @Override public String label() { return label; }
        @Override public void clear() { log.add(label + " clear"); map.clear(); }
        @Override public boolean set(String key, Object value) { map.put(key, value); return true; }
        @Override public Object get(String key) { return map.get(key); }
        @Override public boolean hasKey(String key) { return map.containsKey(key); }
        @Override public boolean setMany(Map<String, Object> values) { map.putAll(values); return true; }
        @Override public boolean add(String key, Object value) { return map.putIfAbsent(key, value) == null; }
        @Override public boolean delete(String key) { return map.remove(key) != null; }
        @Override public long incr(String key, long delta) { return (Long) map.merge(key, delta, (a, b) -> (Long) a + (Long) b); }
        @Override public void close() { }

        @Override
        public Map<String, Object> getMany(List<String> keys) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : keys) {
                if (map.containsKey(k)) {
                    out.put(k, map.get(k));
                }
            }
            return out;
        }
    }

    private static BenchSettings quick() {
        return new BenchSettings(0.01, 0.002, EnumSet.allOf(BenchOp.class), List.of(BenchSize.values()), 100_000);
    }

    @Test
    void runsEveryOpOfEverySizeOnEveryTargetInterleaved() {
        List<String> log = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        MapTarget raw = new MapTarget("raw", log);
        MapTarget framework = new MapTarget("framework", log);
        BenchReport report = new BenchRunner(quick(), (step, steps, target, what) -> phases.add(target + " " + what))
                .run(List.of(raw, framework));

        assertThat(report.passed()).isTrue();
        assertThat(report.results()).hasSize(2 * (2 * 7 + 1));
        assertThat(report.results()).allSatisfy(r -> {
            assertThat(r.stats().n()).isGreaterThanOrEqualTo(10);
            assertThat(r.stats().p50Micros()).isLessThanOrEqualTo(r.stats().p99Micros());
        });
        // grouped by target in the order given, then size, then op in run order
        assertThat(report.results().get(0).target()).isEqualTo("raw");
        assertThat(report.results().get(15).target()).isEqualTo("framework");
        assertThat(report.results().subList(0, 7)).extracting(r -> r.op().label())
                .containsExactly("set", "get", "has_key", "set_many", "get_many", "add", "delete");
        assertThat(report.results().get(14).op()).isEqualTo(BenchOp.INCR);
        assertThat(report.results().get(14).size()).isNull();
        // both targets are cleared before either is populated, then every phase alternates
        assertThat(log).containsExactly("raw clear", "framework clear", "raw clear", "framework clear");
        assertThat(phases.subList(0, 6)).containsExactly("raw small clear", "framework small clear",
                "raw small populate", "framework small populate", "raw small set", "framework small set");
        // the run removed what it wrote: the working sets of both sizes and the counter
        assertThat(raw.map).isEmpty();
        assertThat(framework.map).isEmpty();
        assertThat(phases.subList(phases.size() - 2, phases.size())).containsExactly("raw clean up", "framework clean up");
    }

    @Test
    void aWrongValueFailsThatTargetAndTheOthersGoOn() {
        List<String> log = new ArrayList<>();
        MapTarget good = new MapTarget("good", log);
        MapTarget corrupting = new MapTarget("corrupting", log) {
            @Override
            public Object get(String key) {
                return key.endsWith("000500") ? "not the value" : super.get(key);
            }
        };
        BenchReport report = new BenchRunner(quick(), BenchListener.NONE).run(List.of(corrupting, good));

        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("corrupting");
            assertThat(f.phase()).isEqualTo("small get");
            assertThat(f.message()).contains("bench:s:000500", "a String of 13 chars");
        });
        assertThat(report.results()).filteredOn(r -> r.target().equals("corrupting"))
                .extracting(BenchResult::op).containsExactly(BenchOp.SET);
        assertThat(report.results()).filteredOn(r -> r.target().equals("good")).hasSize(15);
    }

    @Test
    void aFailedWriteOrAnExceptionFailsTheTarget() {
        MapTarget refusing = new MapTarget("refusing", new ArrayList<>()) {
            @Override
            public boolean add(String key, Object value) {
                return false;
            }
        };
        MapTarget throwing = new MapTarget("throwing", new ArrayList<>()) {
            @Override
            public long incr(String key, long delta) {
                throw new IllegalStateException("server went away");
            }
        };
        BenchReport report = new BenchRunner(quick(), BenchListener.NONE).run(List.of(refusing, throwing));
        assertThat(report.failures()).extracting(BenchFailure::message).containsExactly(
                "refusing small add+delete: add of new key bench:s:new:00000000 did not store it",
                "throwing incr: java.lang.IllegalStateException: server went away");
    }

    @Test
    void onlyTheChosenOpsAndSizesRun() {
        BenchSettings settings = new BenchSettings(0.01, 0, EnumSet.of(BenchOp.DELETE, BenchOp.GET), List.of(BenchSize.LARGE), 1000);
        BenchReport report = new BenchRunner(settings, BenchListener.NONE).run(List.of(new MapTarget("m", new ArrayList<>())));
        assertThat(report.results()).extracting(r -> r.sizeLabel() + " " + r.op().label())
                .containsExactly("large get", "large delete");
        assertThat(report.results()).allSatisfy(r -> assertThat(r.stats().n()).isBetween(10L, 1000L));
    }

    /** A MapTarget that logs which phase each of its calls belongs to, by the operation it makes. */
    static class TracingTarget extends MapTarget {
        final List<String> trace;

        TracingTarget(String label, List<String> trace) {
            super(label, new ArrayList<>());
            this.trace = trace;
        }

        private void note(String op) {
            if (trace.isEmpty() || !trace.get(trace.size() - 1).equals(label + " " + op)) {
                trace.add(label + " " + op);
            }
        }

        @Override public Object get(String key) { note("get"); return super.get(key); }
        @Override public long incr(String key, long delta) { note("incr"); return super.incr(key, delta); }
        @Override public boolean delete(String key) { note("delete"); return super.delete(key); }
    }

    @Test
    void roundsCutEachTimedLoopIntoSlicesTakenInTurnsForwardThenBackward() {
        List<String> trace = new ArrayList<>();
        TracingTarget a = new TracingTarget("a", trace);
        TracingTarget b = new TracingTarget("b", trace);
        List<String> phases = new ArrayList<>();
        BenchSettings settings = new BenchSettings(0.04, 0.002, EnumSet.of(BenchOp.GET, BenchOp.ADD, BenchOp.DELETE, BenchOp.INCR),
                List.of(BenchSize.SMALL), BenchSettings.DEFAULT_MAX_CALLS, 4);
        BenchReport report = new BenchRunner(settings, (step, steps, target, what) -> phases.add(step + "/" + steps + " "
                + target + " " + what)).run(List.of(a, b));

        assertThat(report.failures()).isEmpty();
        assertThat(report.results()).extracting(r -> r.target() + " " + r.sizeLabel() + " " + r.op().label()).containsExactly(
                "a small get", "a small add", "a small delete", "a - incr",
                "b small get", "b small add", "b small delete", "b - incr");
        assertThat(report.results()).allSatisfy(r -> assertThat(r.stats().n()).isGreaterThanOrEqualTo(10));
        // runs of calls (a warm-up and its first slice are one run): a, b | b, a | a, b | b, a, so
        // ABBA shows as a b a b a where plain turns would be a b a b a b a b
        List<String> gets = trace.stream().filter(t -> t.endsWith(" get")).toList();
        assertThat(gets).containsExactly("a get", "b get", "a get", "b get", "a get");
        List<String> incrs = trace.stream().filter(t -> t.endsWith(" incr")).toList();
        assertThat(incrs).containsExactly("a incr", "b incr", "a incr", "b incr", "a incr");
        // nothing left behind: add+delete removed its keys, the clean-up the working set and counter
        assertThat(a.map).isEmpty();
        assertThat(report.results().get(1).stats().n()).isEqualTo(report.results().get(2).stats().n());
        // progress: one step per target and phase, as without rounds
        assertThat(phases).containsExactly("1/12 a small clear", "2/12 b small clear", "3/12 a small populate",
                "4/12 b small populate", "5/12 a small get", "6/12 b small get", "7/12 a small add+delete",
                "8/12 b small add+delete", "9/12 a incr", "10/12 b incr", "11/12 a clean up", "12/12 b clean up");
    }

    @Test
    void aTargetThatFailsInASliceRunsNoFurtherSlice() {
        List<String> trace = new ArrayList<>();
        TracingTarget good = new TracingTarget("good", trace);
        int[] gets = {0};
        TracingTarget failing = new TracingTarget("failing", trace) {
            @Override
            public Object get(String key) {
                if (++gets[0] > 2000) {
                    throw new IllegalStateException("gone");
                }
                return super.get(key);
            }
        };
        BenchSettings settings = new BenchSettings(0.04, 0.001, EnumSet.of(BenchOp.GET), List.of(BenchSize.SMALL), 1_000_000, 3);
        BenchReport report = new BenchRunner(settings, BenchListener.NONE).run(List.of(failing, good));
        assertThat(report.failures()).extracting(BenchFailure::message)
                .containsExactly("failing small get: java.lang.IllegalStateException: gone");
        assertThat(report.results()).extracting(r -> r.target() + " " + r.op().label()).containsExactly("good get");
    }

    @Test
    void roundsMustBeSensible() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BenchSettings(1, 0, EnumSet.of(BenchOp.GET),
                List.of(BenchSize.SMALL), 100, 0)).hasMessageContaining("--rounds must be 1 to 100");
    }
}
