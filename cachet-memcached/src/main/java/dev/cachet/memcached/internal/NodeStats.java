package dev.cachet.memcached.internal;

import dev.cachet.spi.StoreStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code stats} of each memcached node, for {@code cachet stats}: one short-lived plain
 * connection per node (apart from the store's own connections, which speak the meta protocol
 * only), with the store's connect and read timeouts. A node that cannot be reached is reported
 * down with the reason. Memcached cannot count one prefix's items, so a cache's own entries and
 * bytes stay unknown; the node figures are the whole server's.
 */
final class NodeStats {
    /** The figures shown per node, in this order. */
    static final List<String> SHOWN = List.of("curr_items", "bytes", "limit_maxbytes", "get_hits", "get_misses",
            "evictions", "uptime");

    private NodeStats() {
    }

    /** Nothing known of this cache's entries; each node's state and figures as details. */
    static StoreStats of(MemcachedSettings settings, List<Node> nodes) {
        List<StoreStats.Detail> details = new ArrayList<>();
        for (int i = 0; i < settings.servers.size(); i++) {
            KetamaRing.Server s = settings.servers.get(i);
            boolean markedDown = i < nodes.size() && nodes.get(i).isDown();
            details.add(new StoreStats.Detail("node " + MemcachedSettings.label(s), describe(settings, s, markedDown)));
        }
        return new StoreStats(StoreStats.UNKNOWN, StoreStats.UNKNOWN, details);
    }

    private static String describe(MemcachedSettings settings, KetamaRing.Server s, boolean markedDown) {
        Map<String, String> stats;
        try {
            stats = read(s, (int) settings.connectTimeout.toMillis(), (int) settings.readTimeout.toMillis());
        } catch (IOException e) {
            return "down (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
        StringBuilder sb = new StringBuilder(markedDown ? "up (answers stats, but this store marked it down)" : "up");
        for (String name : SHOWN) {
            String v = stats.get(name);
            if (v != null) {
                sb.append(' ').append(name).append('=').append(v);
            }
        }
        return sb.toString();
    }

    /** {@code stats} on a fresh connection: the {@code STAT name value} lines up to {@code END}. */
    static Map<String, String> read(KetamaRing.Server s, int connectMillis, int readMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), Math.max(1, connectMillis));
            socket.setSoTimeout(Math.max(1, readMillis));
            OutputStream out = socket.getOutputStream();
            out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            Map<String, String> stats = new LinkedHashMap<>();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("END")) {
                    return stats;
                }
                String[] parts = line.split(" ", 3);
                if (parts.length == 3 && parts[0].equals("STAT")) {
                    stats.put(parts[1], parts[2]);
                } else {
                    throw new IOException("unexpected reply to stats: " + line);
                }
            }
            throw new IOException("connection closed before the end of the stats reply");
        }
    }
}
