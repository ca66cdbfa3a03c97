package dev.cachet.memcached.internal;

import static dev.cachet.memcached.internal.CommandRequest.codes;
import static dev.cachet.memcached.internal.MetaResponse.Code.EN;
import static dev.cachet.memcached.internal.MetaResponse.Code.EX;
import static dev.cachet.memcached.internal.MetaResponse.Code.HD;
import static dev.cachet.memcached.internal.MetaResponse.Code.NF;
import static dev.cachet.memcached.internal.MetaResponse.Code.NS;
import static dev.cachet.memcached.internal.MetaResponse.Code.OK;
import static dev.cachet.memcached.internal.MetaResponse.Code.VA;

import dev.cachet.CacheConfig;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.LeaseRead;
import dev.cachet.spi.Leases;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import dev.cachet.spi.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The {@link Store} over memcached's meta protocol. Every operation is one round trip (a
 * pipelined pair of commands where a check is needed), except the rare paths noted below.
 *
 * <ul>
 *   <li>{@code get}/{@code has}: {@code mg <k> v f t}; the deadline is checked at read time (see
 *       {@link Deadlines}); a stale ({@code X}) item or a lease placeholder is a miss.</li>
 *   <li>{@code put} SET: {@code ms <k> <n> T F}. ADD: {@code ME} mode; when memcached still holds
 *       an entry past its deadline, it is replaced under CAS. REPLACE: a read, then a write under
 *       the read's CAS.</li>
 *   <li>{@code getMany}/{@code putMany}/{@code deleteMany}: one quiet batch per node
 *       ({@code q}, {@code O<i>}, then {@code mn}), all nodes in parallel.</li>
 *   <li>{@code delete}: {@code mg <k> f t} and {@code md <k>} pipelined: true only when the
 *       entry was readable. {@code deleteIfEquals}: {@code mg <k> v f t c}, then
 *       {@code md <k> C<cas>} when the bytes match.</li>
 *   <li>{@code incr} of a positive delta: {@code mg <k> f t} and {@code ma <k> D<d> v} pipelined
 *       (memcached keeps the TTL and flags); a negative value, a decrement, or a non-numeric
 *       value go through a CAS loop (a read, then {@code ms ... C<cas>}), since memcached's
 *       counters are unsigned and stop at 0; the read of a number is {@code ma <k> D0 v c} and
 *       {@code mg <k> f t s} (an {@code mg} racing an {@code ma} can pair the old value with the
 *       new CAS, see {@code casRead}).</li>
 *   <li>{@code touch}: memcached cannot change an item's flags in place, so the entry is read
 *       (as the CAS loop reads) and written back under CAS with its new deadline.</li>
 *   <li>{@code clear} of a prefix's scope: the namespace generation bump (see
 *       {@link Namespace}), or {@code flush_all} on every node when {@code flush_on_clear=true};
 *       of {@link KeyScope#everything()} (a custom key function): {@code flush_all} on every
 *       node.</li>
 *   <li>{@link Leases}: {@code mg ... N}, {@code ms ... C}, {@code md ... I}.</li>
 * </ul>
 *
 * <p>Node failures throw a {@link StoreException}; the store applies no error policy (the core
 * does). A multi-key operation sends each node its keys and collects every node's outcome: when
 * some nodes failed (or refused part of a {@code set_many}) and others answered, it throws a
 * {@link PartialFailureException} with the others' results (the values read, the keys not
 * stored, the count deleted); when every key failed, the first node's {@link StoreException}.
 * (About 600 lines: every primitive of the SPI and of {@link Leases} is here, each a few meta
 * commands, and the CAS loops' read that {@code ma} cannot tear; the bulk calls live in
 * {@code BulkOperations}.)
 */
public final class MemcachedStore implements Store, Leases {
    private static final int GET = codes(VA, EN);
    private static final int HAS = codes(HD, EN);
    private static final int STORE = codes(HD, NS, EX, NF);
    private static final int DELETE = codes(HD, NF, EX);
    private static final int ARITH = codes(VA, HD, NF, NS, EX);
    /** Attempts of a CAS loop before giving up; each lost race means another writer made progress. */
    private static final int CAS_RETRIES = 1000;

