package dev.cachet.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor for a Redis call: one blocking socket, the RESP command written into a buffer by
 * hand, the reply parsed just enough to return it. No pool, no event loop, no thread hand-off:
 * what {@code redis-benchmark -c 1} measures, from Java. Not thread-safe (one per thread).
 */
final class RawRedis implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawRedis(String host, int port, int database) {
        try {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            if (database != 0) {
                command("SELECT", Integer.toString(database));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET key}: the value, or null. */
    byte[] get(String key) {
        return (byte[]) command("GET", key);
    }

    /** {@code SET key value PX millis}: true on OK. */
    boolean set(String key, byte[] value, long pxMillis) {
        return "OK".equals(command("SET", key, value, "PX", Long.toString(pxMillis)));
    }

    /** {@code INCRBY key by}. */
    long incrBy(String key, long by) {
        return (Long) command("INCRBY", key, Long.toString(by));
    }

    /** {@code MGET keys...}: the values in order, null for a miss. */
    @SuppressWarnings("unchecked")
    List<Object> mget(String[] keys) {
        Object[] args = new Object[keys.length + 1];
        args[0] = "MGET";
        System.arraycopy(keys, 0, args, 1, keys.length);
        return (List<Object>) command(args);
    }

    /** {@code UNLINK keys...}. */
    void unlink(String... keys) {
        Object[] args = new Object[keys.length + 1];
        args[0] = "UNLINK";
        System.arraycopy(keys, 0, args, 1, keys.length);
        command(args);
    }

    /** Sends one command (String and byte[] arguments) and reads its reply. */
    Object command(Object... args) {
        try {
            out.write('*');
            writeInt(args.length);
            for (Object a : args) {
                byte[] b = a instanceof byte[] bytes ? bytes : ((String) a).getBytes(StandardCharsets.UTF_8);
                out.write('$');
                writeInt(b.length);
                out.write(b);
                out.write('\r');
                out.write('\n');
            }
            out.flush();
            return reply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeInt(int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    private Object reply() throws IOException {
        int type = in.read();
        switch (type) {
            case '+':
                return line();
            case '-':
                throw new IllegalStateException("redis: " + line());
            case ':':
                return Long.parseLong(line());
            case '$': {
                int n = Integer.parseInt(line());
                if (n < 0) {
                    return null;
                }
                byte[] v = new byte[n];
                in.readFully(v);
                in.skipBytes(2);
                return v;
            }
            case '*': {
                int n = Integer.parseInt(line());
                List<Object> items = new ArrayList<>(Math.max(n, 0));
                for (int i = 0; i < n; i++) {
                    items.add(reply());
                }
                return items;
            }
            default:
                throw new IllegalStateException("redis: unexpected reply type " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(16);
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a benchmark's socket
        }
    }
}
