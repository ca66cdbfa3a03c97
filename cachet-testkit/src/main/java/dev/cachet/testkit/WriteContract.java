package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Timeout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of the writes on one key besides {@code set}: {@code add} storing only where no
 * value is, {@code touch} changing only the expiry, and {@code delete} and {@code hasKey}.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class WriteContract extends ReadContract {

    // =====================================================================================
    // add
    // =====================================================================================

    @Test
    void addStoresWhenTheKeyIsAbsent() {
        requireStorage();
        assertThat(cache.add("key", "value")).isTrue();
        assertThat(cache.get("key")).isEqualTo("value");
    }

    @Test
    void addDoesNotReplaceAValue() {
        requireStorage();
        cache.set("key", "first");
        assertThat(cache.add("key", "second")).isFalse();
        assertThat(cache.get("key")).isEqualTo("first");
    }

    @Test
    void addAfterDeleteStores() {
        requireStorage();
        cache.add("key", "first");
        cache.delete("key");
        assertThat(cache.add("key", "second")).isTrue();
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void addOverAnExpiredKeyStores() {
        requireStorage();
        cache.set("key", "old", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.add("key", "blocked", shortTimeout())).isFalse();
        l.pass();
        assertThat(cache.add("key", "new")).isTrue();
        assertThat(cache.get("key")).isEqualTo("new");
    }

    @Test
    void addWithATimeoutExpires() {
        requireStorage();
        assertThat(cache.add("key", "value", shortTimeout())).isTrue();
        Lapse l = lapse(shortTimeout());
        assertThat(cache.get("key")).isEqualTo("value");
        l.pass();
        assertThat(cache.get("key")).isNull();
    }

    @Test
    void addWithZeroTimeoutStoresNothingButReportsFreeKeys() {
        assertThat(cache.add("free", "value", Timeout.ofSeconds(0))).isTrue();
        assertThat(cache.hasKey("free")).isFalse();
        if (storesValues()) {
            cache.set("taken", "kept");
            assertThat(cache.add("taken", "value", Timeout.ofSeconds(0))).isFalse();
            assertThat(cache.get("taken")).isEqualTo("kept");
        }
    }

    // =====================================================================================
    // touch
    // =====================================================================================

    @Test
    void touchReportsWhetherTheKeyHeldAValue() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.touch("key")).isTrue();
        assertThat(cache.touch("missing")).isFalse();
        assertThat(cache.hasKey("missing")).isFalse();
    }

    @Test
    void touchKeepsTheValue() {
        requireStorage();
        cache.set("key", List.of(1L, 2L));
        cache.touch("key", Timeout.FOREVER);
        assertThat(cache.get("key")).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void touchExtendsTheExpiry() {
        requireStorage();
        cache.set("forever", "value", shortTimeout());
        cache.set("default", "value", shortTimeout());
        cache.set("untouched", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.touch("forever", Timeout.FOREVER)).isTrue();
        assertThat(cache.touch("default")).isTrue();
        l.pass();
        assertThat(cache.get("forever")).isEqualTo("value");
        assertThat(cache.get("default")).isEqualTo("value");
        assertThat(cache.get("untouched")).isNull();
    }

    @Test
    void touchCanShortenTheExpiry() {
        requireStorage();
        cache.set("key", "value", Timeout.FOREVER);
        assertThat(cache.touch("key", Timeout.of(shortTimeout()))).isTrue();
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.hasKey("key")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -3600})
    void touchWithZeroOrNegativeTimeoutExpiresTheKey(long seconds) {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.touch("key", Timeout.ofSeconds(seconds))).isTrue();
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.touch("key", Timeout.ofSeconds(seconds))).isFalse();
    }

    @Test
    void touchOfAnExpiredKeyReportsFalse() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.touch("key", Timeout.FOREVER)).isFalse();
        assertThat(cache.hasKey("key")).isFalse();
    }

    // =====================================================================================
    // delete, hasKey
    // =====================================================================================

    @Test
    void deleteRemovesTheKeyAndReportsIt() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.delete("key")).isTrue();
        assertThat(cache.get("key")).isNull();
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void deleteOfAMissingKeyReportsFalse() {
        assertThat(cache.delete("missing")).isFalse();
        if (storesValues()) {
            cache.set("key", "value");
            cache.delete("key");
            assertThat(cache.delete("key")).isFalse();
        }
    }

    @Test
    void deleteOfAnExpiredKeyReportsFalse() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.delete("key")).isFalse();
    }

    @Test
    void deleteLeavesOtherKeys() {
        requireStorage();
        cache.set("a", 1);
        cache.set("b", 2);
        cache.delete("a");
        assertThat(cache.get("b")).isEqualTo(2L);
    }

    @Test
    void hasKeyTellsPresentFromAbsent() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.hasKey("key")).isTrue();
        assertThat(cache.hasKey("missing")).isFalse();
    }

    @Test
    void hasKeyIsFalseAfterExpiry() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.hasKey("key")).isTrue();
        l.pass();
        assertThat(cache.hasKey("key")).isFalse();
    }
}