    private final MemcachedSettings settings;
    private final StoreCapabilities capabilities;
    private final MemcachedClient client;
    private final Namespace namespace;
    private final BulkOperations bulk;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MemcachedStore(MemcachedSettings settings) {
        this.settings = settings;
        this.capabilities = new StoreCapabilities(settings.maxValueBytes, true, true, true, true);
        this.client = new MemcachedClient(settings);
        this.bulk = new BulkOperations(client, settings);
        this.namespace = settings.flushOnClear ? null : new Namespace(client, settings.keyPrefix);
    }

    /** Opens the store of {@code config}; options are checked, connections open lazily. */
    public static MemcachedStore open(CacheConfig config) {
        return new MemcachedStore(MemcachedSettings.of(config));
    }

    /**
     * The item limit ({@code item_size_max} less the item overhead, or {@code max_item_bytes}),
     * blocking, memcached's own expiry, an atomic incr ({@code ma}, or a CAS loop on the
     * server), and leases.
     */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    /** This store: memcached's leases are always there. */
    @Override
    public Optional<Leases> leases() {
        return Optional.of(this);
    }

    // ---- keys, time, replies ----

    private String namespacePrefix() {
        if (closed.get()) {
            throw new IllegalStateException("memcached store is closed");
        }
        return namespace == null ? "" : namespace.prefix();
    }

    private WireKey wire(String key) {
        return WireKeys.encode(namespacePrefix(), key);
    }

    private long now() {
        return settings.clock.millis();
    }

    private MetaCommands commands(int sizeHint) {
        return new MetaCommands(client.alloc, sizeHint);
    }

    private String ttlAndFlags(long expiresAt) {
        return Deadlines.ttlAndFlags(expiresAt, now());
    }

    /** Sends {@code c} (one reply per command) to the node of {@code k} and waits. */
    private MetaResponse[] call(WireKey k, MetaCommands c, int[] allowed, String what) {
        MetaResponse[] r = client.await(client.send(client.nodeFor(k), c, allowed, what), what);
        for (MetaResponse m : r) {
            if (m.code == MetaResponse.Code.SERVER_ERROR) {
                throw serverError(m, what);
            }
        }
        return r;
    }

    private MetaResponse call1(WireKey k, MetaCommands c, int allowed, String what) {
        return call(k, c, new int[] {allowed}, what)[0];
    }

    private StoreException serverError(MetaResponse m, String what) {
        String hint = m.message != null && m.message.contains("too large")
                ? "; the server's item size limit (-I) is below item_size_max=" + settings.itemSizeMax
                        + ": set item_size_max to the server's -I" : "";
        return new StoreException("memcached refused " + what + ": SERVER_ERROR " + m.message + hint);
    }

    /** True when a reply to {@code mg ... f t} holds an entry readable now. */
    static boolean readable(MetaResponse r, long now) {
        if (r.code != VA && r.code != HD) {
            return false;
        }
        if (!r.hasTtl) {
            throw new MemcachedFailure("memcached answered a read without the TTL it was asked for: " + r);
        }
        if (r.stale || (r.value != null && r.value.length == 0) || r.size == 0) {
            return false; // invalidated, or a lease placeholder (an empty item): nothing readable
        }
        return Deadlines.deadline(r.clientFlags, r.ttl, now) > now;
    }

    private static long deadlineOf(MetaResponse r, long now) {
        return Deadlines.deadline(r.clientFlags, r.ttl, now);
    }

