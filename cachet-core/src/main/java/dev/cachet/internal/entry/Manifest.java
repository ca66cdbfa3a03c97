package dev.cachet.internal.entry;

import dev.cachet.internal.KeyPolicy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * A chunked value's manifest, the entry stored under the value's own key: the codec and flags
 * of the whole payload, a random token for this write, the piece count, the payload length and
 * its CRC-32 (see {@link EncodedEntryStore} for how pieces are written and checked). Pieces are
 * stored under {@code keys.hashed(key NUL token NUL index)}, so a piece name can never be a
 * user key, and each write's pieces are its own. Immutable.
 */
final class Manifest {
    final int codecId;
    final int flags;
    final long token;
    final int count;
    final int length;
    final int crc;

    Manifest(int codecId, int flags, long token, int count, int length, int crc) {
        this.codecId = codecId;
        this.flags = flags;
        this.token = token;
        this.count = count;
        this.length = length;
        this.crc = crc;
    }

    static Manifest of(byte[] entry, long maxItemBytes) {
        int len = entry.length - EntryFormat.HEADER;
        long per = maxItemBytes - EntryFormat.PIECE_HEADER;
        int count = (int) ((len + per - 1) / per);
        CRC32 crc = new CRC32();
        crc.update(entry, EntryFormat.HEADER, len);
        long token = ThreadLocalRandom.current().nextLong();
        return new Manifest(entry[1] & 0xff, (entry[2] & 0xff) | EntryFormat.FLAG_MANIFEST, token, count, len,
                (int) crc.getValue());
    }

    static Manifest parse(byte[] b) {
        ByteBuffer h = ByteBuffer.wrap(b, EntryFormat.HEADER, EntryFormat.MANIFEST_PAYLOAD);
        return new Manifest(b[1] & 0xff, b[2] & 0xff, h.getLong(), h.getInt(), h.getInt(), h.getInt());
    }

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(EntryFormat.HEADER + EntryFormat.MANIFEST_PAYLOAD);
        b.put(EntryFormat.MAGIC).put((byte) codecId).put((byte) flags);
        b.putLong(token).putInt(count).putInt(length).putInt(crc);
        return b.array();
    }

    List<String> pieceKeys(KeyPolicy keys, String key) {
        if (count < 0 || count > 1_000_000) {
            return List.of();
        }
        List<String> out = new ArrayList<>(count);
        String base = key + '\u0000' + Long.toHexString(token) + '\u0000';
        for (int i = 0; i < count; i++) {
            out.add(keys.hashed(base + i));
        }
        return out;
    }

    Map<String, byte[]> pieces(KeyPolicy keys, String key, byte[] entry, long maxItemBytes) {
        List<String> names = pieceKeys(keys, key);
        int per = (int) (maxItemBytes - EntryFormat.PIECE_HEADER);
        Map<String, byte[]> out = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            int from = EntryFormat.HEADER + i * per;
            int n = Math.min(per, entry.length - from);
            ByteBuffer p = ByteBuffer.allocate(EntryFormat.PIECE_HEADER + n);
            p.put(EntryFormat.MAGIC).put((byte) EntryFormat.CODEC_PIECE).put((byte) 0);
            p.putLong(token).putInt(i).put(entry, from, n);
            out.put(names.get(i), p.array());
        }
        return out;
    }
}
