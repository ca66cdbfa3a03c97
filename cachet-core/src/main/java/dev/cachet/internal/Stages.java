package dev.cachet.internal;

import dev.cachet.Timeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Helpers of {@link dev.cachet.AsyncCache}'s default methods, which must report a bad argument
 * through the stage they return rather than throw it.
 */
public final class Stages {
    private Stages() {
    }

    /**
     * {@code op} applied to {@link Timeout#of(Duration) Timeout.of(timeout)}; a {@code null}
     * {@code timeout} (or anything else {@code op} throws) completes the returned stage
     * exceptionally instead of being thrown.
     */
    public static <T> CompletionStage<T> with(Duration timeout, Function<Timeout, CompletionStage<T>> op) {
        try {
            return op.apply(Timeout.of(timeout));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