    /**
     * Whether memcached's {@code ma} takes {@code v} as its number, reliably: spaces around, an
     * optional {@code +}, then a decimal up to {@link Long#MAX_VALUE}. (Its {@code strtoull} takes
     * up to 2^64 - 1, but past {@link Long#MAX_VALUE} it looks for a minus sign, and now and then
     * finds one in the item's memory past the number and refuses: read through {@code ma}, such a
     * value could be refused on every try. cachet's own counters never hold one for longer than
     * the undo of an overflowing {@code incr}.)
     */
    static boolean arithmeticTakes(byte[] v) {
        String t = new String(v, StandardCharsets.US_ASCII).strip();
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.isEmpty() || t.chars().anyMatch(ch -> ch < '0' || ch > '9')) {
            return false;
        }
        try {
            Long.parseLong(t);
            return true;
        } catch (NumberFormatException e) {
            return false; // past Long.MAX_VALUE
        }
    }

    /** memcached may pad a decremented number with spaces; the entry format's integers have none. */
    static byte[] unpadded(byte[] v) {
        int n = v.length;
        if (n == 0 || v[n - 1] != ' ') {
            return v;
        }
        while (n > 0 && v[n - 1] == ' ') {
            n--;
        }
        byte[] t = Arrays.copyOf(v, n);
        return DecimalValues.isDecimal(t) ? t : v;
    }

    // ---- reads ----

    @Override
    public byte[] get(String key) {
        WireKey k = wire(key);
        MetaResponse r = call1(k, commands(k.wire().length + 16).command("mg", k, "v f t", -1), GET, "mg (get)");
        return readable(r, now()) ? unpadded(r.value) : null;
    }

    @Override
    public boolean has(String key) {
        WireKey k = wire(key);
        MetaResponse r = call1(k, commands(k.wire().length + 16).command("mg", k, "f t s", -1), HAS, "mg (has_key)");
        return readable(r, now());
    }

    /**
     * One quiet {@code mg} batch per node, all in flight together (see {@link BulkOperations}).
     *
     * @throws PartialFailureException when some nodes failed (it holds the others' values)
     */
    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        String ns = namespacePrefix();
        return keys.isEmpty() ? Map.of() : bulk.getMany(ns, keys);
    }

    // ---- writes ----

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        WireKey k = wire(key);
        return switch (mode) {
            case SET -> store(k, value, expiresAt, "", "ms (set)") == HD;
            case ADD -> add(k, value, expiresAt);
            case REPLACE -> replace(k, value, expiresAt);
        };
    }

    private MetaResponse.Code store(WireKey k, byte[] value, long expiresAt, String extra, String what) {
        MetaCommands c = commands(k.wire().length + 48 + Math.min(value.length, 16 * 1024))
                .set(k, value, ttlAndFlags(expiresAt) + extra, -1);
        return call1(k, c, STORE, what).code;
    }

    private boolean add(WireKey k, byte[] value, long expiresAt) {
        for (int attempt = 0; attempt < CAS_RETRIES; attempt++) {
            if (store(k, value, expiresAt, " ME", "ms ME (add)") == HD) {
                return true;
            }
            // memcached holds the key: is it readable, or only kept past its deadline?
            MetaResponse r = call1(k, commands(k.wire().length + 16).command("mg", k, "f t c s", -1), HAS, "mg (add check)");
            if (r.code == EN) {
                continue; // gone meanwhile: try the add again
            }
            if (readable(r, now())) {
                return false;
            }
            MetaResponse.Code w = store(k, value, expiresAt, " C" + r.cas, "ms C (add over an expired entry)");
            if (w == HD) {
                return true;
            }
            // EX or NF: someone else wrote or deleted it meanwhile; look again
        }
        throw new StoreException("memcached: add of a key kept changing under " + CAS_RETRIES + " attempts");
    }

    private boolean replace(WireKey k, byte[] value, long expiresAt) {
        return rewriteUnderCas(k, false, r -> value, expiresAt, "replace") != null;
    }

    /**
     * Reads the entry (its flags, TTL and CAS, and its value when {@code withValue}, through
     * {@link #casRead}) and, if it is readable, writes {@code newValue} of it until
     * {@code expiresAt} under the read's CAS, again while another writer gets in between. The
     * entry read when written; null when the entry was not readable or went away.
     */
    private MetaResponse rewriteUnderCas(WireKey k, boolean withValue, Function<MetaResponse, byte[]> newValue,
            long expiresAt, String what) {
        for (int attempt = 0; attempt < CAS_RETRIES; attempt++) {
            MetaResponse r = withValue ? casRead(k, what, false) : call1(k, commands(k.wire().length + 16)
                    .command("mg", k, "f t c s", -1), codes(VA, HD, EN), "mg (" + what + ")");
            if (!readable(r, now())) {
                return null;
            }
            MetaResponse.Code w = store(k, newValue.apply(r), expiresAt, " C" + r.cas, "ms C (" + what + ")");
            if (w == HD) {
                return r;
            }
            if (w == NF) {
                return null;
            }
        }
        throw new StoreException("memcached: " + what + " of a key kept changing under " + CAS_RETRIES + " attempts");
    }

    /**
     * Reads {@code k}'s value, flags, TTL and CAS for a write under that CAS, so that no
     * concurrent {@code ma} can tear the read. memcached's {@code ma}, when it replaces an item
     * that a reader still holds, gives the old item the new one's CAS (its {@code do_add_delta}),
     * so an {@code mg} racing it can answer the old value with the new CAS, and a write under
     * that CAS then drops the increment without a word (a counter incremented and decremented by
     * 3 from 8 threads now and then ended 3 off). A value {@code ma} can change, a plain unsigned
     * decimal, is therefore read through {@code ma D0} itself (value and CAS taken together under
     * the item's lock; it writes back the same digits), with its flags and TTL from an
     * {@code mg} right after (a write in between moves the CAS, and the write under it fails);
     * any other value through {@code mg}, whose item no {@code ma} can have replaced. The first
     * read is the {@code ma} when {@code numberLikely} (a counter's CAS loop), else the
     * {@code mg} (a touch), so the usual case takes one round trip. The reply reads as one to
     * {@code mg <k> v f t c s}.
     */
    private MetaResponse casRead(WireKey k, String what, boolean numberLikely) {
        boolean throughMa = numberLikely;
        for (int attempt = 0; attempt < CAS_RETRIES; attempt++) {
            if (!throughMa) {
                MetaResponse g = call1(k, commands(k.wire().length + 16).command("mg", k, "v f t c s", -1),
                        codes(VA, HD, EN), "mg (" + what + ")");
                if (g.code != VA || !arithmeticTakes(g.value)) {
                    return g; // no ma changes such an item: read whole
                }
                throughMa = true; // a number: read it again, through ma
            }
            MetaCommands c = commands(2 * k.wire().length + 32).command("ma", k, "D0 v c", -1)
                    .command("mg", k, "f t s", -1);
            MetaResponse[] r = call(k, c, new int[] {ARITH, HAS}, "ma D0+mg (" + what + ")");
            MetaResponse a = r[0];
            MetaResponse m = r[1];
            if (a.code == VA) {
                m.value = a.value;
                m.cas = a.cas;
                if (m.code == HD) {
                    m.code = VA;
                }
                return m; // (EN: deleted since: not readable)
            }
            if (a.code != MetaResponse.Code.CLIENT_ERROR) {
                m.code = EN; // NF: missing at the ma, whatever came after
                return m;
            }
            throughMa = false; // not a number (any more): an mg reads it whole
        }
        throw new StoreException("memcached: " + what + " of a key kept changing under " + CAS_RETRIES + " attempts");
    }

    /**
     * One quiet {@code ms} batch per node, all in flight together (see {@link BulkOperations}).
     *
     * @return the keys memcached answered "not stored" for
     * @throws PartialFailureException when some nodes failed, or refused some of the values
     *     (e.g. over the server's item size limit): its failed keys are those, and the keys not
     *     stored; the others are stored
     */
    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        String ns = namespacePrefix();
        return entries.isEmpty() ? Set.of() : bulk.putMany(ns, entries, expiresAt);
    }

    @Override
    public boolean delete(String key) {
        WireKey k = wire(key);
        MetaCommands c = commands(2 * k.wire().length + 24).command("mg", k, "f t s", -1).command("md", k, "", -1);
        MetaResponse[] r = call(k, c, new int[] {HAS, DELETE}, "mg+md (delete)");
        return readable(r[0], now()) && r[1].code == HD;
    }

    /**
     * {@code mg <k> v f t c}, the bytes compared here, then {@code md <k> C<cas>}: memcached
     * deletes only if the item's CAS is still the one read, so a write that landed in between
     * (a new lease taken after this one expired) is never removed. A placeholder, a stale item
     * or an entry past its deadline is not readable: false, and nothing is sent after the read.
     */
    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        WireKey k = wire(key);
        MetaResponse r = call1(k, commands(k.wire().length + 16).command("mg", k, "v f t c", -1), GET,
                "mg (delete if equals)");
        if (!readable(r, now()) || !Arrays.equals(unpadded(r.value), expected)) {
            return false;
        }
        MetaCommands c = commands(k.wire().length + 32).command("md", k, "C" + r.cas, -1);
        return call1(k, c, DELETE, "md C (delete if equals)").code == HD;
    }

    /**
     * One quiet {@code mg}+{@code md} batch per node, all in flight together (see {@link BulkOperations}).
     *
     * @throws PartialFailureException when some nodes failed (it holds the count the others removed)
     */
    @Override
    public int deleteMany(Collection<String> keys) {
        String ns = namespacePrefix();
        return keys.isEmpty() ? 0 : bulk.deleteMany(ns, keys);
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        return touchAndLength(key, expiresAt) >= 0;
    }

    /** touch reads the value anyway (to write it back under CAS with the new deadline in its flags). */
    @Override
    public long touchAndLength(String key, long expiresAt) {
        MetaResponse r = rewriteUnderCas(wire(key), true, m -> unpadded(m.value), expiresAt, "touch");
        return r == null ? -1 : r.value.length;
    }

    @Override
    public Long incr(String key, long delta) {
        WireKey k = wire(key);
        if (delta >= 0) {
            MetaCommands c = commands(2 * k.wire().length + 40).command("mg", k, "f t s", -1)
                    .command("ma", k, "D" + delta + " v c", -1);
            MetaResponse[] r = call(k, c, new int[] {HAS, ARITH}, "mg+ma (incr)");
            MetaResponse a = r[1];
            // mg and ma are two commands: a key missing at the mg that another client set before
            // the ma was incremented by it, so that increment counts; an entry past its deadline
            // (memcached keeps it a second longer) does not
            boolean setInBetween = r[0].code == EN && a.code == VA;
            if (!setInBetween && !readable(r[0], now())) {
                return null;
            }
            if (a.code == VA) {
                String text = new String(a.value, StandardCharsets.US_ASCII).trim();
                long v;
                try {
                    v = Long.parseUnsignedLong(text);
                } catch (NumberFormatException e) {
                    throw new MemcachedFailure("memcached answered incr with " + ResponseDecoder.printable(text));
                }
                if (v < 0) {
                    undoOverflow(k, delta, a.cas, v, deadlineOf(r[0], now()));
                    throw new ArithmeticException("incr by " + delta + " overflows a long");
                }
                return v;
            }
            if (a.code == NF) {
                return null;
            }
            if (a.code != MetaResponse.Code.CLIENT_ERROR) {
                throw new MemcachedFailure("memcached answered incr with " + a);
            }
            // a negative or non-numeric value: the CAS loop tells which
        }
        return incrUnderCas(k, delta, delta < 0); // (a positive delta gets here when ma found no number)
    }

    /**
     * Undoes an increment that went past Long.MAX_VALUE (the entry format's integers are signed)
     * by writing the value before it back under the item's CAS, with the deadline it had: a write
     * that got in since is never changed. (Not by a decrement: memcached refuses to decrement a
     * value past Long.MAX_VALUE now and then, "non-numeric value", as its parser's check for a
     * minus sign can read past the number into whatever the item's memory held before.) When the
     * CAS has moved, the item is read again and the undo retried as long as it still holds a
     * value past Long.MAX_VALUE (left so, a reader would find an integer it cannot hold).
     */
    private void undoOverflow(WireKey k, long delta, long cas, long overflowed, long expiresAt) {
        for (int attempt = 0; attempt < CAS_RETRIES; attempt++) {
            byte[] before = Long.toUnsignedString(overflowed - delta).getBytes(StandardCharsets.US_ASCII);
            MetaResponse.Code w = store(k, before, expiresAt, " C" + cas, "ms C (undo incr)");
            if (w == HD || w == NF) {
                return; // undone (or the item is gone)
            }
            MetaResponse r = call1(k, commands(k.wire().length + 16).command("mg", k, "v f t c", -1), GET,
                    "mg (undo incr)");
            if (r.code != VA) {
                return;
            }
            String text = new String(unpadded(r.value), StandardCharsets.US_ASCII);
            if (!DecimalValues.isDecimal(unpadded(r.value)) || text.startsWith("-") || text.length() < 19
                    || Long.parseUnsignedLong(text) >= 0) {
                return; // another write replaced the overflowed value
            }
            cas = r.cas;
            overflowed = Long.parseUnsignedLong(text);
            expiresAt = deadlineOf(r, now());
        }
        throw new StoreException("memcached: could not undo an overflowing incr of a key that kept changing");
    }

    /**
     * The CAS loop of a decrement, or of an increment of a value {@code ma} does not take: read
     * (see {@link #casRead}; through {@code ma} first when {@code numberLikely}), add, write
     * under the read's CAS, again while another writer gets in between.
     */
    private Long incrUnderCas(WireKey k, long delta, boolean numberLikely) {
        for (int attempt = 0; attempt < CAS_RETRIES; attempt++) {
            MetaResponse r = casRead(k, "incr", numberLikely);
            long now = now();
            if (!readable(r, now)) {
                return null;
            }
            long next = Math.addExact(DecimalValues.parse(unpadded(r.value)), delta);
            long deadline = deadlineOf(r, now);
            MetaResponse.Code w = store(k, DecimalValues.bytes(next), deadline, " C" + r.cas, "ms C (incr)");
            if (w == HD) {
                return next;
            }
            if (w == NF) {
                return null;
            }
        }
        throw new StoreException("memcached: incr of a key kept changing under " + CAS_RETRIES + " attempts");
    }

    /**
     * Clears a prefix's scope by bumping that prefix's namespace generation (every key the
     * caches of that prefix wrote, of any version, unreachable at once; other caches untouched):
     * this store's own namespace for its own prefix, else the counter of the scope's prefix,
     * which is where caches of that prefix keep their keys. With {@code flush_on_clear=true},
     * {@code flush_all} on every node instead. {@link KeyScope#everything()} (a cache with a custom
     * key function) empties every node with {@code flush_all}, as Django's memcached
     * {@code clear} does; the namespace then starts a fresh generation.
     */
    @Override
    public void clear(KeyScope scope) {
        if (closed.get()) {
            throw new IllegalStateException("memcached store is closed");
        }
        if (namespace != null && !scope.isEverything()) {
            (scope.prefix().equals(settings.keyPrefix) ? namespace : new Namespace(client, scope.prefix())).bump();
            return;
        }
        List<CompletableFuture<MetaResponse[]>> all = new ArrayList<>();
        for (Node n : client.nodes()) {
            all.add(client.send(n, commands(16).line("flush_all"), new int[] {codes(OK)}, "flush_all (clear)"));
        }
        for (CompletableFuture<MetaResponse[]> f : all) {
            client.await(f, "flush_all (clear)");
        }
        if (namespace != null) {
            namespace.bump(); // the counter went with the flush: start the new one now, not at the next refresh
        }
    }

    /** Each node's state and {@code stats}; this cache's own entries are unknown (memcached cannot count a prefix). */
    @Override
    public dev.cachet.spi.StoreStats stats(KeyScope scope) {
        return NodeStats.of(settings, client.nodes());
    }

    // ---- leases ----

    @Override
    public LeaseRead readOrLease(String key, long leaseExpiresAt) {
        WireKey k = wire(key);
        long ttl = Deadlines.ttl(leaseExpiresAt, now(), System.currentTimeMillis());
        MetaResponse r = call1(k, commands(k.wire().length + 32).command("mg", k, "v f t c N" + Math.max(1, ttl), -1), GET,
                "mg N (read or lease)");
        if (r.code == EN) {
            return new LeaseRead(null, 0, false, false, false);
        }
        long now = now();
        boolean hasValue = r.value.length > 0 && Deadlines.deadline(r.clientFlags, r.ttl, now) > now;
        return new LeaseRead(hasValue ? unpadded(r.value) : null, r.cas, r.won, r.stale, r.winnerExists);
    }

    @Override
    public boolean fillLease(String key, byte[] value, long expiresAt, long cas) {
        return store(wire(key), value, expiresAt, " C" + cas, "ms C (fill lease)") == HD;
    }

    @Override
    public boolean invalidate(String key, long staleExpiresAt) {
        WireKey k = wire(key);
        long ttl = Deadlines.ttl(staleExpiresAt, now(), System.currentTimeMillis());
        MetaCommands c = commands(k.wire().length + 24).command("md", k, "I T" + Math.max(1, ttl), -1);
        return call1(k, c, DELETE, "md I (invalidate)").code == HD;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return settings.toString();
    }

    /** For tests: the client's nodes. */
    List<Node> nodes() {
        return client.nodes();
    }
}
