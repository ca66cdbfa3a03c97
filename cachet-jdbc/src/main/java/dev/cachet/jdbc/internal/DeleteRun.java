package dev.cachet.jdbc.internal;

/**
 * One run of bounded DELETEs through a table (a purge, a cull's deletes, a clear): whether it
 * has reached the end of what it deletes, and, for a dialect that starts each DELETE where the
 * previous one ended ({@link MariaDbSql}), the last row that DELETE covered in
 * {@code (expires, cache_key)} order. The other dialects only mark the end. Not thread-safe:
 * one run, one thread at a time (its DELETEs may use different connections).
 */
final class DeleteRun {
    /** True once a DELETE found fewer rows than it was allowed to remove: nothing is left to delete. */
    boolean ended;
    /** The {@code expires} of the last row covered so far; meaningful when {@link #key} is not null. */
    long expires;
    /** The {@code cache_key} of the last row covered so far, or null before the first DELETE. */
    String key;

    /** Records a DELETE that removed {@code removed} rows of at most {@code limit}; returns {@code removed}. */
    int removed(int removed, int limit) {
        if (removed < limit) {
            ended = true;
        }
        return removed;
    }
}
