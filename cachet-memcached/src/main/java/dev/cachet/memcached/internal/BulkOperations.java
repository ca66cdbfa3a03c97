package dev.cachet.memcached.internal;

import static dev.cachet.memcached.internal.CommandRequest.codes;
import static dev.cachet.memcached.internal.MetaResponse.Code.EX;
import static dev.cachet.memcached.internal.MetaResponse.Code.HD;
import static dev.cachet.memcached.internal.MetaResponse.Code.MN;
import static dev.cachet.memcached.internal.MetaResponse.Code.NF;
import static dev.cachet.memcached.internal.MetaResponse.Code.NS;
import static dev.cachet.memcached.internal.MetaResponse.Code.VA;

import dev.cachet.spi.BulkFailures;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.StoreException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link MemcachedStore}'s multi-key operations: the keys grouped by node, one quiet batch per
 * node ({@code q} commands, {@code O<i>} opaques, then {@code mn}), all nodes in flight
 * together, each node's failure collected. When some nodes fail, the others' results stand and
 * a {@link PartialFailureException} says which keys failed; when all fail, the first failure
 * is thrown. Thread-safe (no state of its own besides the client).
 */
final class BulkOperations {
    /** Values from this size on are fenced with {@code mn} in a set_many batch (see putMany). */
    private static final int FENCED_VALUE_BYTES = 64 * 1024;

    private final MemcachedClient client;
    private final MemcachedSettings settings;

