package dev.cachet.jdbc.internal;

import dev.cachet.spi.ReplyWait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * The sockets cachet's PostgreSQL and MariaDB/MySQL connections use (the drivers'
 * {@code socketFactory}): plain TCP sockets whose first read after a quick request (a read of
 * one row by its key, {@link #expectQuickReplies}) polls for the reply without blocking, for as
 * long as {@link ReplyWait} allows, before it blocks as any socket read does. On loopback or a fast
 * LAN a thread blocked in its read takes tens of microseconds to wake when the reply arrives;
 * a caller polling for a reply due soon does not wait for that. The rule of when to poll (replies
 * usually come within the limit, the JVM's callers are few) is {@link ReplyWait}'s, shared with
 * the Redis and memcached clients; one {@link ReplyWait} per server address keeps the round
 * trips it sees.
 *
 * <p>Everything else is the socket's own: timeouts ({@code setSoTimeout} governs the blocking
 * read), options, closing. A driver uses a connection's socket from one thread at a time.
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
        return new PollingSocket(SocketChannel.open());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new SocketException("cachet's database sockets are created unconnected; createSocket(host, port) is not used");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new SocketException("cachet's database sockets are created unconnected; createSocket(host, port, ...) is not used");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new SocketException("cachet's database sockets are created unconnected; createSocket(address, port) is not used");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw new SocketException("cachet's database sockets are created unconnected; createSocket(address, port, ...) is not used");
    }

    /**
     * A socket over a {@link SocketChannel} that delegates to the channel's own socket but for
     * its streams: the output stream notes when a request went out, and the input stream's first
     * read after it polls. Not thread-safe but for {@link #close}, as a socket's streams are not.
     */
    static final class PollingSocket extends Socket {
        private final SocketChannel channel;
        private final Socket socket;
        private ReplyWait wait;
        private long sentNanos;
        private boolean replyDue;
        private InputStream in;
        private OutputStream out;

        PollingSocket(SocketChannel channel) throws SocketException {
            this.channel = channel;
            this.socket = channel.socket();
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            socket.connect(endpoint, timeout);
            String server = endpoint instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort() : String.valueOf(endpoint);
            wait = WAITS.computeIfAbsent(server, a -> new ReplyWait(true));
        }

        @Override
        public void bind(SocketAddress bindpoint) throws IOException {
            socket.bind(bindpoint);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                InputStream blocking = socket.getInputStream();
                in = new InputStream() {
                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        int n = read(one, 0, 1);
                        return n < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (!replyDue || len == 0) {
                            return blocking.read(b, off, len);
                        }
                        replyDue = false;
                        if (!QUICK.get()[0]) {
                            return blocking.read(b, off, len);
                        }
                        long until = wait.beginWait();
                        try {
                            int n = 0;
                            if (until != 0) {
                                channel.configureBlocking(false);
                                try {
                                    ByteBuffer dst = ByteBuffer.wrap(b, off, len);
                                    while ((n = channel.read(dst)) == 0 && System.nanoTime() - until < 0) {
                                        Thread.onSpinWait();
                                    }
                                } finally {
                                    channel.configureBlocking(true);
                                }
                            }
                            if (n == 0) {
                                n = blocking.read(b, off, len);
                            }
                            if (n > 0) {
                                wait.record(System.nanoTime() - sentNanos);
                            }
                            return n;
                        } finally {
                            wait.endWait();
                        }
                    }

                    @Override
                    public int available() throws IOException {
                        return blocking.available();
                    }

                    @Override
                    public void close() throws IOException {
                        blocking.close();
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                OutputStream plain = socket.getOutputStream();
                out = new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        plain.write(b);
                        sent();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        plain.write(b, off, len);
                        sent();
                    }

                    @Override
                    public void flush() throws IOException {
                        plain.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        plain.close();
                    }
                };
            }
            return out;
        }

        private void sent() {
            sentNanos = System.nanoTime();
            replyDue = true;
        }

        @Override
        public synchronized void close() throws IOException {
            socket.close();
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public boolean isConnected() {
            return socket.isConnected();
        }

        @Override
        public boolean isBound() {
            return socket.isBound();
        }

        @Override
        public InetAddress getInetAddress() {
            return socket.getInetAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            return socket.getLocalAddress();
        }

        @Override
        public int getPort() {
            return socket.getPort();
        }

        @Override
        public int getLocalPort() {
            return socket.getLocalPort();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return socket.getRemoteSocketAddress();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            socket.setTcpNoDelay(on);
        }

        @Override
        public boolean getTcpNoDelay() throws SocketException {
            return socket.getTcpNoDelay();
        }

        @Override
        public void setSoLinger(boolean on, int linger) throws SocketException {
            socket.setSoLinger(on, linger);
        }

        @Override
        public int getSoLinger() throws SocketException {
            return socket.getSoLinger();
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            socket.setSoTimeout(timeout);
        }

        @Override
        public synchronized int getSoTimeout() throws SocketException {
            return socket.getSoTimeout();
        }

        @Override
        public synchronized void setSendBufferSize(int size) throws SocketException {
            socket.setSendBufferSize(size);
        }

        @Override
        public synchronized int getSendBufferSize() throws SocketException {
            return socket.getSendBufferSize();
        }

        @Override
        public synchronized void setReceiveBufferSize(int size) throws SocketException {
            socket.setReceiveBufferSize(size);
        }

        @Override
        public synchronized int getReceiveBufferSize() throws SocketException {
            return socket.getReceiveBufferSize();
        }

        @Override
        public void setKeepAlive(boolean on) throws SocketException {
            socket.setKeepAlive(on);
        }

        @Override
        public boolean getKeepAlive() throws SocketException {
            return socket.getKeepAlive();
        }

        @Override
        public void shutdownInput() throws IOException {
            socket.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public boolean isInputShutdown() {
            return socket.isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            return socket.isOutputShutdown();
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }
}
