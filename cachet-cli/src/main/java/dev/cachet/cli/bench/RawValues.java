package dev.cachet.cli.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The raw baseline's values as a user writing plain JDBC would store them: a String as UTF-8,
 * an integer as decimal text, anything else by plain Java serialization (no allow-list, no
 * envelope, no compression).
 */
final class RawValues {
    private RawValues() {
    }

    /** A String as UTF-8, an Integer or Long as decimal text, anything else by plain Java serialization. */
    static byte[] encode(Object v) {
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Long || v instanceof Integer) {
            return v.toString().getBytes(StandardCharsets.US_ASCII);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a " + v.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    /** The value of bytes {@link #encode} wrote. */
    static Object decode(byte[] b) {
        if (b.length >= 2 && b[0] == (byte) 0xAC && b[1] == (byte) 0xED) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
                return in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot deserialize " + b.length + " bytes", e);
            }
        }
        if (dev.cachet.spi.DecimalValues.isDecimal(b)) {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
