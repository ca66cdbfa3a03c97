package dev.cachet.benchmarks;

import dev.cachet.benchmarks.CodecCandidates.Candidate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Object codec candidates on encode + decode of three values: {@code large} (the seed workload's
 * List of 1000 strings of 100 characters), {@code record} (a record with a few fields and a List
 * of 10 records), {@code map} (a HashMap of 20 mixed entries). {@code compact} is cachet's default
 * (its own format, JDK serialization for the rest, behind an allow-list), {@code java} its JDK
 * serialization alone; {@code kryo} (Kryo 5) and {@code fory} (Apache Fory)
 * run with class registration required. Encoded sizes: {@code java -cp benchmarks.jar
 * dev.cachet.benchmarks.CodecCandidates}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class CodecBenchmark {
    @Param({"compact", "java", "kryo", "fory"})
    String codec;

    @Param({"large", "record", "map"})
    String data;

    Candidate candidate;
    Object value;
    byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        candidate = CodecCandidates.named(codec);
        value = CodecCandidates.data(data);
        encoded = candidate.encode(value);
        if (!value.equals(candidate.decode(encoded))) {
            throw new IllegalStateException(codec + " does not round-trip " + data);
        }
    }

    /** Encode then decode: what a set and a later get cost in the codec. */
    @Benchmark
    public Object roundTrip() throws Exception {
        return candidate.decode(candidate.encode(value));
    }

    @Benchmark
    public byte[] encode() {
        return candidate.encode(value);
    }

    @Benchmark
    public Object decode() throws Exception {
        return candidate.decode(encoded);
    }
}
