package dev.cachet.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A mutable holder of one by-reference entry's value and deadline, so that overwriting an entry
 * allocates nothing (see {@link ReferenceEntryStore}).
 *
 * <p>Rules that keep it linearizable:
 * <ul>
 *   <li>Its content changes only while it is <em>taken</em>: the deadline field doubles as
 *       the lock, swapped by one compare-and-set for {@link #BUSY} and released by storing the
 *       new deadline (cheaper than a monitor, which costs two atomic instructions). A reader
 *       meeting {@code BUSY} waits for the store, a few instructions away. No map operation
 *       runs while a slot is taken, so a map's compute never waits on a slot or back.</li>
 *   <li>A slot is <em>dead</em> (deadline {@link #DEAD}, which reads as expired, for good)
 *       before an operation that depends on its content detaches it from the map (delete,
 *       removal of an expired entry); a writer that finds it dead goes back to the map. A
 *       blind overwrite ({@code set}, eviction, clear) may detach a live slot: a write landing
 *       in it then is ordered before the overwrite.</li>
 *   <li>Writers store the value, then release the new deadline; readers load the deadline,
 *       then the value, with acquire semantics. A reader that sees a deadline therefore sees
 *       that write's value or a later one (never an older value under a newer deadline), and
 *       sees the value's object fully constructed.</li>
 * </ul>
 */
final class Slot {
    /** The deadline of a slot that has been detached, or is being detached, from its map. */
    static final long DEAD = Long.MIN_VALUE;

    private static final VarHandle VALUE;
    private static final VarHandle DEADLINE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE = lookup.findVarHandle(Slot.class, "value", Object.class);
            DEADLINE = lookup.findVarHandle(Slot.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The deadline field while the slot is taken by a writer. */
    private static final long BUSY = Long.MIN_VALUE + 1;

    @SuppressWarnings("unused") // accessed through VALUE
    private Object value;
    @SuppressWarnings("unused") // accessed through DEADLINE
    private long deadline;

    Slot(Object value, long deadline) {
        this.value = value;
        this.deadline = deadline;
    }

    /**
     * The deadline in epoch millis; {@link #DEAD} once detached. Read it before {@link #value}.
     * Waits while a writer has the slot.
     */
    long deadline() {
        long d = (long) DEADLINE.getAcquire(this);
        return d != BUSY ? d : settled();
    }

    private long settled() {
        for (int spins = 0; ; spins++) {
            long d = (long) DEADLINE.getAcquire(this);
            if (d != BUSY) {
                return d;
            }
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the writer was descheduled inside its few instructions
            }
        }
    }

    /** The value, as of the {@link #deadline} read before it or later. */
    Object value() {
        return VALUE.getAcquire(this);
    }

    /** True when the slot holds nothing readable at {@code now} (expired or dead). */
    boolean expired(long now) {
        return deadline() <= now;
    }

    /** Takes the slot and returns its deadline, or returns {@link #DEAD} without taking it. */
    private long take() {
        while (true) {
            long d = deadline();
            if (d == DEAD || DEADLINE.compareAndSet(this, d, BUSY)) {
                return d;
            }
        }
    }

    /** Releases a taken slot with deadline {@code d}. */
    private void release(long d) {
        DEADLINE.setRelease(this, d);
    }

    /** Replaces the content unless the slot is dead; false when it is (go back to the map). */
    boolean overwrite(Object v, long d) {
        if (take() == DEAD) {
            return false;
        }
        VALUE.setRelease(this, v);
        release(d);
        return true;
    }

    /**
     * Marks the slot dead if it is expired at {@code now} (already dead counts); the caller then
     * removes it from the map.
     *
     * @return true when the slot is dead now; false when a write made it live again
     */
    boolean killIfExpired(long now) {
        long d = take();
        if (d == DEAD) {
            return true;
        }
        if (d > now) {
            release(d);
            return false;
        }
        release(DEAD);
        return true;
    }

    /**
     * Marks the slot dead (it has just been detached from the map by a delete).
     *
     * @return true when it held a readable entry at {@code now} until then
     */
    boolean kill(long now) {
        long d = take();
        if (d == DEAD) {
            return false;
        }
        release(DEAD);
        return d > now;
    }

    /**
     * Takes the slot for a change of a live entry: returns its deadline, taken, when it is live
     * at {@code now}; else {@link #DEAD}, not taken (killing it first if it was expired: the
     * caller removes it from the map).
     */
    private long takeLive(long now) {
        long d = take();
        if (d != DEAD && d <= now) {
            release(DEAD);
            return DEAD;
        }
        return d;
    }

    /** What a conditional operation did, for the caller to act on. */
    enum Outcome {
        /** The slot was updated. */
        UPDATED,
        /** The slot is dead: it was expired, or was being removed; remove it and look again. */
        DEAD
    }

    /** Replaces a live slot's content ({@code replace}). */
    Outcome replace(long now, Object v, long d) {
        if (takeLive(now) == DEAD) {
            return Outcome.DEAD;
        }
        VALUE.setRelease(this, v);
        release(d);
        return Outcome.UPDATED;
    }

    /** Replaces a live slot's deadline ({@code touch}). */
    Outcome touch(long now, long d) {
        if (takeLive(now) == DEAD) {
            return Outcome.DEAD;
        }
        release(d);
        return Outcome.UPDATED;
    }

    /**
     * Adds {@code delta} to a live slot's integer, keeping its deadline.
     *
     * @return the new value, or null when the slot is dead (remove it and look again)
     * @throws dev.cachet.NotAnIntegerException when the value is not a Long (slot unchanged)
     * @throws ArithmeticException on overflow (slot unchanged)
     */
    Long incr(long now, long delta) {
        long d = takeLive(now);
        if (d == DEAD) {
            return null;
        }
        try {
            Long sum = ReferenceEntryStore.sum(value(), delta);
            VALUE.setRelease(this, sum);
            return sum;
        } finally {
            release(d);
        }
    }

    /**
     * Stores {@code v} until {@code d} if the slot is expired but not dead at {@code now}
     * ({@code add} over an expired entry).
     *
     * @return UPDATED when stored, DEAD when dead (remove it and look again), or null when the
     *     slot is live (the add loses)
     */
    Outcome revive(long now, Object v, long d) {
        long current = take();
        if (current == DEAD) {
            return Outcome.DEAD;
        }
        if (current > now) {
            release(current);
            return null;
        }
        VALUE.setRelease(this, v);
        release(d);
        return Outcome.UPDATED;
    }
}
