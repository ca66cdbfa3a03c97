package dev.cachet.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Django's {@code patch_vary_headers}: adds field names to a response's {@code Vary}, once each. */
public final class VaryHeaders {
    private VaryHeaders() {
    }

    /** Adds {@code names} to {@code response}'s {@code Vary} (one line, existing names kept first). */
    public static void add(HttpServletResponse response, String... names) {
        List<String> all = new ArrayList<>();
        List<String> lower = new ArrayList<>();
        for (String line : response.getHeaders("Vary")) {
            for (String p : line.split(",")) {
                String t = p.trim();
                if (!t.isEmpty() && !lower.contains(t.toLowerCase(Locale.ROOT))) {
                    all.add(t);
                    lower.add(t.toLowerCase(Locale.ROOT));
                }
            }
        }
        for (String n : names) {
            if (!lower.contains(n.toLowerCase(Locale.ROOT))) {
                all.add(n);
                lower.add(n.toLowerCase(Locale.ROOT));
            }
        }
        if (!all.isEmpty()) {
            response.setHeader("Vary", String.join(", ", all));
        }
    }
}
