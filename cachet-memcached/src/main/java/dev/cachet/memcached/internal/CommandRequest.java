package dev.cachet.memcached.internal;

/**
 * Commands that each get exactly one reply (no quiet mode), pipelined in one write; the future
 * completes with the replies in command order. A reply whose code the command does not allow,
 * or that carries an opaque none of them sent, is a protocol anomaly. {@code CLIENT_ERROR} and
 * {@code SERVER_ERROR} replies that leave the connection usable are handed back as replies.
 */
final class CommandRequest extends MetaRequest<MetaResponse[]> {
    private final MetaResponse[] replies;
    private final int[] allowed;
    private int next;

    /**
     * @param allowed per command, the bit set of the {@link MetaResponse.Code} ordinals it may reply with
     */
    CommandRequest(MetaCommands commands, int[] allowed, String what) {
        super(commands.build(), what);
        if (allowed.length != commands.count()) {
            throw new IllegalStateException(allowed.length + " reply kinds for " + commands.count() + " commands");
        }
        this.replies = new MetaResponse[allowed.length];
        this.allowed = allowed;
    }

    static int codes(MetaResponse.Code... codes) {
        int m = 0;
        for (MetaResponse.Code c : codes) {
            m |= 1 << c.ordinal();
        }
        return m;
    }

    @Override
    boolean onResponse(MetaResponse r) {
        if (r.opaque != MetaResponse.NO_OPAQUE) {
            throw new ProtocolException("a reply to " + describe() + " carries opaque O" + r.opaque + ", which no command sent");
        }
        if (!r.isError() && (allowed[next] & (1 << r.code.ordinal())) == 0) {
            throw new ProtocolException("reply " + r.code + " is not a possible reply to " + describe());
        }
        replies[next++] = r;
        if (next == replies.length) {
            completed();
            future.complete(replies);
            return true;
        }
        return false;
    }

}
