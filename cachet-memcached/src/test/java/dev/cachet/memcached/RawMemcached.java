package dev.cachet.memcached;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-socket memcached client for tests: sends text, reads reply lines, so a test can look
 * at what the server really holds (TTLs, keys) without going through the client under test.
 */
final class RawMemcached implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawMemcached(String host, int port) {
        try {
            socket = new Socket(host, port);
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code command} (CRLF added) and returns the first reply line. */
    String line(String command) {
        send(command.getBytes(StandardCharsets.ISO_8859_1));
        return readLine();
    }

    /** Sends {@code command} and reads lines until one equals {@code end}, which is not returned. */
    List<String> linesUntil(String command, String end) {
        send(command.getBytes(StandardCharsets.ISO_8859_1));
        List<String> lines = new ArrayList<>();
        for (String l = readLine(); !l.equals(end); l = readLine()) {
            lines.add(l);
        }
        return lines;
    }

    /** {@code ms} of raw bytes under a raw key; returns the reply line. */
    String set(String key, byte[] value, String flags) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("ms " + key + " " + value.length + (flags.isEmpty() ? "" : " " + flags) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(value);
        b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        send(b.toByteArray());
        return readLine();
    }

    private void send(byte[] bytes) {
        try {
            out.write(bytes);
            if (bytes.length < 2 || bytes[bytes.length - 1] != '\n') {
                out.write(new byte[] {'\r', '\n'});
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] l = b.toByteArray();
                    return new String(l, 0, l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length,
                            StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            throw new IOException("connection closed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
