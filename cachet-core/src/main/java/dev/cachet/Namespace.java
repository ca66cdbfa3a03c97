package dev.cachet;

import java.time.Duration;
import java.util.List;

/**
 * A view of a cache whose keys live in a namespace that can be invalidated as a whole in O(1):
 * memcached's "per-user version" made first class. Made by {@link Cache#namespace(String)}:
 * <pre>
 * Namespace user = cache.namespace("user:42");
 * user.set("links:page:1", page);
 * user.invalidate();   // every key of user:42 misses from now on, in every process
 * user.expire();       // or: every key is stale, served while it is recomputed
 * </pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every {@link Cache} operation works in the namespace with its usual meaning, on every
 *       backend: keys given and returned ({@code getMany}, {@code setMany}) are the user's keys;
 *       two namespaces, and the parent's own keys, never see each other's entries. Entries are
 *       stored in the parent cache (its prefix, key function, timeouts, codec and error policy)
 *       under a reserved key shape starting with the characters U+0000, {@code ns}, U+0000,
 *       which the key policy hashes; keys of that shape in the parent are reserved. A cache
 *       with {@code strict_keys} refuses hashed keys, so its namespaces refuse every key with
 *       {@link InvalidKeyException}.</li>
 *   <li>The namespace has a <b>generation</b>, a counter stored in the parent with no expiry
 *       under the reserved key U+0000, {@code nsgen}, U+0000, then the name (in Java,
 *       {@code "\0nsgen\0" + name}), and part of every entry's stored key. {@link #invalidate()} is one
 *       atomic increment of that counter: the entries of the old generation are not deleted but
 *       no longer read, and age out by their timeouts (or the backend's eviction).
 *       {@link #expire()} moves the generation too, after recording the one it leaves, whose
 *       entries a {@code getOrSet} with freshness then serves as stale while it recomputes
 *       them.</li>
 *   <li><b>Cost</b>: every operation reads the generation first, one more round trip to the
 *       backend, unless the namespace was made with a {@linkplain Cache#namespace(String,
 *       Duration) generation hold}: a generation read is then reused in this object for that
 *       long, and within it another process's {@code invalidate()} may not be seen (this
 *       object's own are).</li>
 *   <li>When the counter is absent (first use, or evicted: memcached and LRUs may drop it) it is
 *       created with {@code add} at the current time in milliseconds, so a re-created
 *       generation is never one that entries still stored were written with, as long as the
 *       namespace was invalidated less than once per millisecond on average since its counter
 *       was created and the clocks of the processes sharing it roughly agree.</li>
 *   <li>{@link #name()} and {@link #version()} are the parent's; {@link #withVersion(int)} is
 *       this namespace over the parent's version view (one generation for all versions).
 *       {@link #clear()} is {@link #invalidate()}. {@link #close()} does nothing: a namespace is
 *       a view, and its parent's {@code close} ends it. {@link #async()} reads the generation
 *       and runs the operation through the parent's async face.</li>
 *   <li>Namespaces nest: {@code ns.namespace("x")} lives inside {@code ns}, so invalidating
 *       {@code ns} invalidates it too.</li>
 *   <li>Reads ({@code get}, {@code lookup}, {@code getOrSet}, {@code getMany}) are counted in a
 *       bounded-memory frequency sketch shared by the namespaces made from one cache object:
 *       {@link #hotKeys(int)} and {@link Cache#hotNamespaces(int)}.</li>
 * </ul>
 * Thread-safe.
 */
public interface Namespace extends Cache {

    /** The namespace's own name (as given to {@link Cache#namespace(String)}). */
    String namespaceName();

    /** The names from the outermost namespace to this one, joined by {@code /} (the name itself when not nested). */
    String path();

    /** How long a generation read is reused; zero means every operation reads it. */
    Duration generationHold();

