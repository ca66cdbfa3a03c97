package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The memcached backend against what it runs on and what a user would pick instead, on one
 * memcached the benchmark starts itself on a free loopback port ({@code memcached} on the
 * PATH; or set {@code -Dcachet.memcached=host:port} to use a running one):
 *
 * <ul>
 *   <li>{@code cachetGet}/{@code cachetSet} against {@code rawGet}/{@code rawSet}: a blocking
 *       socket sending the very same meta command (same key bytes, with the namespace
 *       generation; same flags {@code v f t} / {@code T F}; the same entry bytes) and parsing
 *       the reply: the floor for one round trip, so the ratio is the client's own cost
 *       (goal: within 1.2x). One thread, microseconds per call.</li>
 *   <li>{@code cachetGetMany100} against {@code rawGetMany100}: 100 keys, one quiet pipelined
 *       batch ({@code mg ... q O<i>} then {@code mn}); {@code rawGetMany100Decoded} also decodes
 *       each value into a String and builds a map by key, as a user of a raw client would.
 *       {@link MemcachedGetManyInterleaved} compares them call by call.</li>
 *   <li>{@code *Throughput}: two threads sharing one client, cachet against spymemcached 2.12.3
 *       (its default ASCII protocol, a String value through its transcoder), calls per
 *       millisecond.</li>
 * </ul>
 * The working set is the seed workload's 1000 keys {@code bench:s:%06d} and its 100-character
 * value. Run all of it in one JMH run and compare ratios: the machines are shared and noisy.
 */
@State(Scope.Benchmark)
public class MemcachedBenchmark {
    static final int KEYS = 1000;

