package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ServersTest {
    private static final String HOW = "start it with: fooserver --daemonize";

    private static Servers.Server closedPortServer() {
        return new Servers.Server("FooServer", Servers.HOST, Servers.freePort(), null, null);
    }

    @Test
    void anAbsentServerSkipsTheTestNamingItAndHowToStartIt() {
        Servers.Server s = closedPortServer();
        assertThatThrownBy(() -> Servers.check(s, HOW, false)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("FooServer").hasMessageContaining(s.address()).hasMessageContaining(HOW)
                .hasMessageContaining(Servers.REQUIRE_PROPERTY);
    }

    @Test
    void anAbsentServerFailsTheTestWhenServersAreRequired() {
        Servers.Server s = closedPortServer();
        assertThatThrownBy(() -> Servers.check(s, HOW, true)).isInstanceOf(AssertionFailedError.class)
                .isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("FooServer").hasMessageContaining(HOW).hasMessageContaining("required");
    }

    @Test
    void aListeningServerIsReturnedWhateverTheSetting() throws IOException {
        try (ServerSocket listening = new ServerSocket()) {
            listening.bind(new InetSocketAddress(Servers.HOST, 0));
            Servers.Server s = new Servers.Server("FooServer", Servers.HOST, listening.getLocalPort(), "db", "me");
            assertThat(Servers.check(s, HOW, false)).isSameAs(s);
            assertThat(Servers.check(s, HOW, true)).isSameAs(s);
            assertThat(s.address()).isEqualTo("127.0.0.1:" + listening.getLocalPort());
        }
    }

    @Test
    void isListeningTellsOpenFromClosedPorts() throws IOException {
        assertThat(Servers.isListening(Servers.HOST, Servers.freePort(), Duration.ofMillis(200))).isFalse();
        try (ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getByName(Servers.HOST))) {
            assertThat(Servers.isListening(Servers.HOST, listening.getLocalPort(), Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void serversAreRequiredWhenThePropertyOrTheEnvironmentSaysTrue() {
        Map<String, String> none = Map.of();
        Map<String, String> propTrue = Map.of(Servers.REQUIRE_PROPERTY, "true");
        Map<String, String> propFalse = Map.of(Servers.REQUIRE_PROPERTY, "false");
        Map<String, String> envTrue = Map.of(Servers.REQUIRE_ENV, " TRUE ");
        Map<String, String> envOther = Map.of(Servers.REQUIRE_ENV, "yes please");
        assertThat(Servers.serversRequired(none::get, none::get)).isFalse();
        assertThat(Servers.serversRequired(propTrue::get, none::get)).isTrue();
        assertThat(Servers.serversRequired(none::get, envTrue::get)).isTrue();
        assertThat(Servers.serversRequired(propFalse::get, envTrue::get)).as("the build's default false does not mask CI's env").isTrue();
        assertThat(Servers.serversRequired(propFalse::get, none::get)).isFalse();
        assertThat(Servers.serversRequired(none::get, envOther::get)).isFalse();
    }

    @Test
    void freePortIsBindable() throws IOException {
        int port = Servers.freePort();
        assertThat(port).isBetween(1, 65535);
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(Servers.HOST, port));
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void findOnPathFindsExecutablesOnly() {
        assertThat(Servers.findOnPath("sh")).isPresent();
        assertThat(Servers.findOnPath("no-such-binary-" + System.nanoTime())).isEmpty();
    }

    @Test
    void startedMemcachedListensUntilClosed() {
        // skips (or, with servers required, fails) when memcached is not installed
        try (Servers.Memcached m = Servers.startMemcached()) {
            assertThat(m.isAlive()).isTrue();
            assertThat(Servers.isListening(m.host(), m.port(), Duration.ofSeconds(1))).isTrue();
            m.close();
            assertThat(m.isAlive()).isFalse();
            assertThat(Servers.isListening(m.host(), m.port(), Duration.ofMillis(200))).isFalse();
        }
    }
}
