package dev.cachet.spi;

/**
 * Django's {@code MAX_ENTRIES} / {@code CULL_FREQUENCY} arithmetic, once for every store that
 * culls (files, SQL tables). A store culls before a write that would add an entry; it first
 * removes expired entries, then asks {@link #toRemove} how many live ones go.
 */
public final class Culling {
    private Culling() {
    }

    /**
     * How many entries to remove before adding one, when the store holds {@code entries}
     * (expired ones already gone) and may hold {@code maxEntries}: none below the limit;
     * {@code entries} (all) when {@code cullFrequency} is 0; otherwise Django's
     * {@code entries / cullFrequency}, but always enough that the write to come leaves at most
     * {@code maxEntries} (Django's share can be too few: with a frequency above the count it is
     * none, and the store never gets back under its limit).
     *
     * @throws IllegalArgumentException for a negative count, a limit below 1 or a negative
     *     frequency
     */
    public static long toRemove(long entries, long maxEntries, int cullFrequency) {
        if (entries < 0 || maxEntries < 1 || cullFrequency < 0) {
            throw new IllegalArgumentException("culling needs entries >= 0, max_entries >= 1 and cull_frequency >= 0, not "
                    + entries + ", " + maxEntries + ", " + cullFrequency);
        }
        if (entries < maxEntries) {
            return 0;
        }
        if (cullFrequency == 0) {
            return entries;
        }
        return Math.max(entries / cullFrequency, entries - maxEntries + 1);
    }
}
