package dev.cachet.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InvalidationTest {
    @Test
    void encodeAndDecodeRoundTripAnyTarget() {
        Invalidation m = new Invalidation(Invalidation.Kind.KEY, "1:user|7\n\0ns\0é", "abc123", 42, 1_700_000_000_000L);
        assertThat(Invalidation.decode(m.encode())).isEqualTo(m);
        Invalidation h = new Invalidation(Invalidation.Kind.HEARTBEAT, "", "e", 1, 0);
        assertThat(h.encode()).isEqualTo("h|e|1|0|");
        assertThat(Invalidation.decode(h.encode())).isEqualTo(h);
    }

    @Test
    void garbageIsRefusedWithAMessageNamingIt() {
        assertThatThrownBy(() -> Invalidation.decode("hello")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hello'").hasMessageContaining("kind|epoch|sequence");
        assertThatThrownBy(() -> Invalidation.decode("k|e|x|0|t")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> Invalidation.decode("k|e|0|0|t")).hasMessageContaining("sequence must be positive");
        assertThatThrownBy(() -> Invalidation.decode("k|e-1|1|0|t")).hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> Invalidation.decode("z|e|1|0|t")).hasMessageContaining("kind one of");
    }

    @Test
    void aTargetTooLongForANotifyPayloadIsRefused() {
        Invalidation m = new Invalidation(Invalidation.Kind.KEY, "x".repeat(8000), "e", 1, 0);
        assertThatThrownBy(m::encode).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7900 bytes");
    }
}
