package dev.cachet.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one rule for a bulk call that failed: nothing, the first failure, or a partial failure. */
class BulkFailuresTest {
    @Test
    void noFailureThrowsNothing() {
        new BulkFailures().throwIfAny(true, f -> {
            throw new AssertionError("not called without failures");
        });
    }

    @Test
    void whenNothingWasDoneTheFirstFailureIsThrownAsItIs() {
        BulkFailures f = new BulkFailures();
        StoreException first = new StoreException("node a down");
        f.add(List.of("a", "b"), first);
        f.add(List.of("c"), new StoreException("node b down"));
        assertThat(catchThrowable(() -> f.throwIfAny(true, x -> PartialFailureException.ofPutMany(x.keys(), "m", x.first()))))
                .isSameAs(first);
    }

    @Test
    void otherwiseThePartialFailureHoldsTheKeysInOrderAndTheFirstCause() {
        BulkFailures f = new BulkFailures();
        StoreException first = new StoreException("node a down");
        f.add(List.of("a", "b"), first);
        f.add(List.of("c", "a"), new StoreException("node b down"));
        Throwable t = catchThrowable(() -> f.throwIfAny(false,
                x -> PartialFailureException.ofGetMany(Map.of("d", new byte[] {1}), x.keys(), x.first().getMessage(), x.first())));
        assertThat(t).isInstanceOf(PartialFailureException.class).hasCause(first)
                .hasMessage("node a down (3 keys failed)");
        PartialFailureException p = (PartialFailureException) t;
        assertThat(p.failedKeys()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(p.found()).containsOnlyKeys("d");
        assertThat(f.keys()).containsExactly("a", "b", "c");
    }
}
