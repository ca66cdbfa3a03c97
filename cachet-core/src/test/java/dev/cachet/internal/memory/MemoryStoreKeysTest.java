package dev.cachet.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.testkit.TestClock;
import org.junit.jupiter.api.Test;

/** The by-value memory store lists the live keys a scope owns (cachet-jcache iterates with it). */
class MemoryStoreKeysTest {
    private final TestClock clock = new TestClock();

    @Test
    void listsTheLiveKeysOfItsScopeOnly() {
        Store store = MemoryStores.byValue(clock, 1000, 0, 1 << 20);
        byte[] v = {1};
        store.put("a:1:x", v, Store.NEVER, PutMode.SET);
        store.put("a:1:y", v, clock.millis() + 100, PutMode.SET);
        store.put("b:1:z", v, Store.NEVER, PutMode.SET);
        store.put("a:1:gone", v, Store.NEVER, PutMode.SET);
        store.delete("a:1:gone");

        assertThat(store.keys(KeyScope.ofPrefix("a"), 100)).hasValueSatisfying(
                keys -> assertThat(keys).containsExactlyInAnyOrder("a:1:x", "a:1:y"));
        assertThat(store.keys(KeyScope.everything(), 100)).hasValueSatisfying(
                keys -> assertThat(keys).containsExactlyInAnyOrder("a:1:x", "a:1:y", "b:1:z"));
        assertThat(store.keys(KeyScope.everything(), 2)).hasValueSatisfying(keys -> assertThat(keys).hasSize(2));

        clock.advanceMillis(100); // a:1:y reaches its deadline
        assertThat(store.keys(KeyScope.ofPrefix("a"), 100)).hasValueSatisfying(
                keys -> assertThat(keys).containsExactly("a:1:x"));
        assertThatThrownBy(() -> store.keys(KeyScope.everything(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
