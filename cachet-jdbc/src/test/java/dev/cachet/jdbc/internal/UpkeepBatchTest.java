package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How background upkeep sizes its DELETEs from the time the last one took. */
class UpkeepBatchTest {
    private static long ms(double millis) {
        return (long) (millis * TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void slowDeletesHalveTheBatchDownToTheFloor() {
        List<Integer> sizes = new ArrayList<>();
        int size = Sql.DELETE_BATCH;
        for (int i = 0; i < 6; i++) {
            size = Maintenance.nextBatch(size, ms(20));
            sizes.add(size);
        }
        assertThat(sizes).containsExactly(500, 250, 125, 62, Maintenance.MIN_BATCH, Maintenance.MIN_BATCH);
    }

    @Test
    void fastDeletesDoubleItBackUpToTheCap() {
        List<Integer> sizes = new ArrayList<>();
        int size = Maintenance.MIN_BATCH;
        for (int i = 0; i < 6; i++) {
            size = Maintenance.nextBatch(size, ms(0.2));
            sizes.add(size);
        }
        assertThat(sizes).containsExactly(100, 200, 400, 800, Sql.DELETE_BATCH, Sql.DELETE_BATCH);
    }

    @Test
    void aDeleteWithinTheBandKeepsTheBatch() {
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS / 2.0))).isEqualTo(300);
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS))).isEqualTo(300);
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS) + 1)).isEqualTo(150);
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS / 4.0) - 1)).isEqualTo(600);
    }
}
