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

    /** The batch sizes of six DELETEs in a row from {@code size}, each taking {@code tookNanos}. */
    private static List<Integer> sizesAfter(int size, long tookNanos) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            size = Maintenance.nextBatch(size, tookNanos);
            sizes.add(size);
        }
        return sizes;
    }

    @Test
    void slowDeletesHalveTheBatchDownToTheFloor() {
        assertThat(sizesAfter(Sql.DELETE_BATCH, ms(20)))
                .containsExactly(500, 250, 125, 62, Maintenance.MIN_BATCH, Maintenance.MIN_BATCH);
    }

    @Test
    void fastDeletesDoubleItBackUpToTheCap() {
        assertThat(sizesAfter(Maintenance.MIN_BATCH, ms(0.2)))
                .containsExactly(100, 200, 400, 800, Sql.DELETE_BATCH, Sql.DELETE_BATCH);
    }

    @Test
    void aDeleteWithinTheBandKeepsTheBatch() {
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS / 2.0))).isEqualTo(300);
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS))).isEqualTo(300);
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS) + 1)).isEqualTo(150);
        assertThat(Maintenance.nextBatch(300, ms(Maintenance.SLOW_DELETE_MILLIS / 4.0) - 1)).isEqualTo(600);
    }
}
