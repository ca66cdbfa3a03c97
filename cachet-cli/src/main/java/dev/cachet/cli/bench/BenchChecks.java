package dev.cachet.cli.bench;

import java.util.List;

/** The checks' wording: a failed target, and a value as a message describes it. */
final class BenchChecks {
    private BenchChecks() {
    }

    static BenchCheckException failure(BenchTarget t, String what, String detail) {
        return new BenchCheckException(t.label(), what, detail);
    }

    static String describe(Object v) {
        if (v == null) {
            return "a miss";
        }
        if (v instanceof String s) {
            return "a String of " + s.length() + " chars starting '" + s.substring(0, Math.min(10, s.length())) + "'";
        }
        if (v instanceof List<?> l) {
            return "a List of " + l.size() + " elements";
        }
        String text = String.valueOf(v);
        return "a " + v.getClass().getName() + " '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
