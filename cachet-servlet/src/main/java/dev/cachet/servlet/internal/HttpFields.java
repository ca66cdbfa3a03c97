package dev.cachet.servlet.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HTTP field lines in their order: names compared case-insensitively, each line kept as
 * received (a field sent on two lines stays two entries). Immutable once built.
 */
public final class HttpFields {
    private final List<String[]> lines;

    private HttpFields(List<String[]> lines) {
        this.lines = lines;
    }

    /** No fields. */
    public static final HttpFields EMPTY = new HttpFields(List.of());

    /** A builder of field lines. */
    public static Builder builder() {
        return new Builder();
    }

    /** The values of the lines named {@code name}, in order (empty when none). */
    public List<String> all(String name) {
        List<String> out = null;
        for (String[] l : lines) {
            if (l[0].equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(l[1]);
            }
        }
        return out == null ? List.of() : out;
    }

    /** The first line named {@code name}, or null. */
    public String first(String name) {
        for (String[] l : lines) {
            if (l[0].equalsIgnoreCase(name)) {
                return l[1];
            }
        }
        return null;
    }

    /** True when a line is named {@code name}. */
    public boolean has(String name) {
        return first(name) != null;
    }

    /** Every line as {@code {name, value}}, in order. */
    public List<String[]> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** These fields without the lines named (case-insensitively) in {@code lowerCaseNames}. */
    public HttpFields without(Set<String> lowerCaseNames) {
        Builder b = builder();
        for (String[] l : lines) {
            if (!lowerCaseNames.contains(l[0].toLowerCase(Locale.ROOT))) {
                b.add(l[0], l[1]);
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String[] l : lines) {
            sb.append(l[0]).append(": ").append(l[1]).append('\n');
        }
        return sb.toString();
    }

    /** Builds {@link HttpFields}. */
    public static final class Builder {
        private final List<String[]> lines = new ArrayList<>();

        private Builder() {
        }

        /** Adds one field line. */
        public Builder add(String name, String value) {
            lines.add(new String[] {name, value == null ? "" : value});
            return this;
        }

        /** Replaces every line named {@code name} by one line (at the place of the first). */
        public Builder set(String name, String value) {
            int at = -1;
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i)[0].equalsIgnoreCase(name)) {
                    lines.remove(i);
                    at = i;
                }
            }
            String[] l = {name, value};
            if (at < 0) {
                lines.add(l);
            } else {
                lines.add(at, l);
            }
            return this;
        }

        /** Removes every line named {@code name}. */
        public Builder remove(String name) {
            lines.removeIf(l -> l[0].equalsIgnoreCase(name));
            return this;
        }

        /** True when a line is named {@code name}. */
        public boolean has(String name) {
            return lines.stream().anyMatch(l -> l[0].equalsIgnoreCase(name));
        }

        /** The fields built. */
        public HttpFields build() {
            return new HttpFields(List.copyOf(lines));
        }
    }
}
