package dev.cachet.internal.entry;

import dev.cachet.Lookup;
import dev.cachet.internal.EntryStore;
import dev.cachet.internal.FailureLog;
import dev.cachet.internal.KeyPolicy;
import dev.cachet.internal.PartialEntriesException;
import dev.cachet.spi.BulkFailures;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The entry format over a byte {@link Store}: encoding, compression, and chunking of values
 * larger than the store's item limit.
 *
 * <p>Chunking: the pieces are written first, under keys derived from the entry's key, a fresh
 * random token and the piece index; then the manifest (token, count, length, CRC-32) under the
 * entry's key. A reader fetches the manifest, then all pieces in one {@code getMany}, and
 * checks every piece's token and index and the whole CRC: a missing, stale or mismatched piece
 * is a miss, never wrong data. Since each write has its own token, concurrent writers never
 * mix pieces, and an {@code add} that loses leaves the winner's pieces alone. Overwriting a
 * chunked value deletes the old pieces after the new manifest is in place; {@code delete}
 * leaves pieces to expire with their deadline (they are never readable without their
 * manifest).
 *
 * <p>A read never deletes an entry whose bytes are sound: an entry this reader cannot or may
 * not decode (its class is missing here or refused by the codec's allow-list, or another codec
 * wrote it) is a miss for this reader under either error policy (the backend did not fail) and
 * stays for readers that can decode it; it is logged once per class. Only a corrupt entry (a
 * bad envelope, truncated bytes or stamp, a bad chunk manifest or piece, a CRC mismatch, a
 * payload the codec finds malformed) is a miss, is deleted, and is logged. A chunked value
 * whose pieces could not be read because the backend failed is a failed key, never deleted.
 *
 * <p>Bulk calls that fail for some keys report them as the SPI does: {@code getMany} with a
 * {@link PartialEntriesException} holding the decoded values of the others, {@code putMany}
 * with a {@link PartialFailureException} naming the stored keys that failed, chunked values
 * included.
 */
public final class EncodedEntryStore implements EntryStore {
    private final Store store;
    private final EntryFormat format;
    private final KeyPolicy keys;
    private final FailureLog log;
    private final long maxItemBytes;
    private final boolean chunkingPossible;

    /** The entry format {@code format} over {@code store}, naming chunk pieces by {@code keys}' hashing. */
    public EncodedEntryStore(Store store, EntryFormat format, KeyPolicy keys, FailureLog log) {
        this.store = store;
        this.format = format;
        this.keys = keys;
        this.log = log;
        this.maxItemBytes = store.capabilities().maxItemBytes();
        if (maxItemBytes < EntryFormat.PIECE_HEADER + 64) {
            throw new IllegalArgumentException("item limit " + maxItemBytes + " bytes is too small to chunk values");
        }
        this.chunkingPossible = maxItemBytes < Integer.MAX_VALUE - 16;
    }

    @Override
    public Lookup<Object> get(String key) {
        byte[] b = store.get(key);
        if (b == null) {
            return Lookup.miss();
        }
        if (EntryFormat.kind(b) == EntryFormat.Kind.MANIFEST) {
            Manifest m = Manifest.parse(b);
            Map<String, byte[]> pieces = store.getMany(m.pieceKeys(keys, key));
            return assemble(key, m, pieces);
        }
        return decodeOrDrop(key, b);
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keyList) {
        Map<String, byte[]> raw;
        StoreException failure = null;
        try {
            raw = store.getMany(keyList);
        } catch (PartialFailureException e) {
            raw = e.found();
            failure = e;
        }
        Map<String, Object> out = new LinkedHashMap<>(raw.size() * 2);
        Map<String, Manifest> manifests = null;
        for (Map.Entry<String, byte[]> e : raw.entrySet()) {
            byte[] b = e.getValue();
            if (EntryFormat.kind(b) == EntryFormat.Kind.MANIFEST) {
                if (manifests == null) {
                    manifests = new LinkedHashMap<>();
                }
                manifests.put(e.getKey(), Manifest.parse(b));
                out.put(e.getKey(), null);
                continue;
            }
            Object v = decodeOrMissing(e.getKey(), b);
            if (v != MISSING) {
                out.put(e.getKey(), v);
            }
        }
        if (manifests != null) {
            List<String> pieceKeys = new ArrayList<>();
            manifests.forEach((k, m) -> pieceKeys.addAll(m.pieceKeys(keys, k)));
            Map<String, byte[]> pieces;
            Set<String> failedPieces = Set.of();
            try {
                pieces = store.getMany(pieceKeys);
            } catch (PartialFailureException e) {
                pieces = e.found();
                failedPieces = e.failedKeys();
                failure = failure == null ? e : failure;
            } catch (StoreException e) {
                // no piece could be read: every chunked value is unread (not missing), the rest stands
                pieces = Map.of();
                failedPieces = Set.copyOf(pieceKeys);
                failure = failure == null ? e : failure;
            }
            for (Map.Entry<String, Manifest> e : manifests.entrySet()) {
                String k = e.getKey();
                if (!failedPieces.isEmpty() && e.getValue().pieceKeys(keys, k).stream().anyMatch(failedPieces::contains)) {
                    out.remove(k); // unread, not missing: the entry stays
                    continue;
                }
                Lookup<Object> l = assemble(k, e.getValue(), pieces);
                if (l.isHit()) {
                    out.put(k, l.value());
                } else {
                    out.remove(k);
                }
            }
        }
        if (failure != null) {
            throw new PartialEntriesException(out, failure);
        }
        return out;
    }

