package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The frequency sketch, its candidate set and the tracker: skewed streams, bounded memory, aging. */
class HotTrackerTest {

    /** Reads hot key i (i in 0..9) 200 * 1.5^(9 - i) times, shuffled into 100,000 reads of 50,000 cold keys. */
    private static List<String> skewedStream(long seed) {
        List<String> stream = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < (int) (200 * Math.pow(1.5, 9 - i)); j++) {
                stream.add("hot" + i);
            }
        }
        Random r = new Random(seed);
        for (int j = 0; j < 100_000; j++) {
            stream.add("cold" + r.nextInt(50_000));
        }
        java.util.Collections.shuffle(stream, r);
        return stream;
    }

    @Test
    void theTopKeysOfASkewedStreamAreFoundInOrder() {
        HotTracker t = new HotTracker();
        for (String k : skewedStream(1)) {
            t.recordRead("user:1", k);
        }
        assertThat(t.hottestKeys("user:1", 10))
                .containsExactlyInAnyOrder("hot0", "hot1", "hot2", "hot3", "hot4", "hot5", "hot6", "hot7", "hot8", "hot9");
        assertThat(t.hottestKeys("user:1", 5)).containsExactly("hot0", "hot1", "hot2", "hot3", "hot4");
        assertThat(t.hottestKeys("user:1", 3)).containsExactly("hot0", "hot1", "hot2");
        assertThat(t.hottestKeys("user:2", 3)).isEmpty();
        assertThat(t.frequency("user:1", "hot0")).isGreaterThan(t.frequency("user:1", "hot9"));
    }

    @Test
    void hotNamespacesAreCountedOverAllTheirKeys() {
        HotTracker t = new HotTracker();
        Random r = new Random(2);
        for (int j = 0; j < 60_000; j++) {
            int u = r.nextInt(10) < 6 ? r.nextInt(3) : 3 + r.nextInt(5_000); // users 0..2 make 60% of the reads
            t.recordRead("user:" + u, "page:" + r.nextInt(100));
        }
        assertThat(t.hottestNamespaces(3)).containsExactlyInAnyOrder("user:0", "user:1", "user:2");
        assertThat(t.hottestNamespaces(0)).isEmpty();
        assertThatThrownBy(() -> t.hottestNamespaces(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfKeys() {
        HotTracker t = new HotTracker(1024, 10_240, 16, 32);
        int counters = t.counters();
        assertThat(counters).isEqualTo(2 * FrequencySketch.DEPTH * 1024);
        for (int j = 0; j < 300_000; j++) {
            t.recordRead("ns" + (j % 1000), "key" + j);
        }
        assertThat(t.counters()).isEqualTo(counters);
        assertThat(t.hottestNamespaces(Integer.MAX_VALUE)).hasSizeLessThanOrEqualTo(16);
        int keys = 0;
        for (int n = 0; n < 1000; n++) {
            keys += t.hottestKeys("ns" + n, Integer.MAX_VALUE).size();
        }
        assertThat(keys).isLessThanOrEqualTo(32);
    }

    @Test
    void agingHalvesCountsSoTheRecentlyFrequentWin() {
        List<Integer> aged = new ArrayList<>();
        FrequencySketch s = new FrequencySketch(256, 1000, () -> aged.add(1));
        for (int j = 0; j < 500; j++) {
            s.increment("old".hashCode());
        }
        assertThat(s.estimate("old".hashCode())).isBetween(500, 520);
        for (int j = 0; j < 500; j++) {
            s.increment(("other" + j).hashCode());
        }
        assertThat(s.ages()).isEqualTo(1);
        assertThat(aged).hasSize(1);
        assertThat(s.estimate("old".hashCode())).isBetween(250, 260);

        HotTracker t = new HotTracker(256, 1000, 4, 4);
        for (int j = 0; j < 2000; j++) {
            t.recordRead("n", "old");
        }
        for (int j = 0; j < 20_000; j++) {
            t.recordRead("n", j % 2 == 0 ? "new" : "noise" + j);
        }
        assertThat(t.hottestKeys("n", 1)).containsExactly("new");
        assertThat(t.frequency("n", "old")).isLessThan(20);
    }

    @Test
    void estimatesNeverUndercount() {
        FrequencySketch s = new FrequencySketch(64, Integer.MAX_VALUE, null);
        Random r = new Random(3);
        int[] truth = new int[500];
        for (int j = 0; j < 20_000; j++) {
            int k = r.nextInt(500);
            truth[k]++;
            s.increment(Integer.hashCode(k * 7919));
        }
        for (int k = 0; k < 500; k++) {
            assertThat(s.estimate(Integer.hashCode(k * 7919))).isGreaterThanOrEqualTo(truth[k]);
        }
    }

    @Test
    void concurrentReadersFindTheHotKeys() throws Exception {
        HotTracker t = new HotTracker();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = w;
                done.add(pool.submit(() -> {
                    for (String k : skewedStream(seed)) {
                        t.recordRead("ns", k);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(t.hottestKeys("ns", 5)).containsExactlyInAnyOrder("hot0", "hot1", "hot2", "hot3", "hot4");
    }

    @Test
    void candidatesAdmitOnlyAboveTheLeastMember() {
        int[] est = new int[10];
        TopCandidates<Integer> top = new TopCandidates<>(3, k -> est[k]);
        est[0] = 5;
        est[1] = 7;
        est[2] = 9;
        top.offerNow(0, 5);
        top.offerNow(1, 7);
        top.offerNow(2, 9);
        assertThat(top.admits(5)).isFalse();
        assertThat(top.admits(6)).isTrue();
        est[3] = 6;
        top.offerNow(3, 6);
        assertThat(top.top(10, k -> true)).containsExactly(2, 1, 3);
        top.aged();
        assertThat(top.admits(4)).isTrue();
        assertThat(top.size()).isEqualTo(3);
    }
}
