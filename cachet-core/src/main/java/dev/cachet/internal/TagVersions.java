package dev.cachet.internal;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tag versions: each tag has a version kept in the cache (under a reserved hashed key of the
 * cache's prefix, so {@code clear} takes it too); an entry records its tags' versions when
 * written, and reads as a miss once any of them moved. {@link #invalidate} is one increment.
 * A tag's first version is the current time in millis, so a version that vanished (evicted,
 * cleared) and is made again never equals one an old entry recorded.
 */
final class TagVersions {
    private final EntryStore entries;
    private final KeyPolicy keys;
    private final Clock clock;

    TagVersions(EntryStore entries, KeyPolicy keys, Clock clock) {
        this.entries = entries;
        this.keys = keys;
        this.clock = clock;
    }

    private String storeKey(String tag) {
        return keys.hashed("\u0000tag\u0000" + tag);
    }

    /** The current version of each tag, making the missing ones. */
    long[] current(String[] tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String t : tags) {
            byKey.put(storeKey(t), t);
        }
        Map<String, Object> found = entries.getMany(byKey.keySet());
        long[] out = new long[tags.length];
        for (int i = 0; i < tags.length; i++) {
            String k = storeKey(tags[i]);
            Object v = found.get(k);
            out[i] = v instanceof Long n ? n : make(k);
        }
        return out;
    }

    /** The version under {@code k}, made now when it is missing (the winner's, if another made it first). */
    private long make(String k) {
        long initial = clock.millis();
        if (entries.put(k, initial, Store.NEVER, PutMode.ADD)) {
            return initial;
        }
        Object v = entries.get(k).value();
        if (v instanceof Long n) {
            return n;
        }
        entries.put(k, initial, Store.NEVER, PutMode.SET);
        return initial;
    }

    /** Moves {@code tag}'s version: every entry written with the old one reads as a miss. */
    void invalidate(String tag) {
        String k = storeKey(tag);
        Long moved = entries.incr(k, 1);
        if (moved == null) {
            make(k);
        }
    }

    /** The keys (of {@code stamps}) whose entries carry a tag version that moved. One read for all. */
    Set<String> outdated(Map<String, Stamped> stamps) {
        Set<String> tagKeys = new LinkedHashSet<>();
        for (Stamped s : stamps.values()) {
            for (String t : s.tags()) {
                tagKeys.add(storeKey(t));
            }
        }
        if (tagKeys.isEmpty()) {
            return Set.of();
        }
        Map<String, Object> versions = entries.getMany(tagKeys);
        List<String> out = new ArrayList<>();
        stamps.forEach((key, s) -> {
            for (int i = 0; i < s.tags().length; i++) {
                Object v = versions.get(storeKey(s.tags()[i]));
                if (!(v instanceof Long n) || n != s.tagVersions()[i]) {
                    out.add(key);
                    return;
                }
            }
        });
        return new LinkedHashSet<>(out);
    }

    /** True when {@code s} carries a tag version that moved. */
    boolean outdated(Stamped s) {
        return s.isTagged() && !outdated(Map.of("", s)).isEmpty();
    }

    /** Checks tag names: non-null, non-empty. */
    static String[] names(Collection<String> tags) {
        Set<String> unique = new LinkedHashSet<>();
        for (String t : tags) {
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("a tag must be a non-empty string, not " + (t == null ? "null" : "''"));
            }
            unique.add(t);
        }
        return unique.toArray(new String[0]);
    }
}
