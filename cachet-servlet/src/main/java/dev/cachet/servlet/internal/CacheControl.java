package dev.cachet.servlet.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of {@code Cache-Control} field lines (RFC 9111 section 5.2), parsed as the RFC's
 * grammar says: comma-separated {@code token [ "=" ( token / quoted-string ) ]}, names
 * case-insensitive, commas inside a quoted string belonging to the string. A delta-seconds
 * directive whose value is not a plain non-negative integer, or that appears twice with different
 * values, is {@linkplain #INVALID invalid}: callers treat such a response as stale (RFC 9111 4.2.1:
 * "a cache SHOULD consider the response to be stale").
 */
final class CacheControl {
    /** The value {@link #seconds} returns for a present but unusable delta-seconds directive. */
    static final long INVALID = -2;
    /** The value {@link #seconds} returns for an absent directive. */
    static final long ABSENT = -1;

    private final Map<String, String> directives;
    private final Map<String, Boolean> conflicting;

    private CacheControl(Map<String, String> directives, Map<String, Boolean> conflicting) {
        this.directives = directives;
        this.conflicting = conflicting;
    }

    static final CacheControl EMPTY = new CacheControl(Map.of(), Map.of());

    /** Parses every field line in {@code lines} as one list (an empty list gives no directives). */
    static CacheControl parse(List<String> lines) {
        if (lines == null || lines.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> d = new LinkedHashMap<>();
        Map<String, Boolean> conflict = new LinkedHashMap<>();
        for (String line : lines) {
            parseLine(line, d, conflict);
        }
        return new CacheControl(Collections.unmodifiableMap(d), conflict);
    }

    private static void parseLine(String s, Map<String, String> d, Map<String, Boolean> conflict) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',') {
                i++;
            }
            String name = s.substring(start, i).trim().toLowerCase(Locale.ROOT);
            String value = null;
            if (i < n && s.charAt(i) == '=') {
                i++;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && s.charAt(i) == '"') {
                    StringBuilder v = new StringBuilder();
                    i++;
                    while (i < n && s.charAt(i) != '"') {
                        if (s.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        v.append(s.charAt(i++));
                    }
                    i++; // the closing quote
                    value = "\"" + v; // marks a quoted value: never a valid delta-seconds
                    while (i < n && s.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int vs = i;
                    while (i < n && s.charAt(i) != ',') {
                        i++;
                    }
                    value = s.substring(vs, i).trim();
                }
            }
            if (!name.isEmpty()) {
                if (d.containsKey(name) && !java.util.Objects.equals(d.get(name), value)) {
                    conflict.put(name, true);
                }
                d.putIfAbsent(name, value);
            }
        }
    }

    /** True when the directive {@code name} (lower case) is present, with or without a value. */
    boolean has(String name) {
        return directives.containsKey(name);
    }

    /**
     * The delta-seconds value of {@code name}: {@link #ABSENT}, {@link #INVALID} (not digits,
     * quoted, negative, or given twice with different values), or the seconds (values past
     * 2^31 are capped there, as RFC 9111 1.2.2 says).
     */
    long seconds(String name) {
        if (!directives.containsKey(name)) {
            return ABSENT;
        }
        if (conflicting.containsKey(name)) {
            return INVALID;
        }
        String v = directives.get(name);
        if (v == null || v.isEmpty()) {
            return INVALID;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return INVALID;
            }
        }
        if (v.length() > 10) {
            return Integer.MAX_VALUE;
        }
        return Math.min(Long.parseLong(v), Integer.MAX_VALUE);
    }

    /** The value of {@code name}, unquoted, or null when absent or valueless. */
    String value(String name) {
        String v = directives.get(name);
        return v != null && v.startsWith("\"") ? v.substring(1) : v;
    }

    /** True when the directive is present without a field-name list ({@code private}, not {@code private="x"}). */
    boolean hasUnqualified(String name) {
        return directives.containsKey(name) && directives.get(name) == null;
    }

    @Override
    public String toString() {
        return directives.toString();
    }
}