    /**
     * Makes every key of this namespace (and of the namespaces nested in it) miss from now on,
     * for every process sharing the backend, with one atomic increment of the generation (or,
     * when the counter was evicted, one {@code add} that re-creates it). Entries already stored
     * age out by their timeouts. After an {@link #expire()}, here or in another process, their
     * previous values become unreachable too; a nested namespace writes one more key for that
     * (its record, so that its parent's previous generation is not used for it).
     *
     * @throws CacheException when the backend fails, whatever the error policy
     */
    void invalidate();

    /**
     * Makes every entry of this namespace (and of the namespaces nested in it) <b>stale</b>
     * from now on, for every process sharing the backend: FusionCache's "expire" beside
     * {@link #invalidate()}'s "remove". The values stay readable as the previous ones while they
     * are recomputed:
     * <ul>
     *   <li>{@code getOrSet(key, type, loader, freshness)} with a {@link Freshness} whose
     *       {@code freshFor} is set serves the previous value at once and recomputes it in the
     *       background, the fresh-data pipeline's stale-while-revalidate (one load per key in
     *       the process and, with leases, in the cluster; counted as {@code staleServed} and a
     *       started refresh in {@link CacheStats}); the new value is stored under the new
     *       generation. Where the pipeline lets a stale value stand in (a {@code Freshness}
     *       with fail-safe, when the loader fails, passes its hard timeout or its soft one),
     *       the previous value stands in. A value written with plain {@code set} counts as stale too.
     *       {@code getOrSetMany} with such a {@code Freshness} does the same per key.</li>
     *   <li>Every other read ({@code get}, {@code lookup}, {@code hasKey}, {@code getMany},
     *       {@code getOrSet} with a {@link Timeout}, and a {@code Freshness} with neither
     *       {@code freshFor} nor fail-safe) misses, as after {@link #invalidate()}.</li>
     *   <li>{@link #invalidate()} afterwards makes the previous values unreachable (hard
     *       invalidation wins), and so does another process's.</li>
     *   <li>The namespace's hottest keys that have a {@linkplain #registerLoader registered
     *       loader} are recomputed in the background, as after {@link #invalidate()}.</li>
     *   <li>Only the last expiry is remembered: after two in a row, the previous values are the
     *       ones stored between them, and a key not recomputed in between misses.</li>
     *   <li>Nested namespaces: after this namespace's expiry, a namespace nested in it serves
     *       the values it had before as previous ones too, unless it was invalidated since.</li>
     * </ul>
     * <b>Cost</b>: writes the generation it leaves under the reserved key U+0000, {@code nsprev},
     * U+0000, then the name (no expiry), then increments the generation: two writes and a read
     * (a third write when another process moved the generation between them). A read pays
     * nothing more on a hit; only a miss in a {@code getOrSet} whose {@code Freshness} has
     * {@code freshFor} or fail-safe reads that record and then the previous entry (two more
     * round trips; in a nested namespace one more per level read from the backend), and
     * {@code getOrSetMany} does it once for all its misses. Entries of the previous
     * generation age out by their timeouts; a previous value that stands in is never kept past
     * its own deadline. Works through version views and with a generation hold (this object
     * sees its own expiry at once; another view with a hold sees it when its hold ends, as for
     * {@code invalidate()}). When the record cannot be written (a backend failing under the
     * {@code degrade} policy), it acts as {@code invalidate()}.
     * Needs the parent cache's fresh-data pipeline: a namespace over a user's
     * {@link ForwardingCache} misses after {@code expire()} as after {@code invalidate()}.
     *
     * @throws CacheException when the backend fails, whatever the error policy
     */
    void expire();

    /**
     * The at most {@code n} keys of this namespace read most often recently in this process,
     * most read first. Estimated by a count-min sketch that halves its counts periodically
     * (TinyLFU's aging), over the reads of every namespace made from the same cache object;
     * a namespace's keys are found when they are among that cache's 512 most read
     * (namespace, key) pairs, so a namespace rarely read has none.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    List<String> hotKeys(int n);

    /**
     * The at most {@code n} namespaces nested directly in this one that were read most often
     * recently in this process (their names), most read first.
     */
    @Override
    List<String> hotNamespaces(int n);
}