    @Override
    public void check(Object value) {
        format.encode(value);
    }

    @Override
    public boolean put(String key, Object value, long expiresAt, PutMode mode) {
        byte[] b = format.encode(value);
        if (b.length <= maxItemBytes) {
            return store.put(key, b, expiresAt, mode);
        }
        return putChunked(key, b, expiresAt, mode);
    }

    private boolean putChunked(String key, byte[] b, long expiresAt, PutMode mode) {
        if (mode == PutMode.ADD && store.has(key)) {
            return false;
        }
        byte[] old = mode == PutMode.ADD ? null : store.get(key);
        if (mode == PutMode.REPLACE && old == null) {
            return false;
        }
        Manifest m = Manifest.of(b, maxItemBytes);
        Map<String, byte[]> pieces = m.pieces(keys, key, b, maxItemBytes);
        Set<String> failed;
        try {
            failed = store.putMany(pieces, expiresAt);
        } catch (StoreException e) {
            dropPieces(pieces.keySet());
            throw e;
        }
        if (!failed.isEmpty()) {
            dropPieces(pieces.keySet());
            return false;
        }
        if (!store.put(key, m.bytes(), expiresAt, mode)) {
            dropPieces(pieces.keySet());
            return false;
        }
        dropOldPieces(key, old);
        return true;
    }

    /**
     * Deletes pieces no manifest names any more (of a write that did not happen, or of the value
     * a write replaced), best effort: they are unreadable without their manifest and go with
     * their deadline anyway, so a failure here is logged and never fails the write.
     */
    private void dropPieces(Collection<String> pieceKeys) {
        try {
            store.deleteMany(pieceKeys);
        } catch (RuntimeException e) {
            log.backendFailure("delete of the pieces of a failed chunked write", e);
        }
    }

    private void dropOldPieces(String key, byte[] old) {
        if (old != null && EntryFormat.kind(old) == EntryFormat.Kind.MANIFEST) {
            dropPieces(Manifest.parse(old).pieceKeys(keys, key));
        }
    }

