package dev.cachet.internal.fresh;

/**
 * Probabilistic early recomputation, "Optimal Probabilistic Cache Stampede Prevention"
 * (Vattani, Chierichetti, Lowenstein, VLDB 2015): a read at {@code now} recomputes when
 * {@code now - delta * beta * ln(u) >= expiry}, {@code u} uniform in (0, 1]. The chance of an
 * early recomputation at {@code t} before expiry is {@code exp(-t / (delta * beta))}.
 */
final class XFetch {
    private XFetch() {
    }

    /**
     * True when a read at {@code now} should recompute a value that expires at {@code expiry}
     * and took {@code deltaMillis} to compute, given a uniform draw {@code u} in [0, 1).
     */
    static boolean recomputesEarly(long now, long expiry, long deltaMillis, double beta, double u) {
        double draw = 1.0 - u; // (0, 1]: ln is finite
        return now - deltaMillis * beta * Math.log(draw) >= expiry;
    }

    /** The probability that a read {@code millisBefore} before expiry recomputes. */
    static double probability(long millisBefore, long deltaMillis, double beta) {
        return millisBefore <= 0 ? 1.0 : Math.exp(-millisBefore / (deltaMillis * beta));
    }
}
