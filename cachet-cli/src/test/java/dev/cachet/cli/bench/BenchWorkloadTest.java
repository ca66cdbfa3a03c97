package dev.cachet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchWorkloadTest {
    @Test
    void genMatchesTheWorkloadDocument() {
        String small = BenchWorkload.gen(1, 100);
        assertThat(small).startsWith("bgpYygjE1M").hasSize(100);
        assertThat(BenchWorkload.smallValue()).isEqualTo(small);
        assertThat(small.chars()).allMatch(c -> BenchWorkload.ALPHABET.indexOf(c) >= 0);
    }

    @Test
    void genIsTheUnsigned64BitLcg() {
        // x1 = 1 * a + c (mod 2^64); its top 6 bits pick the first character
        long x = 6364136223846793005L + 1442695040888963407L;
        assertThat(BenchWorkload.gen(1, 1)).isEqualTo(String.valueOf(BenchWorkload.ALPHABET.charAt((int) (x >>> 58))));
        assertThat(BenchWorkload.gen(7, 0)).isEmpty();
        assertThat(BenchWorkload.gen(2, 100)).isNotEqualTo(BenchWorkload.gen(1, 100));
    }

    @Test
    void largeValueIsAThousandGeneratedStrings() {
        List<String> large = BenchWorkload.largeValue();
        assertThat(large).hasSize(1000);
        assertThat(large.get(0)).isEqualTo(BenchWorkload.gen(1000, 100));
        assertThat(large.get(999)).isEqualTo(BenchWorkload.gen(1999, 100));
        assertThat(large.stream().mapToInt(String::length).sum()).isEqualTo(100_000);
        assertThatThrownBy(() -> large.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keysFollowTheDocument() {
        assertThat(BenchWorkload.key(BenchSize.SMALL, 7)).isEqualTo("bench:s:000007");
        assertThat(BenchWorkload.key(BenchSize.LARGE, 999)).isEqualTo("bench:l:000999");
        assertThat(BenchWorkload.newKey(BenchSize.SMALL, 12)).isEqualTo("bench:s:new:00000012");
        assertThat(BenchWorkload.newKey(BenchSize.LARGE, 123_456_789)).isEqualTo("bench:l:new:123456789");
    }

    @Test
    void batchBHoldsKeysBTimes100PlusTModulo1000() {
        List<String> b3 = BenchWorkload.batch(BenchSize.SMALL, 3);
        assertThat(b3).hasSize(100).startsWith("bench:s:000300").endsWith("bench:s:000399");
        assertThat(BenchWorkload.batch(BenchSize.SMALL, 13)).isEqualTo(b3);
        assertThat(BenchWorkload.batch(BenchSize.LARGE, 9)).startsWith("bench:l:000900").endsWith("bench:l:000999");
    }

    @Test
    void opsAndSizesParseTheirCommandLineNames() {
        assertThat(BenchOp.parse("set_many")).isEqualTo(BenchOp.SET_MANY);
        assertThat(BenchOp.parse("HAS-KEY")).isEqualTo(BenchOp.HAS_KEY);
        assertThatThrownBy(() -> BenchOp.parse("fetch")).hasMessageContaining("set,get,has_key");
        assertThat(BenchSize.parse("Large")).isEqualTo(BenchSize.LARGE);
        assertThatThrownBy(() -> BenchSize.parse("huge")).hasMessageContaining("small, large");
    }
}
