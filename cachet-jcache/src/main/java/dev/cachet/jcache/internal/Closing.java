package dev.cachet.jcache.internal;

import java.io.Closeable;

/** Closes what a cache created from its configuration's factories (loaders, writers, listeners, policies). */
final class Closing {
    private Closing() {
    }

    static void quietly(Object o) {
        if (o instanceof Closeable c) {
            try {
                c.close();
            } catch (Exception e) {
                // the cache is closing: a failure to close a user's object must not stop the rest
                System.getLogger(Closing.class.getName()).log(System.Logger.Level.WARNING,
                        "closing " + o.getClass().getName() + " failed: " + e);
            }
        }
    }
}
