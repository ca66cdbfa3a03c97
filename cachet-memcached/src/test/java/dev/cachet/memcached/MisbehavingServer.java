package dev.cachet.memcached;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny TCP server that speaks just enough of the meta protocol to be a memcached, and
 * answers each command as its current {@link Script} says: correctly, or with the malformed
 * replies a broken server or a corrupted link could send. Commands are read whole (an
 * {@code ms} with its data block) so that a script controls exactly what comes back.
 */
final class MisbehavingServer implements AutoCloseable {
    /** What to send for one command; {@code null} to send nothing; throw {@link Hangup} to close the connection. */
    interface Script {
        byte[] reply(String commandLine);
    }

    /** Thrown by a script to close the connection instead of replying. */
    static final class Hangup extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Correct replies: every get misses, every store and delete succeeds, mn answers MN. */
    static final Script CORRECT = line -> {
        if (line.startsWith("mg")) {
            return line.contains(" q") ? null : bytes("EN\r\n");
        }
        if (line.startsWith("mn")) {
            return bytes("MN\r\n");
        }
        if (line.startsWith("ms") || line.startsWith("md")) {
            return line.contains(" q") ? null : bytes("HD\r\n");
        }
        if (line.startsWith("ma")) {
            return bytes("VA 1\r\n7\r\n");
        }
        return bytes("ERROR\r\n");
    };

    private final ServerSocket server;
    private final AtomicReference<Script> script = new AtomicReference<>(CORRECT);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;
    private volatile long readBytesPerSecond;
    private volatile boolean reading = true;

    MisbehavingServer() throws IOException {
        server = new ServerSocket();
        // a small receive window, so a throttled reader holds the client's bytes back at once
        server.setReceiveBufferSize(64 * 1024);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        acceptor = new Thread(this::accept, "misbehaving-memcached");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    String location() {
        return "memcached://127.0.0.1:" + server.getLocalPort();
    }

    /** How many connections clients opened so far. */
    int connections() {
        return connections.get();
    }

    void script(Script s) {
        script.set(s);
    }

    /** Reads data blocks at most this fast from now on, like a slow link; 0 for no limit. */
    void throttle(long bytesPerSecond) {
        readBytesPerSecond = bytesPerSecond;
    }

    /** While false, connections read nothing more (a server that stopped taking bytes). */
    void reading(boolean on) {
        reading = on;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "misbehaving-memcached-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                if (line.startsWith("ms ")) {
                    int len = Integer.parseInt(line.split(" ")[2]);
                    readData(in, len + 2);
                }
                byte[] reply;
                try {
                    reply = script.get().reply(line);
                } catch (Hangup h) {
                    return;
                }
                if (reply != null) {
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads {@code n} bytes, 64 KiB at a time at the throttled rate, waiting while reading is off. */
    private void readData(InputStream in, int n) throws IOException {
        long start = System.nanoTime();
        byte[] buffer = new byte[64 * 1024];
        long done = 0;
        while (done < n) {
            while (!reading) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            long rate = readBytesPerSecond;
            if (rate > 0) {
                long due = start + done * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            int got = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, n - done));
            if (got == 0) {
                throw new IOException("the client closed mid-value");
            }
            done += got;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] l = b.toByteArray();
                return new String(l, 0, l.length - (l.length > 0 && l[l.length - 1] == '\r' ? 1 : 0),
                        StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
