package dev.cachet.spi;

import dev.cachet.CacheConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where secrets are kept out of messages, logs and exception chains. A
 * configuration's secrets are the password of its location's user information
 * ({@code scheme://user:password@host}, or {@code scheme://secret@host} as Redis reads it), the
 * values of {@code password=}, {@code passwd=} and {@code pwd=} parameters in the location, and
 * the values of options whose name contains {@code password}, {@code passwd}, {@code pwd},
 * {@code secret} or {@code token}, each as written and percent-decoded. {@link #scrub(String)}
 * masks every occurrence of each as {@code ***} (and the URL forms {@link CacheConfig#redact}
 * masks), so a driver that repeats a piece of the URL ("Incorrect port value : secret@host")
 * cannot leak one. Immutable and thread-safe.
 */
public final class Secrets {
    private static final Secrets NONE = new Secrets(List.of());
    private static final Pattern PARAMETER = Pattern.compile("(?i)(?:password|passwd|pwd)=([^&;]*)");
    private static final String MASK = "***";

    /** Longest first, so a secret that contains another is masked whole. */
    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** No secrets: scrubbing applies {@link CacheConfig#redact}'s URL forms only. */
    public static Secrets none() {
        return NONE;
    }

    /** The secrets of {@code config}'s location and options. */
    public static Secrets of(CacheConfig config) {
        Set<String> found = new LinkedHashSet<>();
        collect(config.location(), found);
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.contains("password") || name.contains("passwd") || name.contains("pwd") || name.contains("secret")
                    || name.contains("token")) {
                add(e.getValue(), found);
            }
        }
        return found.isEmpty() ? NONE : new Secrets(sorted(found));
    }

    /** The secrets written in {@code location} (user information and password parameters). */
    public static Secrets ofLocation(String location) {
        Set<String> found = new LinkedHashSet<>();
        collect(location, found);
        return found.isEmpty() ? NONE : new Secrets(sorted(found));
    }

    private static List<String> sorted(Set<String> found) {
        List<String> l = new ArrayList<>(found);
        l.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(l);
    }

    private static void collect(String location, Set<String> found) {
        if (location == null) {
            return;
        }
        int start = location.indexOf("//");
        int at = location.lastIndexOf('@');
        if (start >= 0 && at > start) {
            String info = location.substring(start + 2, at);
            int colon = info.indexOf(':');
            add(colon < 0 ? info : info.substring(colon + 1), found);
        }
        Matcher m = PARAMETER.matcher(location);
        while (m.find()) {
            add(m.group(1), found);
        }
    }

    private static void add(String secret, Set<String> found) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        found.add(secret);
        try {
            found.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not percent-encoded: the raw form is enough
        }
    }

    /** True when there is nothing to mask beyond the URL forms. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code text} with every secret and every URL password form masked as {@code ***}; null stays null. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String r = text;
        for (String v : values) {
            if (r.contains(v)) {
                r = r.replace(v, MASK);
            }
        }
        return CacheConfig.redact(r);
    }

    /** True when {@code text} holds one of the secrets. */
    private boolean reveals(String text) {
        if (text == null) {
            return false;
        }
        for (String v : values) {
            if (text.contains(v)) {
                return true;
            }
        }
        return false;
    }

    /** True when a message anywhere in {@code t}'s chain (causes and suppressed) holds a secret. */
    public boolean reveals(Throwable t) {
        return reveals(t, 0);
    }

    private boolean reveals(Throwable t, int depth) {
        if (t == null || depth > 32) {
            return false;
        }
        if (reveals(t.getMessage()) || reveals(t.toString())) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (reveals(s, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && reveals(t.getCause(), depth + 1);
    }

    /**
     * {@code t} itself when no message in its chain holds a secret; else a copy of the chain in
     * which each exception is a {@link Scrubbed} with the original's class name, masked message
     * and stack trace, causes and suppressed exceptions scrubbed alike.
     */
    public Throwable scrub(Throwable t) {
        if (t == null || !reveals(t)) {
            return t;
        }
        return copy(t, 0);
    }

    private Throwable copy(Throwable t, int depth) {
        Throwable cause = t.getCause() == null || t.getCause() == t || depth > 32 ? null : copy(t.getCause(), depth + 1);
        Scrubbed s = new Scrubbed(t.getClass().getName(), scrub(t.getMessage()), cause);
        s.setStackTrace(t.getStackTrace());
        for (Throwable sup : t.getSuppressed()) {
            s.addSuppressed(copy(sup, depth + 1));
        }
        return s;
    }

    /** {@code t}'s one-line form ({@code Class: message}) with its secrets masked. */
    public String describe(Throwable t) {
        return scrub(String.valueOf(t));
    }

    /** An exception whose message held a secret, copied with the secret masked; prints as the original class. */
    public static final class Scrubbed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String originalClass;

        Scrubbed(String originalClass, String message, Throwable cause) {
            super(message, cause);
            this.originalClass = originalClass;
        }

        /** The class name of the exception this copies. */
        public String originalClass() {
            return originalClass;
        }

        @Override
        public String toString() {
            String m = getLocalizedMessage();
            return m == null ? originalClass : originalClass + ": " + m;
        }
    }
}
