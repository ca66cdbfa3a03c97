package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code cachet proxy}: its bad usage is named; the proxy itself is tested in cachet-proxy. */
class ProxyCommandTest {
    final Cli cli = Cli.real();

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void theOriginIsRequiredAndMustBeAnHttpUrl() {
        Cli.Run missing = cli.run("proxy");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.stderr()).contains("--origin");
        Cli.Run ftp = cli.run("proxy", "--origin", "ftp://127.0.0.1/x", "--listen", "127.0.0.1:0");
        assertThat(ftp.code()).isNotZero();
        assertThat(ftp.stderr()).contains("ftp://127.0.0.1/x", "http://");
    }

    @Test
    void aBadListenAddressIsNamed() {
        Cli.Run r = cli.run("proxy", "--origin", "http://127.0.0.1:8000", "--listen", "8080");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("--listen '8080'", "HOST:PORT");
        Cli.Run port = cli.run("proxy", "--origin", "http://127.0.0.1:8000", "--listen", "127.0.0.1:99999");
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.stderr()).contains("0-65535");
    }

    @Test
    void anAddressInUseFailsWithItsName() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Cli.Run r = cli.run("proxy", "--origin", "http://127.0.0.1:8000", "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.stderr()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
