package dev.cachet.redis.internal;

import dev.cachet.spi.BlockingSocket;
import dev.cachet.spi.BlockingSocketPool;
import dev.cachet.spi.ReplyWait;
import dev.cachet.spi.StoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.RedisStateMachine;
import io.lettuce.core.resource.ClientResources;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A standalone Redis connection whose commands run on the caller's thread ({@code transport=blocking}):
 * Lettuce's own command objects, encoding and reply parser ({@link RedisStateMachine}), over a
 * pool of {@link BlockingSocket}s instead of Lettuce's event loop. A command is complete when
 * {@link #dispatch} returns, so a caller pays what a blocking socket's call costs, with no
 * hand-off to an event loop and back; a reply expected soon is polled for before the read
 * blocks ({@link ReplyWait}). Lettuce's asynchronous API runs over it unchanged
 * ({@code new RedisAsyncCommandsImpl<>(this, codec)}), so the store issues the same commands on
 * either transport.
 *
 * <p>Each connection logs in ({@code AUTH}), selects the database and sets the client name when
 * the location asks, and checks with {@code PING} that a Redis server answers, as it opens. {@code command_timeout} bounds each wait for the next byte of
 * a reply (and each write's progress): the pool's watchdog closes a connection that stalls, and
 * the command fails naming the timeout. A failed connection is closed and never used again; a
 * connection refused backs off (calls fail at once for 50 ms, doubling up to a second) instead
 * of each waiting for the connect timeout. Thread-safe; only what {@link RedisStore} uses is
 * supported.
 */
final class BlockingRedisConnection implements StatefulRedisConnection<String, byte[]> {
    private final BlockingSocketPool<RespConnection> pool;
    private final ClientResources resources;
    private final ReplyWait replyWait;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private volatile boolean closed;
    private Duration timeout;

    /**
     * Opens the pool and one connection, so that a server that refuses (a wrong password, a
     * database out of range) is known at once.
     *
     * @throws StoreException when the first connection cannot be opened (caused by the
     *     connect's exception, so an unreachable server can be told apart)
     */
    BlockingRedisConnection(RedisLocation location, RedisSettings settings, ClientResources resources) {
        this.resources = resources;
        this.timeout = settings.commandTimeout;
        this.replyWait = new ReplyWait(settings.spinWait);
        RedisLocation.HostAndPort server = location.seeds().get(0);
        long wait = settings.connectTimeout.toMillis() + 2 * settings.commandTimeout.toMillis() + 1000;
        long timeoutNanos = settings.commandTimeout.toNanos();
        this.pool = new BlockingSocketPool<>(server.toString(), settings.maxConnections, "max_connections", wait,
                () -> open(server, location, settings), reason -> { }, Duration.ofSeconds(1),
                resources.eventExecutorGroup(),
                new BlockingSocket.Timeouts(timeoutNanos, "command_timeout", timeoutNanos, "command_timeout"));
        try {
            pool.give(pool.take());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private RespConnection open(RedisLocation.HostAndPort server, RedisLocation location, RedisSettings settings)
            throws IOException {
        RespConnection c = new RespConnection(BlockingSocket.open(server.host(), server.port(),
                settings.connectTimeout.toMillis(), server.toString()), alloc);
        pool.watch(c.socket());
        try {
            hello(c, location, settings);
        } finally {
            pool.unwatch(c.socket());
        }
        return c;
    }

    /** Logs in, selects the database, names the client, and checks with PING that a server that speaks Redis answers. */
    private static void hello(RespConnection c, RedisLocation location, RedisSettings settings) throws IOException {
        List<RedisCommand<String, byte[], ?>> hello = new ArrayList<>();
        if (location.password() != null) {
            CommandArgs<String, byte[]> args = new CommandArgs<>(RedisConnection.CODEC);
            if (location.user() != null) {
                args.add(location.user());
            }
            hello.add(new Command<>(CommandType.AUTH, new StatusOutput<>(RedisConnection.CODEC),
                    args.add(location.password().toCharArray())));
        }
        if (location.database() != 0) {
            hello.add(new Command<>(CommandType.SELECT, new StatusOutput<>(RedisConnection.CODEC),
                    new CommandArgs<>(RedisConnection.CODEC).add(location.database())));
        }
        if (settings.clientName != null) {
            hello.add(new Command<>(CommandType.CLIENT, new StatusOutput<>(RedisConnection.CODEC),
                    new CommandArgs<>(RedisConnection.CODEC).add(CommandKeyword.SETNAME).add(settings.clientName)));
        }
        hello.add(new Command<>(CommandType.PING, new StatusOutput<>(RedisConnection.CODEC)));
        c.execute(hello, null);
        for (RedisCommand<String, byte[], ?> h : hello) {
            if (h.getOutput().hasError() || c.socket().isAborted()) {
                c.socket().abort("refused", false);
                c.release();
                // the error names the command, never its arguments (a password)
                throw new IOException(h.getType() + " refused: " + (h.getOutput().hasError() ? h.getOutput().getError()
                        : "the connection failed"));
            }
        }
    }

    @Override
    public <T> RedisCommand<String, byte[], T> dispatch(RedisCommand<String, byte[], T> command) {
        run(List.of(command));
        return command;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<RedisCommand<String, byte[], ?>> dispatch(
            Collection<? extends RedisCommand<String, byte[], ?>> commands) {
        List<RedisCommand<String, byte[], ?>> list = new ArrayList<>(commands);
        run(list);
        return (Collection<RedisCommand<String, byte[], ?>>) commands;
    }

    private void run(List<? extends RedisCommand<String, byte[], ?>> commands) {
        if (closed) {
            failAll(commands, new RedisConnectionException("the connection is closed"));
            return;
        }
        RespConnection c;
        try {
            c = pool.take();
        } catch (StoreException e) {
            failAll(commands, new RedisConnectionException(e.getMessage(), e));
            return;
        }
        try {
            c.execute(commands, replyWait);
        } finally {
            pool.give(c);
        }
    }

    static void failAll(List<? extends RedisCommand<String, byte[], ?>> commands, Throwable cause) {
        for (RedisCommand<String, byte[], ?> command : commands) {
            if (!command.isDone()) {
                command.completeExceptionally(cause);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        close();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public ClientOptions getOptions() {
        return ClientOptions.create();
    }

    @Override
    public ClientResources getResources() {
        return resources;
    }

    @Override
    public boolean isMulti() {
        return false;
    }

    @Override
    public void reset() {
        // nothing is queued between calls
    }

    @Override
    public void setAutoFlushCommands(boolean autoFlush) {
        if (!autoFlush) {
            throw new UnsupportedOperationException("a blocking connection writes each call at once");
        }
    }

    @Override
    public void flushCommands() {
        // each call is written at once
    }

    @Override
    public void addListener(RedisConnectionStateListener listener) {
        throw new UnsupportedOperationException("no connection events on a blocking connection");
    }

    @Override
    public void removeListener(RedisConnectionStateListener listener) {
        // none added
    }

    @Override
    public void addListener(PushListener listener) {
        throw new UnsupportedOperationException("no push messages on a blocking connection");
    }

    @Override
    public void removeListener(PushListener listener) {
        // none added
    }

    @Override
    public RedisCommands<String, byte[]> sync() {
        throw new UnsupportedOperationException("use the asynchronous API over this connection");
    }

    @Override
    public RedisAsyncCommands<String, byte[]> async() {
        throw new UnsupportedOperationException("make one with new RedisAsyncCommandsImpl<>(connection, codec)");
    }

    @Override
    public RedisReactiveCommands<String, byte[]> reactive() {
        throw new UnsupportedOperationException("use the asynchronous API over this connection");
    }

    /** One blocking connection: its socket, Lettuce's reply parser, and the read buffer. */
    static final class RespConnection implements BlockingSocketPool.Pooled {
        private static final int FIRST_READ_BUFFER = 16 * 1024;
        private static final int MIN_READ = 8 * 1024;
        private static final int KEEP_CAPACITY = 256 * 1024;

        private final BlockingSocket socket;
        private final ByteBufAllocator alloc;
        private final RedisStateMachine parser;
        private ByteBuf in;
        private boolean released;

        RespConnection(BlockingSocket socket, ByteBufAllocator alloc) {
            this.socket = socket;
            this.alloc = alloc;
            this.parser = new RedisStateMachine(alloc);
            this.in = alloc.directBuffer(FIRST_READ_BUFFER);
        }

        @Override
        public BlockingSocket socket() {
            return socket;
        }

        /**
         * Writes {@code commands} in one go and completes each with its reply, in order, on the
         * caller's thread; when the connection fails, the commands without a reply fail with the
         * reason and the socket is aborted.
         */
        void execute(List<? extends RedisCommand<String, byte[], ?>> commands, ReplyWait wait) {
            String what = commands.get(0).getType() + (commands.size() > 1 ? " (" + commands.size() + " pipelined)" : "");
            socket.begin(what);
            long started = System.nanoTime();
            ByteBuf out = alloc.directBuffer(64 * commands.size());
            try {
                for (RedisCommand<String, byte[], ?> c : commands) {
                    c.encode(out);
                }
                socket.write(out.nioBuffers());
            } catch (IOException | RuntimeException e) {
                failAll(commands, failure(socket.failure("sending " + what, e)));
                return;
            } finally {
                out.release();
            }
            long spinUntil = wait == null ? 0 : wait.beginWait();
            try {
                int next = 0;
                while (true) {
                    while (next < commands.size() && parser.decode(in, commands.get(next).getOutput())) {
                        commands.get(next++).complete();
                    }
                    if (next == commands.size()) {
                        break;
                    }
                    makeRoom();
                    int n = socket.read(in.nioBuffer(in.writerIndex(), in.writableBytes()), spinUntil);
                    spinUntil = 0;
                    if (n < 0) {
                        socket.abort("the server closed the connection", true);
                        failAll(commands, failure(socket.failure("reading the reply to " + what, null)));
                        return;
                    }
                    in.writerIndex(in.writerIndex() + n);
                }
                if (wait != null && commands.size() == 1) {
                    wait.record(System.nanoTime() - started);
                }
                if (in.isReadable()) {
                    socket.abort(in.readableBytes() + " bytes after the last reply to " + what, true);
                    return;
                }
                in.clear();
                if (in.capacity() > KEEP_CAPACITY) {
                    in.release();
                    in = alloc.directBuffer(FIRST_READ_BUFFER);
                }
            } catch (IOException | RuntimeException e) {
                parser.reset();
                failAll(commands, failure(socket.failure("reading the reply to " + what, e)));
            } finally {
                if (wait != null) {
                    wait.endWait();
                }
            }
        }

        private static RedisConnectionException failure(BlockingSocket.Failure f) {
            return new RedisConnectionException(f.reason());
        }

        /** Room for the next read: read bytes dropped, and at least as much free as is held (doubling). */
        private void makeRoom() {
            if (in.readerIndex() > 0) {
                in.discardReadBytes();
            }
            in.ensureWritable(Math.max(MIN_READ, in.readableBytes()));
        }

        @Override
        public void release() {
            if (!released) {
                released = true;
                in.release();
                parser.close();
            }
        }
    }
}
