package dev.cachet.servlet.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A response as the page cache keeps it: status, header lines, body, when it was requested and
 * received, the freshness lifetime the policy gave it, and the request it answers (its URL key
 * and the values of the request fields its {@code Vary} names), so that a read can check the
 * entry answers this request and no other.
 *
 * <p>Written as one {@code byte[]} (see {@link #encode()}): a magic, the fields, then the body's
 * length and CRC-32, checked by {@link #decode}: a truncated, mixed or corrupt entry reads as
 * absent, never as another body. Large values are chunked by the cache itself (core's manifest
 * with its own token and checksums), so a body is never split here.
 */
public record StoredResponse(int status, HttpFields headers, byte[] body, long requestTime, long responseTime,
        long lifetimeMillis, String url, List<String> varyNames, List<String> varyValues) {

    private static final int MAGIC = 0x43504731; // "CPG1"

    /** This response with other headers, times and lifetime (after a 304 refreshed it). */
    public StoredResponse refreshed(HttpFields newHeaders, long newRequestTime, long newResponseTime, long newLifetime) {
        return new StoredResponse(status, newHeaders, body, newRequestTime, newResponseTime, newLifetime, url,
                varyNames, varyValues);
    }

    /** The bytes stored in the cache. */
    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(status);
            out.writeLong(requestTime);
            out.writeLong(responseTime);
            out.writeLong(lifetimeMillis);
            writeString(out, url);
            out.writeInt(varyNames.size());
            for (int i = 0; i < varyNames.size(); i++) {
                writeString(out, varyNames.get(i));
                String v = varyValues.get(i);
                out.writeBoolean(v != null);
                if (v != null) {
                    writeString(out, v);
                }
            }
            out.writeInt(headers.lines().size());
            for (String[] l : headers.lines()) {
                writeString(out, l[0]);
                writeString(out, l[1]);
            }
            out.writeInt(body.length);
            out.write(body);
            out.writeLong(crc(body));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** The response in {@code bytes}, or null when they are not a whole, intact entry. */
    public static StoredResponse decode(byte[] bytes) {
        if (bytes == null || bytes.length < 8) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC) {
                return null;
            }
            int status = in.readInt();
            long requestTime = in.readLong();
            long responseTime = in.readLong();
            long lifetime = in.readLong();
            String url = readString(in);
            int nv = in.readInt();
            if (nv < 0 || nv > 1024) {
                return null;
            }
            List<String> names = new ArrayList<>(nv);
            List<String> values = new ArrayList<>(nv);
            for (int i = 0; i < nv; i++) {
                names.add(readString(in));
                values.add(in.readBoolean() ? readString(in) : null);
            }
            int nh = in.readInt();
            if (nh < 0 || nh > 65_536) {
                return null;
            }
            HttpFields.Builder h = HttpFields.builder();
            for (int i = 0; i < nh; i++) {
                h.add(readString(in), readString(in));
            }
            int len = in.readInt();
            if (len < 0 || len > in.available() - 8) {
                return null;
            }
            byte[] body = in.readNBytes(len);
            if (in.readLong() != crc(body) || in.available() != 0) {
                return null;
            }
            return new StoredResponse(status, h.build(), body, requestTime, responseTime, lifetime, url,
                    names, values);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n);
        }
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long crc(byte[] body) {
        CRC32 c = new CRC32();
        c.update(body);
        return c.getValue();
    }
}
