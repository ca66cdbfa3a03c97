package dev.cachet.memcached.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which values a CAS loop reads through {@code ma D0} (numbers memcached's {@code ma} takes
 * reliably) and which through a plain {@code mg} (anything {@code ma} cannot change).
 */
class ArithmeticTakesTest {
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "5|true", "\" 5 \"|true", "+5|true", "\"97 \"|true", "0|true", "9223372036854775807|true",
        "9223372036854775808|false", "18446744073709551615|false", "-5|false", "abc|false", "\"\"|false",
        "1.5|false", "5x|false", "+|false", "\"5 5\"|false"})
    void takesPlainDecimalsUpToLongMax(String value, boolean takes) {
        assertThat(MemcachedStore.arithmeticTakes(value.getBytes(StandardCharsets.US_ASCII))).isEqualTo(takes);
    }
}
