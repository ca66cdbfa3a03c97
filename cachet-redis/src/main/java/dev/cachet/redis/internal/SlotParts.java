package dev.cachet.redis.internal;

import dev.cachet.spi.BulkFailures;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.StoreException;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The parts of a multi-key call: one command per group of keys (on a standalone server one
 * group; in a cluster one per hash slot, since a multi-key command must not cross slots), all in
 * flight together, then awaited in order. A part fails or succeeds alone, so a master that
 * cannot be reached fails its slots' keys and the rest of the call stands: the call then throws
 * {@link PartialFailureException} (or, when every part failed, the first failure), as
 * {@link BulkFailures} rules.
 */
final class SlotParts {
    private SlotParts() {
    }

    /** One command of a multi-key call: the keys it carries and its reply to come. */
    record Part<T>(List<String> keys, Future<T> reply) {
    }

    /** Sends {@code send} for each group of keys; a command that cannot be sent is a failed part. */
    static <T> List<Part<T>> send(Collection<List<String>> groups, Function<String[], RedisFuture<T>> send) {
        List<Part<T>> parts = new ArrayList<>(groups.size());
        for (List<String> g : groups) {
            Future<T> reply;
            try {
                reply = send.apply(g.toArray(new String[0]));
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            parts.add(new Part<>(g, reply));
        }
        return parts;
    }

    /**
     * Waits for every part in order and hands each reply to {@code accept}; once a reply is
     * overdue (Lettuce never completed it), the parts still unanswered fail at once rather than
     * after a wait each. Then throws for the parts that failed: their first failure when all did,
     * else what {@code partial} makes of them.
     */
    static <T> void await(Replies replies, String command, List<Part<T>> parts, Consumer<T> accept,
            Function<BulkFailures, PartialFailureException> partial) {
        BulkFailures failed = new BulkFailures();
        int failedParts = 0;
        boolean overdue = false;
        for (Part<T> p : parts) {
            StoreException e;
            try {
                if (overdue && !p.reply().isDone()) {
                    p.reply().cancel(true);
                    throw replies.abandoned(command);
                }
                accept.accept(replies.awaitChecked(command, p.reply()));
                continue;
            } catch (ExecutionException x) {
                e = replies.failure(command, x);
            } catch (StoreException x) {
                overdue = true; // no reply within the wait (or interrupted)
                e = x;
            } catch (RuntimeException x) {
                e = replies.failure(command, x); // e.g. cancelled as the connection closed
            }
            failed.add(p.keys(), e);
            failedParts++;
        }
        failed.throwIfAny(failedParts == parts.size(), partial);
    }
}
