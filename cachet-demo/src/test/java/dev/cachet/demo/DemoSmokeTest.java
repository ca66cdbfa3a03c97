package dev.cachet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testkit.Servers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cachet demo --smoke} at the demo's real size (a heavy reader's ranking takes seconds)
 * on a cluster of two memcached servers: the scripted visit's outcomes, and its table printed
 * into the test report.
 */
class DemoSmokeTest {
    @TempDir
    Path data;

    @Test
    void theSmokeVisitOnTwoMemcachedServers() throws Exception {
        try (Servers.Memcached a = Servers.startMemcached(); Servers.Memcached b = Servers.startMemcached();
                Demo demo = Demo.builder().listen("127.0.0.1", 0).data(data)
                        .cache("memcached://" + a.address() + "," + b.address()).feedUpdates(Duration.ZERO).start()) {
            assertThat(demo.cacheDescription()).contains("memcached://" + a.address() + "," + b.address());
            DemoSmoke.Result r = new DemoSmoke(demo.uri()).run(demo.users(), Duration.ofMinutes(2));
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            r.print(new PrintStream(table, true, StandardCharsets.UTF_8));
            System.out.println("cachet demo --smoke on " + demo.cacheDescription() + "\n" + table.toString(StandardCharsets.UTF_8));

            assertThat(r.firstPage().outcome()).isEqualTo("computed");
            assertThat(r.afterAddFeed().outcome()).as("the page right after adding a feed").isEqualTo("stale");
            assertThat(r.freshPage().outcome()).isEqualTo("cached");
            assertThat(r.freshPage().pageVersion()).isGreaterThan(r.afterAddFeed().pageVersion());
            assertThat(r.frequentAfterUpdate().outcome()).as("the frequent reader's page after a feed update").isEqualTo("cached");
            assertThat(r.frequentAfterUpdate().pageVersion()).isEqualTo(2);
            // invalidated: never the previous ranking
            assertThat(r.occasionalAfterUpdate().outcome()).isIn("computed", "cached");
            assertThat(r.occasionalAfterUpdate().pageVersion()).isEqualTo(2);
            assertThat(r.hitRatio()).isBetween(0.7, 1.0);
        }
    }
}
