package dev.cachet.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * What the benchmark drives: the workload's operations over one store. The framework's own
 * runner is {@link CacheBenchTarget} over a {@link dev.cachet.Cache}; a raw baseline (a plain
 * client of the same server, without the framework) implements this interface too, and the
 * {@link BenchRunner} runs both interleaved in the same run, so their figures compare.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Values are what the workload writes: a {@code String} (small), a {@code List<String>}
 *       (large) or a {@code Long} (the counter). A read returns a value {@code equals} to the
 *       one written, or {@code null} on a miss (the workload never stores {@code null}).</li>
 *   <li>Writes last at least the whole run (the workload's timeout is 3600 s).</li>
 *   <li>Every method makes the call it names and nothing else: the runner times each call
 *       on its own, so work outside the store (encoding, copying) counts, while checks and
 *       key building happen outside the timed region.</li>
 *   <li>Failures throw; a target is used by one thread at a time.</li>
 * </ul>
 */
public interface BenchTarget extends AutoCloseable {
    /** How this target is named in reports (e.g. the location, or {@code raw memcached://...}). */
    String label();

    /** Removes every entry this target's keys could be in. */
    void clear();

    /** Stores {@code value} under {@code key}; true when stored. */
    boolean set(String key, Object value);

    /** The value under {@code key}, or {@code null} on a miss. */
    Object get(String key);

    /** True when {@code key} holds a value. */
    boolean hasKey(String key);

    /** Stores every entry of {@code values}; true when all were stored. */
    boolean setMany(Map<String, Object> values);

    /** The values of {@code keys}; misses are absent from the map. */
    Map<String, Object> getMany(List<String> keys);

    /** Stores {@code value} only if {@code key} holds nothing; true when this call stored it. */
    boolean add(String key, Object value);

    /** Removes {@code key}; true when a value was removed. */
    boolean delete(String key);

    /** Removes every key of {@code keys}; by default one {@link #delete} each. */
    default void deleteAll(List<String> keys) {
        for (String k : keys) {
            delete(k);
        }
    }

    /** Adds {@code delta} to the integer under {@code key} and returns the new value. */
    long incr(String key, long delta);

    /** Releases what the target holds. */
    @Override
    void close();
}
