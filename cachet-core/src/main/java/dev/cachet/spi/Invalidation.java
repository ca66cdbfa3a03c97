package dev.cachet.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One message on a {@link Backplane}: what a two-level cache announces to the other instances
 * sharing its backend, and the heartbeat that proves the channel works. Every message carries
 * its publisher's <b>epoch</b> (a random id chosen when the publisher starts) and a
 * <b>sequence</b> number (1, 2, 3, ... per epoch, heartbeats included), so a receiver can tell
 * a lost message (a gap), a restarted publisher (a new epoch) and a silent one (no heartbeat).
 * The backplane only carries the text of {@link #encode()}; the rules live in the core.
 *
 * @param kind what the message says
 * @param target the stored key ({@code version:key}) of a {@link Kind#KEY}, the tag of a
 *     {@link Kind#TAG}, empty for the other kinds; any string
 * @param epoch the publisher's epoch: letters and digits
 * @param sequence the publisher's message number in its epoch, from 1
 * @param sentAtMillis the publisher's wall clock when it sent the message
 */
public record Invalidation(Kind kind, String target, String epoch, long sequence, long sentAtMillis) {
    /** The largest encoded message, in UTF-8 bytes (below PostgreSQL's 8000-byte NOTIFY payload). */
    public static final int MAX_ENCODED_BYTES = 7900;

    /** What a message says. */
    public enum Kind {
        /** Drop the local copy of one key ({@link #target()} is {@code version:key}). */
        KEY('k'),
        /** Drop every local copy that may carry the tag {@link #target()}. */
        TAG('t'),
        /** Drop every local copy. */
        CLEAR('c'),
        /** Nothing changed: the publisher is alive and this is its next sequence number. */
        HEARTBEAT('h'),
        /** The publisher closed; its sequence ends here. */
        LEAVE('l');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    public Invalidation {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(target, "target must not be null");
        Objects.requireNonNull(epoch, "epoch must not be null");
        if (epoch.isEmpty() || !epoch.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("invalidation epoch '" + epoch + "' must be letters and digits");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("invalidation sequence must be positive: " + sequence);
        }
    }

    /**
     * The message as text: {@code kind|epoch|sequence|sentAtMillis|target}, the target last and
     * verbatim (it may hold any character).
     *
     * @throws IllegalArgumentException when it would exceed {@link #MAX_ENCODED_BYTES}
     */
    public String encode() {
        String s = kind.code + "|" + epoch + "|" + sequence + "|" + sentAtMillis + "|" + target;
        if (s.length() * 3 > MAX_ENCODED_BYTES && s.getBytes(StandardCharsets.UTF_8).length > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("invalidation of '" + target.substring(0, Math.min(64, target.length()))
                    + "...' is over " + MAX_ENCODED_BYTES + " bytes encoded");
        }
        return s;
    }

    /**
     * The message {@code text} holds, as {@link #encode()} wrote it.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text} (it is quoted, cut at 80 characters)
     */
    public static Invalidation decode(String text) {
        Objects.requireNonNull(text, "text must not be null");
        String[] parts = text.split("\\|", 5);
        if (parts.length != 5 || parts[0].length() != 1 || Kind.of(parts[0].charAt(0)) == null) {
            throw bad(text, "is not kind|epoch|sequence|sentAtMillis|target with kind one of k t c h l");
        }
        long sequence;
        long sentAt;
        try {
            sequence = Long.parseLong(parts[2]);
            sentAt = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            throw bad(text, "has a sequence or time that is not an integer");
        }
        try {
            return new Invalidation(Kind.of(parts[0].charAt(0)), parts[4], parts[1], sequence, sentAt);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String text, String problem) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new IllegalArgumentException("backplane message '" + shown + "' " + problem);
    }
}
