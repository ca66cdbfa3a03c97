package dev.cachet.memcached.internal;

/**
 * A batch of quiet commands ({@code q}, each with opaque {@code O<i>}, i its position) ended by
 * {@code mn}: only the replies quiet mode does not suppress come back, each naming its command
 * by opaque, then {@code MN}. Opaques must rise strictly and stay below the command count;
 * anything else is a protocol anomaly. An error reply carries no opaque, so it marks the
 * commands between the last reply seen and the next one as uncertain. Fences narrow that: an
 * {@code mn} placed after command {@code i} answers {@code MN} once every command up to
 * {@code i} is done, so an error after that fence belongs to a later command.
 */
final class QuietBatch extends MetaRequest<QuietBatch.Result> {
    /** What a batch got back. */
    static final class Result {
        /** Per command, its reply, or null when quiet mode suppressed it. */
        final MetaResponse[] replies;
        /** Per command, true when an error reply may have been its reply. */
        final boolean[] uncertain;
        /** The first error reply's text, or null. */
        String firstError;

        Result(int n) {
            replies = new MetaResponse[n];
            uncertain = new boolean[n];
        }
    }

    private final Result result;
    private final int n;
    private final int allowed;
    private final int[] fences;
    private int fencesSeen;
    private long last = -1;
    private long uncertainFrom = -1;

    /**
     * @param commands {@code n} quiet commands with opaques 0..n-1, then {@code mn}
     * @param allowed the bit set of reply codes (besides {@code MN}) the commands may give
     */
    QuietBatch(MetaCommands commands, int n, int allowed, String what) {
        this(commands, n, new int[0], allowed, what);
    }

    /**
     * @param fences the positions (ascending) of the commands after which an {@code mn} was
     *     written, besides the final one
     */
    QuietBatch(MetaCommands commands, int n, int[] fences, int allowed, String what) {
        super(commands.build(), what);
        this.n = n;
        this.fences = fences;
        this.allowed = allowed;
        this.result = new Result(n);
    }

    @Override
    boolean onResponse(MetaResponse r) {
        if (r.code == MetaResponse.Code.MN) {
            if (r.opaque != MetaResponse.NO_OPAQUE) {
                throw new ProtocolException("MN with an opaque in " + describe());
            }
            if (fencesSeen < fences.length) {
                int after = fences[fencesSeen++];
                markUncertain(after + 1);
                last = Math.max(last, after);
                return false;
            }
            markUncertain(n);
            completed();
            future.complete(result);
            return true;
        }
        if (r.isError()) {
            if (uncertainFrom < 0) {
                uncertainFrom = last + 1;
            }
            if (result.firstError == null) {
                result.firstError = r.code + " " + r.message;
            }
            return false;
        }
        if ((allowed & (1 << r.code.ordinal())) == 0) {
            throw new ProtocolException("reply " + r.code + " is not a possible reply in " + describe());
        }
        if (r.opaque == MetaResponse.NO_OPAQUE || r.opaque <= last || r.opaque >= n) {
            throw new ProtocolException("reply " + r.code + " in " + describe() + " has "
                    + (r.opaque == MetaResponse.NO_OPAQUE ? "no opaque" : "opaque O" + r.opaque)
                    + "; expected one above " + last + " and below " + n);
        }
        markUncertain((int) r.opaque);
        last = r.opaque;
        result.replies[(int) r.opaque] = r;
        return false;
    }

    private void markUncertain(int until) {
        if (uncertainFrom >= 0) {
            for (int i = (int) uncertainFrom; i < until; i++) {
                result.uncertain[i] = true;
            }
            uncertainFrom = -1;
        }
    }

}
