package dev.cachet.memcached.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.Store;
import org.junit.jupiter.api.Test;

/** The deadline kept in 32-bit flags comes back exactly from the flags and memcached's remaining TTL. */
class DeadlinesTest {
    private static final long NOW = 1_790_000_000_123L;

    /** What a read at {@code readAt} sees for an entry written at {@code NOW} with {@code deadline}. */
    private static long roundTrip(long deadline, long readAt, long serverClockSkewMillis) {
        long ttl = Deadlines.ttl(deadline, NOW, NOW);
        long serverExpiry = ttl > Deadlines.THIRTY_DAYS ? ttl * 1000 : NOW + ttl * 1000;
        long remaining = Math.max(0, (serverExpiry - readAt + serverClockSkewMillis) / 1000);
        return Deadlines.deadline(Deadlines.flags(deadline), remaining, readAt);
    }

    @Test
    void theDeadlineComesBackToTheMillisecond() {
        for (long in : new long[] {1, 999, 1000, 1001, 1500, 60_000, 86_400_000L, 29L * 86_400_000, 31L * 86_400_000,
                60L * 86_400_000, 365L * 86_400_000}) {
            long deadline = NOW + in;
            for (long readAfter : new long[] {0, in / 2, Math.max(0, in - 1)}) {
                for (long skew : new long[] {-1500, 0, 1500}) {
                    assertThat(roundTrip(deadline, NOW + readAfter, skew)).as("deadline in %d ms, read after %d, skew %d",
                            in, readAfter, skew).isEqualTo(deadline);
                }
            }
        }
    }

    @Test
    void ttlsAreOneSecondLongRelativeUpTo30DaysAbsoluteBeyondAndZeroForNever() {
        assertThat(Deadlines.ttl(NOW + 1, NOW, NOW)).isEqualTo(2);
        assertThat(Deadlines.ttl(NOW + 1000, NOW, NOW)).isEqualTo(2);
        assertThat(Deadlines.ttl(NOW + 1001, NOW, NOW)).isEqualTo(3);
        assertThat(Deadlines.ttl(NOW + 30L * 86_400_000 - 2000, NOW, NOW)).isEqualTo(Deadlines.THIRTY_DAYS - 1);
        assertThat(Deadlines.ttl(NOW + 60L * 86_400_000, NOW, NOW)).isEqualTo(NOW / 1000 + 60L * 86_400 + 1);
        assertThat(Deadlines.ttl(Store.NEVER, NOW, NOW)).isZero();
        assertThat(Deadlines.ttl(NOW + 100L * 365 * 86_400_000, NOW, NOW)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Deadlines.deadline(0, -1, NOW)).isEqualTo(Store.NEVER);
    }
}
