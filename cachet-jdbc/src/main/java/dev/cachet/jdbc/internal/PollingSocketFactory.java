package dev.cachet.jdbc.internal;

import dev.cachet.spi.ReplyWait;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * The sockets cachet's PostgreSQL and MariaDB connections use (pgjdbc's and MariaDB
 * Connector/J's {@code socketFactory}): plain TCP sockets whose first read after a quick request (a read of
 * one row by its key, {@link #expectQuickReplies}) polls for the reply without blocking, for as
 * long as {@link ReplyWait} allows, before it blocks as any socket read does. On loopback or a fast
 * LAN a thread blocked in its read takes tens of microseconds to wake when the reply arrives;
 * a caller polling for a reply due soon does not wait for that. The rule of when to poll (replies
 * usually come within the limit, the JVM's callers are few) is {@link ReplyWait}'s, shared with
 * the Redis and memcached clients; one {@link ReplyWait} per server address keeps the round
 * trips it sees.
 *
 * <p>Everything else is the plain socket's own: timeouts ({@code setSoTimeout} governs the
 * read), options, closing, interrupts. A driver uses a connection's socket from one thread at a
 * time.
 */
public final class PollingSocketFactory extends SocketFactory {
    /** Whether this thread's next replies are quick ones (see {@link #expectQuickReplies}). */
    private static final ThreadLocal<boolean[]> QUICK = ThreadLocal.withInitial(() -> new boolean[1]);
    /** The round trips of quick replies seen per server address ({@code host:port}). */
    private static final Map<String, ReplyWait> WAITS = new ConcurrentHashMap<>();

    /** The factory the driver instantiates by name. */
    public PollingSocketFactory() {
    }

    /**
     * Whether the replies this thread reads from now on are quick ones, worth polling for: a
     * read of one row by its primary key. Every other reply (a write's, whose commit takes
     * longer; a batch's; upkeep's) is read as any socket reads it, blocking: polling through
     * those would cost about as much CPU as the round trip lasts, for the same saving.
     */
    static void expectQuickReplies(boolean quick) {
        QUICK.get()[0] = quick;
    }

    /** The round trips of quick replies on connections to {@code hostPort} ({@code host:port} as connected to), or null before the first. */
    static ReplyWait waitOf(String hostPort) {
        return WAITS.get(hostPort);
    }

    @Override
    public Socket createSocket() throws IOException {
        return new PollingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw connectedNotUsed("createSocket(host, port)");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw connectedNotUsed("createSocket(host, port, ...)");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw connectedNotUsed("createSocket(address, port)");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw connectedNotUsed("createSocket(address, port, ...)");
    }

    /** The drivers ask for unconnected sockets and connect them; the other ways are not used. */
    private static SocketException connectedNotUsed(String call) {
        return new SocketException("cachet's database sockets are created unconnected; " + call + " is not used");
    }

    /**
     * A plain socket whose streams are wrapped: the output stream notes when a request went out,
     * and the input stream's first read after a quick request polls ({@code available}, one
     * {@code ioctl} that never blocks) before it reads, which then finds the reply or blocks as
     * the socket's read always does: its timeout, its behaviour under an interrupt (none: the
     * read goes on) and its errors are the plain socket's. Not thread-safe, as a socket's
     * streams are not.
     */
    static final class PollingSocket extends Socket {
        private ReplyWait wait;
        private long sentNanos;
        private boolean replyDue;
        private InputStream in;
        private OutputStream out;

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            super.connect(endpoint, timeout);
            String server = endpoint instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort() : String.valueOf(endpoint);
            wait = WAITS.computeIfAbsent(server, a -> new ReplyWait(true));
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                InputStream plain = super.getInputStream();
                in = new FilterInputStream(plain) {
                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        int n = read(one, 0, 1);
                        return n < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (len == 0 || !takeQuickReply()) {
                            return plain.read(b, off, len);
                        }
                        long until = wait.beginWait();
                        try {
                            if (until != 0) {
                                // available() is one ioctl that never blocks; the read below then finds the reply
                                // at once, or blocks for it as the socket's read always does
                                while (plain.available() == 0 && System.nanoTime() - until < 0) {
                                    Thread.onSpinWait();
                                }
                            }
                            int n = plain.read(b, off, len);
                            if (n > 0) {
                                wait.record(System.nanoTime() - sentNanos);
                            }
                            return n;
                        } finally {
                            wait.endWait();
                        }
                    }
                };
            }
            return in;
        }

        /** True, once, for the first read after a request when this thread expects quick replies. */
        private boolean takeQuickReply() {
            if (!replyDue) {
                return false;
            }
            replyDue = false;
            return wait != null && QUICK.get()[0];
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        this.out.write(b, off, len);
                        sent();
                    }

                    @Override
                    public void write(int b) throws IOException {
                        this.out.write(b);
                        sent();
                    }
                };
            }
            return out;
        }

        private void sent() {
            sentNanos = System.nanoTime();
            replyDue = true;
        }
    }
}