    @Override
    public Set<String> putMany(Map<String, Object> entries, long expiresAt) {
        Map<String, byte[]> small = new LinkedHashMap<>(entries.size() * 2);
        Map<String, byte[]> large = null;
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            byte[] b = format.encode(e.getValue());
            if (b.length <= maxItemBytes) {
                small.put(e.getKey(), b);
            } else {
                if (large == null) {
                    large = new LinkedHashMap<>();
                }
                large.put(e.getKey(), b);
            }
        }
        Set<String> notStored = new LinkedHashSet<>();
        BulkFailures failures = new BulkFailures();
        if (!small.isEmpty()) {
            try {
                notStored.addAll(store.putMany(small, expiresAt));
            } catch (PartialFailureException e) {
                failures.add(e.failedKeys(), e);
            } catch (StoreException e) {
                failures.add(small.keySet(), e);
            }
        }
        if (large != null) {
            for (Map.Entry<String, byte[]> e : large.entrySet()) {
                try {
                    if (!putChunked(e.getKey(), e.getValue(), expiresAt, PutMode.SET)) {
                        notStored.add(e.getKey());
                    }
                } catch (StoreException ex) {
                    failures.add(List.of(e.getKey()), ex);
                }
            }
        }
        failures.throwIfAny(failures.keys().size() >= entries.size(), f -> {
            int stored = entries.size() - f.keys().size() - notStored.size();
            f.keys().addAll(notStored);
            return PartialFailureException.ofPutMany(f.keys(), "set_many stored " + stored + " of " + entries.size()
                    + " entries: " + f.first().getMessage(), f.first());
        });
        return notStored;
    }

    @Override
    public boolean delete(String key) {
        return store.delete(key);
    }

    @Override
    public boolean deleteIfEquals(String key, Object expected) {
        return store.deleteIfEquals(key, format.encode(expected));
    }

    @Override
    public int deleteMany(Collection<String> keyList) {
        return store.deleteMany(keyList);
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        if (!chunkingPossible) {
            return store.touch(key, expiresAt);
        }
        // one round trip for every value but one of a manifest's length, whose pieces need touching too
        long length = store.touchAndLength(key, expiresAt);
        if (length < 0) {
            return false;
        }
        if (length == EntryFormat.HEADER + EntryFormat.MANIFEST_PAYLOAD) {
            byte[] b = store.get(key);
            if (b != null && EntryFormat.kind(b) == EntryFormat.Kind.MANIFEST) {
                for (String pk : Manifest.parse(b).pieceKeys(keys, key)) {
                    store.touch(pk, expiresAt);
                }
            }
        }
        return true;
    }

    @Override
    public boolean has(String key) {
        return store.has(key);
    }

    @Override
    public Long incr(String key, long delta) {
        return store.incr(key, delta);
    }

    @Override
    public void clear(KeyScope scope) {
        store.clear(scope);
    }

    @Override
    public boolean isBlocking() {
        return store.capabilities().blocking();
    }

    @Override
    public void close() {
        store.close();
    }

    private Lookup<Object> decodeOrDrop(String key, byte[] b) {
        Object v = decodeOrMissing(key, b);
        return v == MISSING ? Lookup.miss() : Lookup.hit(v);
    }

    /** The decoded value of a plain entry (maybe null), or {@link #MISSING} when it is unreadable (kept or dropped). */
    private Object decodeOrMissing(String key, byte[] b) {
        try {
            switch (EntryFormat.kind(b)) {
                case INTEGER:
                    return Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
                case VALUE:
                    return format.decode(b);
                default:
                    throw new IllegalStateException("bytes are neither an integer nor a cachet entry (first byte 0x"
                            + Integer.toHexString(b.length == 0 ? 0 : b[0] & 0xff) + ", " + b.length + " bytes)");
            }
        } catch (UnreadableEntryException e) {
            keep(key, e);
            return MISSING;
        } catch (Exception | LinkageError e) {
            drop(key, e);
            return MISSING;
        }
    }

    private Lookup<Object> assemble(String key, Manifest m, Map<String, byte[]> pieces) {
        if (m.count <= 0 || m.count > 1_000_000 || m.length < 0 || m.length > (long) m.count * maxItemBytes) {
            drop(key, new IllegalStateException("chunk manifest is malformed (" + m.count + " pieces, " + m.length + " bytes)"));
            return Lookup.miss();
        }
        byte[] payload = new byte[m.length];
        int pos = 0;
        List<String> pieceKeys = m.pieceKeys(keys, key);
        for (int i = 0; i < m.count; i++) {
            byte[] p = pieces.get(pieceKeys.get(i));
            if (p == null) {
                // evicted or expired piece: the value is gone, which is a plain miss
                dropIfStill(key, m, null);
                return Lookup.miss();
            }
            ByteBuffer h = ByteBuffer.wrap(p);
            if (p.length < EntryFormat.PIECE_HEADER || p[0] != EntryFormat.MAGIC || p[1] != EntryFormat.CODEC_PIECE
                    || h.getLong(EntryFormat.HEADER) != m.token || h.getInt(EntryFormat.HEADER + 8) != i
                    || pos + p.length - EntryFormat.PIECE_HEADER > m.length) {
                dropIfStill(key, m, new IllegalStateException("chunk " + i + " of " + m.count + " does not belong to this value"));
                return Lookup.miss();
            }
            System.arraycopy(p, EntryFormat.PIECE_HEADER, payload, pos, p.length - EntryFormat.PIECE_HEADER);
            pos += p.length - EntryFormat.PIECE_HEADER;
        }
        CRC32 crc = new CRC32();
        crc.update(payload, 0, pos);
        if (pos != m.length || (int) crc.getValue() != m.crc) {
            drop(key, new IllegalStateException("chunked value fails its length or CRC check"));
            return Lookup.miss();
        }
        try {
            return Lookup.hit(format.decode(m.codecId, m.flags & ~EntryFormat.FLAG_MANIFEST, payload, 0, payload.length));
        } catch (UnreadableEntryException e) {
            keep(key, e);
            return Lookup.miss();
        } catch (Exception | LinkageError e) {
            drop(key, e);
            return Lookup.miss();
        }
    }

    /**
     * Deletes {@code key} if it still holds manifest {@code m} (logging {@code cause} if given):
     * a writer may have replaced the value, and deleted the old pieces, while this reader was
     * fetching them; its new value must not go. (A write landing between this re-read and the
     * delete can still be lost: a miss, never a wrong value.)
     */
    private void dropIfStill(String key, Manifest m, Throwable cause) {
        try {
            byte[] now = store.get(key);
            if (now == null || EntryFormat.kind(now) != EntryFormat.Kind.MANIFEST || Manifest.parse(now).token != m.token) {
                return;
            }
        } catch (RuntimeException e) {
            log.backendFailure("re-read of a chunked value's manifest", e);
            return;
        }
        if (cause == null) {
            try {
                store.delete(key);
            } catch (RuntimeException e) {
                log.backendFailure("delete of a chunked value missing a piece", e);
            }
        } else {
            drop(key, cause);
        }
    }

    /** An entry this reader cannot decode though its bytes are sound: logged, left in place. */
    private void keep(String key, UnreadableEntryException e) {
        log.unreadableEntry(new dev.cachet.UnreadableValue(keys.shown(key), e.codec(), e.className(), e.size(), e.getMessage()));
    }

    /** A corrupt entry: logged and deleted. */
    private void drop(String key, Throwable cause) {
        log.decodeFailure(keys.shown(key), cause);
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            log.backendFailure("delete of an undecodable entry", e);
        }
    }
}
