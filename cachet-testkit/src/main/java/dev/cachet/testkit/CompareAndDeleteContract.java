package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.LeaseRead;
import dev.cachet.spi.Leases;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Store#deleteIfEquals}: it removes a key only while it holds a readable
 * entry of exactly the expected bytes, as one atomic step, so that releasing a lease taken with
 * {@link PutMode#ADD} never removes a lease another caller took after this one's expired.
 *
 * <p>A link of the {@linkplain StoreContractTest Store contract suite}'s chain: its tests use
 * only the {@link StoreContractFixture}.
 */
public abstract class CompareAndDeleteContract extends StoreContractFixture {
    /**
     * The interface's default reads and then deletes, two steps a lease taken in between can
     * fall into: a backend replaces it with one atomic step. (The tests below check what it
     * does; a race at a lease's deadline is too narrow for them to catch.)
     */
    @Test
    void theStoreReplacesTheReadThenDeleteDefault() throws Exception {
        Class<?> declaring = store.getClass().getMethod("deleteIfEquals", String.class, byte[].class).getDeclaringClass();
        assertThat(declaring).as("the class that implements deleteIfEquals").isNotEqualTo(Store.class);
    }

    @Test
    void deleteIfEqualsRemovesAnEntryOfTheExpectedBytes() {
        byte[] token = {0, 1, 2, (byte) 0xff, (byte) 0x80, 'x'};
        assertThat(store.put(k("lease"), token, farDeadline(), PutMode.ADD)).isTrue();
        assertThat(store.deleteIfEquals(k("lease"), token.clone())).isTrue();
        assertThat(store.get(k("lease"))).isNull();
        assertThat(store.has(k("lease"))).isFalse();
        assertThat(store.deleteIfEquals(k("lease"), token)).as("already removed").isFalse();
        assertThat(store.put(k("lease"), b("next"), farDeadline(), PutMode.ADD)).as("the key is free again").isTrue();
        assertThat(s(store.get(k("lease")))).isEqualTo("next");
    }

    @Test
    void deleteIfEqualsLeavesAnEntryOfOtherBytes() {
        long d = farDeadline();
        store.put(k("kept"), b("token-A"), d, PutMode.SET);
        assertThat(store.deleteIfEquals(k("kept"), b("token-B"))).isFalse();
        assertThat(store.deleteIfEquals(k("kept"), b("token-"))).as("a prefix of the value").isFalse();
        assertThat(store.deleteIfEquals(k("kept"), b("token-AA"))).as("the value and more").isFalse();
        assertThat(store.deleteIfEquals(k("kept"), b("TOKEN-A"))).as("another case").isFalse();
        assertThat(s(store.get(k("kept")))).isEqualTo("token-A");
        assertThat(store.touchAndLength(k("kept"), d)).as("still readable, its value whole").isEqualTo(7);
    }

    @Test
    void deleteIfEqualsOfAnAbsentKeyIsFalse() {
        assertThat(store.deleteIfEquals(k("absent"), b("anything"))).isFalse();
        assertThat(store.get(k("absent"))).isNull();
        assertThat(store.put(k("absent"), b("v"), farDeadline(), PutMode.ADD)).as("nothing was created").isTrue();
    }

    @Test
    void deleteIfEqualsOfAnExpiredEntryIsFalse() throws Exception {
        long deadline = shortDeadline();
        store.put(k("expired"), b("token"), deadline, PutMode.SET);
        store.put(k("control"), b("token"), farDeadline(), PutMode.SET);
        assertThat(s(store.get(k("expired")))).isEqualTo("token");
        passDeadline(deadline);
        assertThat(store.deleteIfEquals(k("expired"), b("token"))).as("an expired entry is not readable").isFalse();
        assertThat(store.get(k("expired"))).isNull();
        assertThat(store.deleteIfEquals(k("control"), b("token"))).as("the same bytes, not expired").isTrue();
        assertThat(store.get(k("control"))).isNull();
    }

    /**
     * A holds the lease; it expires (really, at its deadline, and then by a delete standing in
     * for any other way it can go); B takes it. A's late release must leave B's lease alone.
     */
    @Test
    void aLateReleaseLeavesTheLeaseTheNextHolderTook() throws Exception {
        byte[] a = b("holder-A");
        byte[] bb = b("holder-B");
        long deadline = shortDeadline();
        assertThat(store.put(k("expiring"), a, deadline, PutMode.ADD)).isTrue();
        assertThat(store.put(k("expiring"), bb, farDeadline(), PutMode.ADD)).as("held by A").isFalse();
        passDeadline(deadline);
        assertThat(store.put(k("expiring"), bb, farDeadline(), PutMode.ADD)).as("A's lease expired").isTrue();
        assertThat(store.deleteIfEquals(k("expiring"), a)).as("A's late release").isFalse();
        assertThat(s(store.get(k("expiring")))).isEqualTo("holder-B");
        assertThat(store.deleteIfEquals(k("expiring"), bb)).as("B's release").isTrue();
        assertThat(store.get(k("expiring"))).isNull();

        assertThat(store.put(k("deleted"), a, farDeadline(), PutMode.ADD)).isTrue();
        assertThat(store.delete(k("deleted"))).isTrue();
        assertThat(store.put(k("deleted"), bb, farDeadline(), PutMode.ADD)).isTrue();
        assertThat(store.deleteIfEquals(k("deleted"), a)).as("A's late release").isFalse();
        assertThat(s(store.get(k("deleted")))).isEqualTo("holder-B");
    }

    /**
     * Eight threads take one lease in turns ({@code ADD} with their own token) and release it
     * ({@code deleteIfEquals} with that token); losers try to release it with their own token
     * too. At most one holds it at a time, and every holder's release removes its own lease:
     * a release that removed another's lease would make that holder's release fail.
     */
    @Test
    void concurrentHoldersEachReleaseOnlyTheirOwnLease() throws Exception {
        int threads = 8;
        int attempts = 40;
        String key = k("contended");
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte[] mine = b("token-" + t);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attempts; i++) {
                        if (store.put(key, mine, farDeadline(), PutMode.ADD)) {
                            taken.incrementAndGet();
                            assertThat(holders.incrementAndGet()).as("holders at once").isEqualTo(1);
                            assertThat(store.get(key)).as("the holder's token").isEqualTo(mine);
                            holders.decrementAndGet();
                            assertThat(store.deleteIfEquals(key, mine)).as("the holder's release").isTrue();
                            released.incrementAndGet();
                        } else {
                            assertThat(store.deleteIfEquals(key, mine)).as("a loser's release").isFalse();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(taken.get()).isPositive();
        assertThat(released.get()).isEqualTo(taken.get());
        assertThat(store.get(key)).as("every lease released").isNull();
    }

    /** Where the store has leases: a lease's placeholder (empty) is not a readable entry. */
    @Test
    void aLeasePlaceholderIsNotAReadableEntry() {
        Optional<Leases> leases = store.leases();
        org.junit.jupiter.api.Assumptions.assumeTrue(leases.isPresent(), "this backend has no leases");
        LeaseRead lease = leases.get().readOrLease(k("placeholder"), farDeadline());
        assertThat(lease.won()).isTrue();
        assertThat(store.deleteIfEquals(k("placeholder"), new byte[0])).isFalse();
        assertThat(leases.get().fillLease(k("placeholder"), b("filled"), farDeadline(), lease.cas()))
                .as("the placeholder is still there, its CAS unchanged").isTrue();
        assertThat(s(store.get(k("placeholder")))).isEqualTo("filled");
    }
}
