package dev.cachet.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring of the http-cache-tests suite (cache-tests.fyi), as its own report does it
 * ({@code determineTestResult} in {@code lib/display.mjs}): a test with a result of
 * {@code Setup} is a setup failure (or a retry), a required test passes or fails, and a test
 * whose dependency did not pass (pass or "yes") is not reached. Browser-only tests are left
 * out, as the report does for a non-browser cache.
 */
final class HttpCacheTestsSuite {
    /** One test of the suite. */
    record Test(String group, String id, String kind, boolean browserOnly, List<String> dependsOn, String name) {
    }

    /** One result from the client: {@code true}, or a kind ({@code Assertion}, {@code Setup}, ...) and a message. */
    record Result(boolean passed, String kind, String message) {
    }

    /** The result types of the report. */
    enum Outcome { UNTESTED, PASS, FAIL, OPTIONAL_FAIL, YES, NO, SETUP_FAIL, HARNESS_FAIL, DEPENDENCY_FAIL, RETRY }

    private final Map<String, Test> tests = new LinkedHashMap<>();
    private final Map<String, Result> results;

    HttpCacheTestsSuite(List<Test> tests, Map<String, Result> results) {
        for (Test t : tests) {
            this.tests.put(t.id(), t);
        }
        this.results = results;
    }

    Outcome outcome(String id) {
        Test test = tests.get(id);
        if (test == null) {
            throw new IllegalArgumentException("no test " + id + " in the suite");
        }
        Result r = results.get(id);
        if (r == null) {
            return Outcome.UNTESTED;
        }
        for (String dep : test.dependsOn()) {
            Outcome d = outcome(dep);
            if (d != Outcome.PASS && d != Outcome.YES) {
                return Outcome.DEPENDENCY_FAIL;
            }
        }
        if (!r.passed() && "Setup".equals(r.kind())) {
            return "retry".equals(r.message()) ? Outcome.RETRY : Outcome.SETUP_FAIL;
        }
        switch (test.kind()) {
            case "required":
                return r.passed() ? Outcome.PASS : Outcome.FAIL;
            case "optimal":
                return r.passed() ? Outcome.PASS : Outcome.OPTIONAL_FAIL;
            case "check":
                return r.passed() ? Outcome.YES : Outcome.NO;
            default:
                throw new IllegalStateException("unknown test kind " + test.kind() + " of " + id);
        }
    }

    /** Per group (and "total" last): required tests, passed, failed, not reached (dependency) and other. */
    Map<String, int[]> requiredScore() {
        Map<String, int[]> score = new LinkedHashMap<>();
        int[] total = new int[5];
        for (Test t : tests.values()) {
            if (t.browserOnly() || !t.kind().equals("required")) {
                continue;
            }
            int[] g = score.computeIfAbsent(t.group(), k -> new int[5]);
            Outcome o = outcome(t.id());
            int slot = switch (o) {
                case PASS -> 1;
                case FAIL -> 2;
                case DEPENDENCY_FAIL -> 3;
                default -> 4;
            };
            for (int[] s : new int[][] {g, total}) {
                s[0]++;
                s[slot]++;
            }
        }
        score.put("total", total);
        return score;
    }

    /** The required tests that did not pass: outcome, group, id, name and the client's message. */
    List<String> requiredNotPassed() {
        List<String> out = new ArrayList<>();
        for (Test t : tests.values()) {
            Outcome o = t.browserOnly() || !t.kind().equals("required") ? Outcome.PASS : outcome(t.id());
            if (o != Outcome.PASS) {
                Result r = results.get(t.id());
                out.add(o + " " + t.group() + " " + t.id() + ": " + t.name() + " -- " + (r == null ? "" : r.message()));
            }
        }
        return out;
    }
}
