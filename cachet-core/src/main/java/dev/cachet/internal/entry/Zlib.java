package dev.cachet.internal.entry;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A small pool of zlib deflaters (one per level) and inflaters. Each holds native memory (a
 * deflater at level 1 about 256 KiB of window and hash tables) whose set-up costs more than
 * deflating a few kilobytes, so an entry borrows one and gives it back reset. At most
 * {@link #KEEP} of each kind are kept; one given back beyond that is ended at once. Borrowers
 * never share an instance: a pooled instance is in the queue or with exactly one borrower.
 */
final class Zlib {
    static final int KEEP = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final ArrayBlockingQueue<Inflater> INFLATERS = new ArrayBlockingQueue<>(KEEP);
    private static final Object[] DEFLATERS = new Object[Deflater.BEST_COMPRESSION + 1];

    static {
        for (int level = 0; level < DEFLATERS.length; level++) {
            DEFLATERS[level] = new ArrayBlockingQueue<Deflater>(KEEP);
        }
    }

    private Zlib() {
    }

    @SuppressWarnings("unchecked")
    private static ArrayBlockingQueue<Deflater> deflaters(int level) {
        return (ArrayBlockingQueue<Deflater>) DEFLATERS[level];
    }

    /** A deflater at {@code level} (0-9), fresh or reset; give it back with {@link #release(Deflater, int)}. */
    static Deflater deflater(int level) {
        Deflater d = deflaters(level).poll();
        return d != null ? d : new Deflater(level);
    }

    /** Gives back {@code d}, borrowed at {@code level}: reset and kept, or ended when the pool is full. */
    static void release(Deflater d, int level) {
        d.reset();
        if (!deflaters(level).offer(d)) {
            d.end();
        }
    }

    /** An inflater, fresh or reset; give it back with {@link #release(Inflater)}. */
    static Inflater inflater() {
        Inflater i = INFLATERS.poll();
        return i != null ? i : new Inflater();
    }

    /** Gives back {@code i}: reset and kept, or ended when the pool is full. */
    static void release(Inflater i) {
        i.reset();
        if (!INFLATERS.offer(i)) {
            i.end();
        }
    }
}
