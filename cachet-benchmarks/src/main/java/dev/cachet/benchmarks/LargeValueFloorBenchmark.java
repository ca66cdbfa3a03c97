package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a large value (the workload's List of 1000 100-character Strings) costs at least, beside
 * what cachet pays for it: the floors the JDK sets for turning 1000 Strings into bytes and back,
 * and the price of the compressibility check on a large write.
 *
 * <ul>
 *   <li>{@code stringsUtf8}: each String's {@code getBytes(UTF_8)} copied into one buffer (what a
 *       codec that writes UTF-8 must do with public APIs);</li>
 *   <li>{@code stringsTruncating}: the deprecated {@code getBytes(int, int, byte[], int)}, which
 *       copies straight into the buffer but drops each char's high byte (unusable for arbitrary
 *       Strings: for information only);</li>
 *   <li>{@code handBack}: copying the 100 KB buffer into an exact-size array;</li>
 *   <li>{@code newStrings}: 1000 {@code new String(bytes, off, 100, UTF_8)} into an ArrayList;</li>
 *   <li>{@code setCompressed} / {@code setUncompressed}: a {@code set} of the value on
 *       {@code memory:?store_by_value=true&max_bytes=1g} (a byte bound: the entry's bytes are
 *       kept) with {@code compression=deflate} and {@code none}: the difference is the
 *       compressibility check (the value is random text, stored as is);</li>
 *   <li>{@code setCopied} / {@code getCopied}: a {@code set} and a {@code get} on plain
 *       {@code memory:?store_by_value=true}, which copies the value instead of encoding it.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class LargeValueFloorBenchmark {
    List<String> value;
    byte[] buffer;
    int written;
    Cache compressed;
    Cache uncompressed;
    Cache copied;

    @Setup(Level.Trial)
    public void setUp() {
        value = Workload.largeValue();
        buffer = new byte[value.size() * 101];
        written = stringsUtf8();
        compressed = Caches.open("memory:?store_by_value=true&max_bytes=1g&compression=deflate");
        uncompressed = Caches.open("memory:?store_by_value=true&max_bytes=1g&compression=none");
        copied = Caches.open("memory:?store_by_value=true");
        copied.set("large", value);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compressed.close();
        uncompressed.close();
        copied.close();
    }

    @Benchmark
    public int stringsUtf8() {
        byte[] out = buffer;
        int pos = 0;
        for (String s : value) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out[pos++] = (byte) b.length;
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }
        return pos;
    }

    @Benchmark
    @SuppressWarnings("deprecation")
    public int stringsTruncating() {
        byte[] out = buffer;
        int pos = 0;
        for (String s : value) {
            int n = s.length();
            out[pos++] = (byte) n;
            s.getBytes(0, n, out, pos);
            pos += n;
        }
        return pos;
    }

    @Benchmark
    public byte[] handBack() {
        return Arrays.copyOf(buffer, written);
    }

    @Benchmark
    public List<String> newStrings() {
        List<String> out = new ArrayList<>(value.size());
        for (int pos = 0; pos < written; pos += 101) {
            out.add(new String(buffer, pos + 1, buffer[pos], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Benchmark
    public void setCompressed() {
        compressed.set("large", value);
    }

    @Benchmark
    public void setUncompressed() {
        uncompressed.set("large", value);
    }

    @Benchmark
    public void setCopied() {
        copied.set("large", value);
    }

    @Benchmark
    public Object getCopied() {
        return copied.get("large");
    }
}
