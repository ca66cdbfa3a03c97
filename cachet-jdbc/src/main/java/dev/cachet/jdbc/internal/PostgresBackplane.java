package dev.cachet.jdbc.internal;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL backplane: {@code LISTEN} on a connection of its own, read by one thread
 * ({@code getNotifications} with a short wait), and {@code pg_notify} on a second connection.
 * Either connection that fails is opened again (the listener every half second until the
 * server answers, then {@code LISTEN} again and a reset: notifications sent meanwhile went to
 * nobody); a publish while the publishing connection is down throws, which the receivers see as
 * a gap. The listening connection's {@code application_name} is {@value #LISTENER_NAME}.
 * A notification sent inside a transaction is delivered at its commit, and never for a
 * rolled-back one (PostgreSQL's own rule), which {@link dev.cachet.jdbc.PostgresOutbox} builds on.
 */
public final class PostgresBackplane implements Backplane {
    /** The {@code application_name} of the listening connection (for operators, and tests that cut it). */
    public static final String LISTENER_NAME = "cachet-backplane-listen";
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet.twolevel");
    private static final int WAIT_MILLIS = 100;

    private final String url;
    private final Properties properties;
    private final String channel;
    private final String shown;
    private final Thread thread;
    private final Object publishLock = new Object();
    private volatile Listener listener;
    private volatile boolean closed;
    private Connection publisher;
    private PreparedStatement notify;

    private PostgresBackplane(JdbcCredentials credentials, String channel, String shown) {
        this.url = credentials.url();
        this.properties = credentials.properties();
        properties.setProperty("connectTimeout", "2"); // seconds: a publish under the writers' lock must not hang
        this.channel = channel;
        this.shown = shown;
        this.thread = new Thread(this::listen, "cachet-postgres-backplane");
        thread.setDaemon(true);
    }

    /**
     * The backplane at {@code config} ({@code jdbc:postgresql://...}) on {@code channel}.
     *
     * @throws IllegalArgumentException for another database, or a channel PostgreSQL cannot name
     */
    public static PostgresBackplane open(CacheConfig config, String channel) {
        String url = "jdbc:" + config.target();
        if (!config.target().startsWith("postgresql:")) {
            throw new IllegalArgumentException("cache '" + config.name() + "': backplane '" + config.redactedLocation()
                    + "' is not PostgreSQL; of the SQL databases only PostgreSQL has LISTEN/NOTIFY");
        }
        if (channel.indexOf('\0') >= 0 || channel.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            throw new IllegalArgumentException("cache '" + config.name() + "': backplane channel '" + channel
                    + "' must be at most 63 bytes without NUL (a PostgreSQL identifier)");
        }
        return new PostgresBackplane(JdbcCredentials.of(url, Dialect.POSTGRESQL), channel,
                "postgresql " + config.redactedLocation() + " channel " + channel);
    }

    @Override
    public void subscribe(Listener l) {
        this.listener = l;
        thread.start();
    }

    private void listen() {
        Connection c = null;
        while (!closed) {
            try {
                if (c == null) {
                    Properties p = new Properties();
                    p.putAll(properties);
                    p.setProperty("ApplicationName", LISTENER_NAME);
                    c = DriverManager.getConnection(url, p);
                    try (Statement s = c.createStatement()) {
                        s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                    }
                    listener.onReset("listening on " + shown);
                }
                PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
                if (got != null) {
                    for (PGNotification n : got) {
                        deliver(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (c != null) {
                    listener.onDisconnected(e.toString());
                }
                closeQuietly(c);
                c = null;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        closeQuietly(c);
    }

    private void deliver(String text) {
        try {
            listener.onMessage(Invalidation.decode(unescape(text)));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignored: {}", shown, e.getMessage());
        }
    }

    /**
     * A message as a NOTIFY payload: PostgreSQL's text holds no NUL character, which keys may
     * (a namespace's keys do), so a backslash is written as two backslashes and NUL as a
     * backslash and the digit 0. An escaped message may pass NOTIFY's 8,000 bytes where the
     * plain one did not: that publish fails, and receivers see the gap (they clear their copies).
     */
    static String escape(String text) {
        if (text.indexOf('\0') < 0 && text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\0') {
                b.append("\\0");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The message a payload holds, as {@link #escape} wrote it.
     *
     * @throws IllegalArgumentException when a backslash is followed by neither a backslash nor {@code 0}
     */
    static String unescape(String payload) {
        if (payload.indexOf('\\') < 0) {
            return payload;
        }
        StringBuilder b = new StringBuilder(payload.length());
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char next = i + 1 < payload.length() ? payload.charAt(++i) : ' ';
            if (next == '\\') {
                b.append('\\');
            } else if (next == '0') {
                b.append('\0');
            } else {
                throw new IllegalArgumentException("backplane payload has a backslash not followed by \\ or 0 at " + i);
            }
        }
        return b.toString();
    }

    @Override
    public void publish(Invalidation message) {
        synchronized (publishLock) {
            try {
                if (publisher == null) {
                    Properties p = new Properties();
                    p.putAll(properties);
                    p.setProperty("socketTimeout", "5");
                    publisher = DriverManager.getConnection(url, p);
                    publisher.setAutoCommit(true);
                    notify = publisher.prepareStatement("SELECT pg_notify(?, ?)");
                }
                notify.setString(1, channel);
                notify.setString(2, escape(message.encode()));
                notify.executeQuery().close();
            } catch (SQLException e) {
                closeQuietly(publisher);
                publisher = null;
                throw new IllegalStateException("pg_notify on " + shown + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String describe() {
        return shown;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (publishLock) {
            closeQuietly(publisher);
            publisher = null;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }
}