    BulkOperations(MemcachedClient client, MemcachedSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * One quiet {@code mg} batch per node, all in flight together.
     *
     * @throws PartialFailureException when some nodes failed (it holds the others' values)
     */
    Map<String, byte[]> getMany(String namespace, Collection<String> keys) {
        Batches b = new Batches(namespace, keys, "mg batch (get_many)");
        MetaCommands.Template mg = new MetaCommands.Template("mg", namespace, "v f t q");
        for (Batch batch : b.batches) {
            for (int j = 0; j < batch.size; j++) {
                batch.command(mg, j);
            }
        }
        b.send(codes(VA, HD));
        Map<String, byte[]> out = new LinkedHashMap<>(b.keyCount * 2);
        long now = settings.clock.millis();
        for (Batch batch : b.batches) {
            QuietBatch.Result r = b.result(batch);
            if (r == null) {
                continue; // failed: its keys are in b's failures
            }
            for (int j = 0; j < batch.size; j++) {
                MetaResponse m = r.replies[j];
                if (m != null && !r.uncertain[j] && MemcachedStore.readable(m, now)) {
                    out.put(batch.keys[j], MemcachedStore.unpadded(m.value));
                }
            }
        }
        b.throwIfFailed(f -> PartialFailureException.ofGetMany(out, f.keys(), f.first().getMessage(), f.first()));
        return out;
    }

    /**
     * One quiet {@code ms} batch per node, all in flight together.
     *
     * @return the keys memcached answered "not stored" for
     * @throws PartialFailureException when some nodes failed, or refused some of the values
     *     (e.g. over the server's item size limit): its failed keys are those, and the keys not
     *     stored; the others are stored
     */
    Set<String> putMany(String namespace, Map<String, byte[]> entries, long expiresAt) {
        Batches b = new Batches(namespace, entries.keySet(), "ms batch (set_many)");
        String tf = Deadlines.ttlAndFlags(expiresAt, settings.clock.millis());
        for (Batch batch : b.batches) {
            // an error reply names no command: large values, the ones a server may refuse as too
            // large, go between fences so that a refusal is pinned on them alone
            List<Integer> fences = new ArrayList<>();
            for (int j = 0; j < batch.size; j++) {
                byte[] v = entries.get(batch.keys[j]);
                boolean large = v.length >= FENCED_VALUE_BYTES;
                if (large && j > 0 && (fences.isEmpty() || fences.get(fences.size() - 1) != j - 1)) {
                    batch.commands.line("mn");
                    fences.add(j - 1);
                }
                batch.commands.set(batch.wire(j), v, tf + " q", j);
                if (large && j < batch.size - 1) {
                    batch.commands.line("mn");
                    fences.add(j);
                }
            }
            batch.fences = fences.stream().mapToInt(Integer::intValue).toArray();
        }
        b.send(codes(NS, EX, NF));
        Set<String> notStored = new LinkedHashSet<>();
        for (Batch batch : b.batches) {
            QuietBatch.Result r = b.result(batch);
            if (r == null) {
                continue; // failed: its keys are in b's failures
            }
            List<String> refused = new ArrayList<>();
            for (int j = 0; j < batch.size; j++) {
                if (r.uncertain[j]) {
                    refused.add(batch.keys[j]); // an error reply may be this command's
                } else if (r.replies[j] != null) {
                    notStored.add(batch.keys[j]);
                }
            }
            if (r.firstError != null) {
                b.fail(refused, new StoreException("memcached " + batch.node.label + " refused part of a set_many: "
                        + r.firstError + (r.firstError.contains("too large") ? "; the server's item size limit (-I) is below"
                                + " item_size_max=" + settings.itemSizeMax + ": set item_size_max to the server's -I" : "")));
            }
        }
        b.throwIfFailed(f -> {
            f.keys().addAll(notStored);
            return PartialFailureException.ofPutMany(f.keys(), f.first().getMessage(), f.first());
        });
        return notStored;
    }

    /**
     * One quiet {@code mg}+{@code md} batch per node, all in flight together.
     *
     * @throws PartialFailureException when some nodes failed (it holds the count the others removed)
     */
    int deleteMany(String namespace, Collection<String> keys) {
        Batches b = new Batches(namespace, keys, "mg+md batch (delete_many)");
        for (Batch batch : b.batches) {
            for (int j = 0; j < batch.size; j++) {
                WireKey k = batch.wire(j);
                batch.commands.command("mg", k, "f t q", 2L * j).command("md", k, "q", 2L * j + 1);
            }
            batch.commandCount = 2 * batch.size;
        }
        b.send(codes(HD, NF, EX));
        int deleted = 0;
        long now = settings.clock.millis();
        for (Batch batch : b.batches) {
            QuietBatch.Result r = b.result(batch);
            if (r == null) {
                continue;
            }
            for (int j = 0; j < batch.size; j++) {
                MetaResponse seen = r.replies[2 * j];
                MetaResponse del = r.replies[2 * j + 1];
                if (seen != null && seen.code == HD && MemcachedStore.readable(seen, now) && del == null && !r.uncertain[2 * j + 1]) {
                    deleted++;
                }
            }
        }
        int count = deleted;
        b.throwIfFailed(f -> PartialFailureException.ofDeleteMany(count, f.keys(), f.first().getMessage(), f.first()));
        return deleted;
    }

    /**
     * One node's share of a multi-key operation: its keys in plain arrays, and their wire keys
     * when routing needed them (with one node, none are made: commands are written straight from
     * the namespace and the key).
     */
    private final class Batch {
        final Node node;
        final String namespace;
        String[] keys;
        /** The wire keys, per key; null when none were made (one node). */
        WireKey[] wire;
        int size;
        final MetaCommands commands;
        int commandCount = -1;
        int[] fences = new int[0];
        CompletableFuture<QuietBatch.Result> future;

        Batch(Node node, String namespace, int capacity, boolean routed) {
            this.node = node;
            this.namespace = namespace;
            this.keys = new String[capacity];
            this.wire = routed ? new WireKey[capacity] : null;
            this.commands = new MetaCommands(client.alloc, Math.max(1024, capacity * (namespace.length() + 48)));
        }

        void add(String key, WireKey k) {
            if (size == keys.length) {
                int grown = Math.max(8, size * 2);
                keys = Arrays.copyOf(keys, grown);
                if (wire != null) {
                    wire = Arrays.copyOf(wire, grown);
                }
            }
            keys[size] = key;
            if (wire != null) {
                wire[size] = k;
            }
            size++;
        }

        /** The wire key of key {@code j}. */
        WireKey wire(int j) {
            return wire != null ? wire[j] : WireKeys.encode(namespace, keys[j]);
        }

        /** Writes {@code t}'s command for key {@code j}, with opaque {@code j}. */
        void command(MetaCommands.Template t, int j) {
            if (wire != null) {
                commands.command(t.cm, wire[j], t.flags, j);
            } else {
                commands.command(t, keys[j], j);
            }
        }

        List<String> keyList() {
            return Arrays.asList(keys).subList(0, size);
        }
    }

    /**
     * The keys of one multi-key operation, grouped by node; sent to all nodes, then awaited, each
     * node's failure collected.
     */
    private final class Batches {
        final List<Batch> batches = new ArrayList<>(2);
        final String what;
        int keyCount;
        private final BulkFailures failures = new BulkFailures();

        Batches(String ns, Collection<String> keys, String what) {
            this.what = what;
            Set<String> seen = keys instanceof Set ? null : new HashSet<>();
            Node only = client.onlyNode();
            if (only != null) {
                Batch b = new Batch(only, ns, keys.size(), false);
                batches.add(b);
                for (String key : keys) {
                    if (seen == null || seen.add(key)) {
                        b.add(key, null);
                    }
                }
                keyCount = b.size;
                return;
            }
            Map<Node, Batch> byNode = new HashMap<>();
            for (String key : keys) {
                if (seen != null && !seen.add(key)) {
                    continue;
                }
                WireKey k = WireKeys.encode(ns, key);
                Batch b = byNode.computeIfAbsent(client.nodeFor(k), n -> {
                    Batch nb = new Batch(n, ns, 16, true);
                    batches.add(nb);
                    return nb;
                });
                b.add(key, k);
                keyCount++;
            }
        }

        void send(int allowed) {
            for (Batch b : batches) {
                int n = b.commandCount < 0 ? b.size : b.commandCount;
                b.future = client.sendQuiet(b.node, b.commands, n, b.fences, allowed | codes(MN), what + " of "
                        + b.size + " keys");
            }
        }

        /**
         * The node's result; null when the node failed (or, for reads and deletes, answered an
         * error), its keys then recorded as failed.
         */
        QuietBatch.Result result(Batch b) {
            try {
                QuietBatch.Result r = client.awaitBatch(b.future, what);
                if (r.firstError != null && what.startsWith("mg")) {
                    throw new StoreException("memcached " + b.node.label + " failed part of a " + what + ": " + r.firstError);
                }
                return r;
            } catch (StoreException e) {
                fail(b.keyList(), e);
                return null;
            }
        }

        /** Records {@code keys} as failed by {@code e}. */
        void fail(Collection<String> keys, StoreException e) {
            failures.add(keys, e);
        }

        /**
         * Throws when keys failed: the first failure when every key did (nothing was done),
         * else the partial failure {@code partial} makes of the failures.
         */
        void throwIfFailed(Function<BulkFailures, PartialFailureException> partial) {
            failures.throwIfAny(failures.keys().size() >= keyCount, partial);
        }
    }
}