    Process server;
    String host;
    int port;
    Cache cachet;
    MemcachedClient spy;
    String[] keys;
    String value;
    /** The memcached keys cachet uses for {@link #keys} (generation and prefix in front). */
    String[] wireKeys;
    /** The entry bytes cachet stores for {@link #value}. */
    byte[] entry;
    List<List<String>> hundreds;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String given = System.getProperty("cachet.memcached");
        if (given != null) {
            host = given.substring(0, given.lastIndexOf(':'));
            port = Integer.parseInt(given.substring(given.lastIndexOf(':') + 1));
        } else {
            startServer();
        }
        keys = Workload.keys('s', KEYS);
        value = Workload.smallValue();
        cachet = Caches.open("memcached://" + host + ":" + port + "?key_prefix=jmh&timeout=3600");
        cachet.clear();
        for (String k : keys) {
            cachet.set(k, value);
        }
        spy = new MemcachedClient(new InetSocketAddress(host, port));
        for (String k : keys) {
            spy.set("spy:" + k, 3600, value).get();
        }
        hundreds = new ArrayList<>();
        for (int i = 0; i < KEYS; i += 100) {
            hundreds.add(Arrays.asList(keys).subList(i, i + 100));
        }
        try (Raw raw = new Raw(host, port)) {
            String gen = raw.line("ma @gen:jmh N0 J1 D0 v");
            String generation = Long.toUnsignedString(Long.parseUnsignedLong(gen.trim()), 36);
            wireKeys = new String[KEYS];
            for (int i = 0; i < KEYS; i++) {
                wireKeys[i] = generation + ".jmh:1:" + keys[i];
            }
            entry = raw.get(wireKeys[0]);
            if (entry == null) {
                throw new IllegalStateException("setup: cachet's entry for " + keys[0] + " is not under " + wireKeys[0]);
            }
        }
        if (!value.equals(cachet.get(keys[0])) || !value.equals(spy.get("spy:" + keys[0]))) {
            throw new IllegalStateException("setup: values do not read back");
        }
    }

    private void startServer() throws IOException, InterruptedException {
        host = "127.0.0.1";
        Launched l = launch(host);
        server = l.process();
        port = l.port();
    }

    /** A memcached this benchmark started, and its port. */
    record Launched(Process process, int port) {
    }

    /** Starts a memcached ({@code -t 1}, 256 MB) on a free port of {@code host} and waits until it accepts connections. */
    static Launched launch(String host) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(findMemcached(), "-l", host, "-p", Integer.toString(port), "-U", "0",
                "-m", "256", "-t", "1"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "root"));
        }
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(host, port)) {
                return new Launched(server, port);
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        server.destroy();
        throw new IllegalStateException("memcached did not start on " + host + ":" + port);
    }

    private static String findMemcached() {
        for (String dir : (System.getenv("PATH") + ":/usr/bin:/usr/local/bin").split(":")) {
            Path p = Path.of(dir, "memcached");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("memcached is not on the PATH (apt-get install -y memcached), or pass"
                + " -Dcachet.memcached=host:port");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        cachet.close();
        spy.shutdown();
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    /** Per thread: a key cursor and a raw socket. */
    @State(Scope.Thread)
    public static class PerThread {
        int index;
        Raw raw;

        @Setup(Level.Trial)
        public void open(MemcachedBenchmark b) {
            raw = new Raw(b.host, b.port);
        }

        @TearDown(Level.Trial)
        public void close() {
            raw.close();
        }

        int next() {
            int i = index;
            index = i + 1 == KEYS ? 0 : i + 1;
            return i;
        }
    }

    // ---- one thread: the client's cost over a raw round trip ----

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object cachetGet(PerThread t) {
        return cachet.get(keys[t.next()]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] rawGet(PerThread t) {
        return t.raw.get(wireKeys[t.next()]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean cachetSet(PerThread t) {
        return cachet.set(keys[t.next()], value);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean rawSet(PerThread t) {
        return t.raw.set(wireKeys[t.next()], entry, System.currentTimeMillis() + 3_600_000);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Map<String, Object> cachetGetMany100(PerThread t) {
        return cachet.getMany(hundreds.get(t.next() % hundreds.size()));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<byte[]> rawGetMany100(PerThread t) {
        int from = (t.next() % hundreds.size()) * 100;
        return t.raw.getMany(wireKeys, from, 100);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Map<String, String> rawGetMany100Decoded(PerThread t) {
        int from = (t.next() % hundreds.size()) * 100;
        return t.raw.getManyDecoded(keys, wireKeys, from, 100);
    }

    // ---- two threads, one client: cachet against spymemcached ----

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object cachetGetThroughput(PerThread t) {
        return cachet.get(keys[t.next()]);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object spyGetThroughput(PerThread t) {
        return spy.get("spy:" + keys[t.next()]);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public boolean cachetSetThroughput(PerThread t) {
        return cachet.set(keys[t.next()], value);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Boolean spySetThroughput(PerThread t) throws InterruptedException, ExecutionException {
        return spy.set("spy:" + keys[t.next()], 3600, value).get();
    }

    /**
     * The floor: one blocking socket, the meta command written by hand into a buffer, the reply
     * parsed just enough to return the value.
     */
    static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;
        private final byte[] line = new byte[1024];

        Raw(String host, int port) {
            try {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String line(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int n = readLine();
            String head = new String(line, 0, n, StandardCharsets.US_ASCII);
            if (head.startsWith("VA ")) {
                byte[] v = new byte[Integer.parseInt(head.substring(3).split(" ")[0])];
                in.readFully(v);
                in.skipBytes(2);
                return new String(v, StandardCharsets.US_ASCII);
            }
            return head;
        }

        /** {@code mg <key> v f t}: the value, or null on a miss. */
        byte[] get(String key) {
            try {
                writeAscii("mg ");
                writeAscii(key);
                writeAscii(" v f t\r\n");
                out.flush();
                return readValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code ms <key> <n> T<ttl> F<flags>} and the value. */
        boolean set(String key, byte[] value, long deadline) {
            try {
                writeAscii("ms ");
                writeAscii(key);
                writeAscii(" " + value.length + " T3601 F" + (deadline & 0xffffffffL) + "\r\n");
                out.write(value);
                writeAscii("\r\n");
                out.flush();
                int n = readLine();
                return n == 2 && line[0] == 'H' && line[1] == 'D';
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes and flushes a quiet pipelined batch: {@code count} gets of {@code keys[from...]}, opaque = index, then {@code mn}. */
        private void writeBatch(String[] keys, int from, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                writeAscii("mg ");
                writeAscii(keys[from + i]);
                writeAscii(" v f t q O" + i + "\r\n");
            }
            writeAscii("mn\r\n");
            out.flush();
        }

        /** A quiet pipelined batch of {@code count} gets and {@code mn}; returns the values read. */
        List<byte[]> getMany(String[] keys, int from, int count) {
            try {
                writeBatch(keys, from, count);
                List<byte[]> values = new ArrayList<>(count);
                while (true) {
                    int n = readLine();
                    if (n == 2 && line[0] == 'M' && line[1] == 'N') {
                        return values;
                    }
                    byte[] v = new byte[parseSize(n)];
                    in.readFully(v);
                    in.skipBytes(2);
                    values.add(v);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * {@link #getMany}, and what a user of a raw client needs on top: each value decoded into
         * a String (UTF-8) in a map by the user's key ({@code names[from + opaque]}).
         */
        Map<String, String> getManyDecoded(String[] names, String[] keys, int from, int count) {
            try {
                writeBatch(keys, from, count);
                Map<String, String> values = new HashMap<>(count * 2);
                byte[] v = new byte[4096];
                while (true) {
                    int n = readLine();
                    if (n == 2 && line[0] == 'M' && line[1] == 'N') {
                        return values;
                    }
                    int size = parseSize(n);
                    int opaque = 0;
                    for (int i = n - 1; i > 0; i--) {
                        if (line[i] == 'O' && line[i - 1] == ' ') {
                            for (int j = i + 1; j < n && line[j] != ' '; j++) {
                                opaque = opaque * 10 + (line[j] - '0');
                            }
                            break;
                        }
                    }
                    if (v.length < size) {
                        v = new byte[size];
                    }
                    in.readFully(v, 0, size);
                    in.skipBytes(2);
                    values.put(names[from + opaque], new String(v, 0, size, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] readValue() throws IOException {
            int n = readLine();
            if (line[0] == 'E') {
                return null;
            }
            byte[] v = new byte[parseSize(n)];
            in.readFully(v);
            in.skipBytes(2);
            return v;
        }

        private int parseSize(int n) {
            int size = 0;
            for (int i = 3; i < n && line[i] != ' '; i++) {
                size = size * 10 + (line[i] - '0');
            }
            return size;
        }

        private void writeAscii(String s) throws IOException {
            for (int i = 0; i < s.length(); i++) {
                out.write(s.charAt(i));
            }
        }

        private int readLine() throws IOException {
            int n = 0;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c == '\n') {
                    return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                }
                line[n++] = (byte) c;
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
