package dev.cachet.spi;

/** How {@link Store#put} treats an existing readable entry. */
public enum PutMode {
    /** Store, replacing any entry. */
    SET,
    /** Store only when the key holds nothing readable (absent or expired); atomic. */
    ADD,
    /** Store only when the key holds a readable entry; atomic. */
    REPLACE
}
