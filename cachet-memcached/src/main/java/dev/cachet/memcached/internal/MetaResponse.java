package dev.cachet.memcached.internal;

/**
 * One reply of the meta protocol, parsed: its code, the value of a {@code VA} reply, and the
 * return flags cachet asks for ({@code f t c O W X Z}). Made on the event loop, then handed to
 * one waiting request; not shared.
 */
final class MetaResponse {
    /** The reply codes the client understands. */
    enum Code {
        /** {@code VA <size>}: a value follows. */
        VA,
        /** {@code HD}: success without a value. */
        HD,
        /** {@code EN}: a miss (meta get). */
        EN,
        /** {@code NS}: not stored. */
        NS,
        /** {@code EX}: the CAS did not match. */
        EX,
        /** {@code NF}: not found. */
        NF,
        /** {@code MN}: the end of a quiet batch. */
        MN,
        /** {@code OK}: {@code flush_all} done. */
        OK,
        /** {@code CLIENT_ERROR <message>}. */
        CLIENT_ERROR,
        /** {@code SERVER_ERROR <message>}. */
        SERVER_ERROR
    }

    static final long NO_OPAQUE = -1;

    Code code;
    byte[] value;
    /** The client flags ({@code f}), unsigned 32-bit; 0 when not returned. */
    long clientFlags;
    boolean hasTtl;
    /** Remaining TTL in seconds ({@code t}); -1 for none. */
    long ttl;
    long cas;
    /** The value's size ({@code s}); -1 when not returned. */
    long size = -1;
    long opaque = NO_OPAQUE;
    boolean won;
    boolean stale;
    boolean winnerExists;
    /** The text of an error reply. */
    String message;

    boolean isError() {
        return code == Code.CLIENT_ERROR || code == Code.SERVER_ERROR;
    }

    @Override
    public String toString() {
        return code + (value == null ? "" : " (" + value.length + " bytes)") + (message == null ? "" : " " + message);
    }
}
