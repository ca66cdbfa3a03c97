package dev.cachet;

/**
 * A stored value a cache read but could not decode, and left in place: its class is missing from
 * this reader's class path or refused by its allow-list, or another codec wrote it (see
 * {@link Cache}'s contract: such a read is a miss for this reader only). For tools that explain a
 * miss; {@link Caches#lastUnreadable(Cache)} returns the last one a cache saw.
 *
 * @param shownKey the user's key, control characters escaped
 * @param codec the codec that wrote the value (its name, or {@code id N} for one this reader lacks)
 * @param className the value's class when the bytes name one, else null
 * @param size the stored value's size in bytes
 * @param reason why this reader could not decode it
 */
public record UnreadableValue(String shownKey, String codec, String className, long size, String reason) {
    /** One line: {@code a com.acme.Order (codec java, 412 bytes): reason}. */
    public String describe() {
        return (className == null ? "a value" : "a " + className) + " (codec " + codec + ", " + size + " bytes): "
                + reason;
    }
}
