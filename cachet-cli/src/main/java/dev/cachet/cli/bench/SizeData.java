package dev.cachet.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys, batches and value of one size, built once before any timed loop. */
final class SizeData {
    final BenchSize size;
    final Object value;
    final String[] keys = new String[BenchWorkload.WORKING_SET];
    final List<List<String>> batches = new ArrayList<>();
    final List<Map<String, Object>> batchMaps = new ArrayList<>();
    /** Per target, the next {@code j} of the add/delete keys (each target counts from 0). */
    final Map<BenchTarget, long[]> nextNewKey = new IdentityHashMap<>();

    SizeData(BenchSize size) {
        this.size = size;
        this.value = size.value();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = BenchWorkload.key(size, i);
        }
        for (int b = 0; b < BenchWorkload.BATCHES; b++) {
            List<String> batch = BenchWorkload.batch(size, b);
            batches.add(batch);
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : batch) {
                m.put(k, value);
            }
            batchMaps.add(Collections.unmodifiableMap(m));
        }
    }
}
