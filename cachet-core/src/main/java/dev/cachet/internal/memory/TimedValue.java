package dev.cachet.internal.memory;

/** A value with its absolute deadline in epoch millis ({@link dev.cachet.spi.Store#NEVER} for none). */
record TimedValue(Object value, long expiresAt) {
}
