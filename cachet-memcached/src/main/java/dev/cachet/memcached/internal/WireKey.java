package dev.cachet.memcached.internal;

/**
 * A key as memcached receives it: {@code wire} is what goes on the command line (printable
 * ASCII, no spaces, at most 250 bytes), {@code base64} says whether it is base64 (sent with the
 * {@code b} flag), and {@code item} is the key memcached stores (the decoded bytes), which is
 * what the ketama ring hashes.
 */
record WireKey(byte[] wire, boolean base64, byte[] item) {
}
