package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a private redis-server that speaks TLS only, with a self-signed
 * certificate made by {@code openssl} for the test: it connects with {@code verify_peer=false};
 * with verification on (the default) the untrusted certificate is refused at open; a plain
 * {@code redis://} location cannot talk to a TLS port.
 */
class RedisTlsTest {
    private static RedisProcess redis;
    /** The server's self-signed certificate, kept for the ca_file test. */
    private static Path trusted;

    @BeforeAll
    static void startTlsServer() throws IOException, InterruptedException {
        Path openssl = Servers.requireExecutable("openssl", "install it with: apt-get install -y openssl");
        Path dir = java.nio.file.Files.createTempDirectory("cachet-redis-tls-");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl req exit code").isZero();
        // --port 0 after the plain port RedisProcess passes: the server listens with TLS only, on the tls-port
        int port = Servers.freePort();
        redis = RedisProcess.launchOn(port, "--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
                cert.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file", cert.toString(),
                "--tls-auth-clients", "no");
        trusted = java.nio.file.Files.createTempFile("cachet-redis-ca-", ".pem");
        java.nio.file.Files.copy(cert, trusted, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RedisProcess.deleteTree(dir);
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (trusted != null) {
            trusted.toFile().delete();
        }
    }

    @Test
    void rediss() {
        try (Cache cache = Caches.open("rediss://" + redis.address() + "/0?verify_peer=false")) {
            assertThat(cache.set("k", "over TLS")).isTrue();
            assertThat(cache.get("k")).isEqualTo("over TLS");
            cache.set("n", 1);
            assertThat(cache.incr("n")).isEqualTo(2);
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWhenPeersAreVerified() {
        assertThatThrownBy(() -> Caches.open("rediss://" + redis.address() + "/0")).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to rediss://" + redis.address());
    }

    @Test
    void aPrivateCaGivenAsCaFileIsTrustedWithPeersVerified() {
        try (Cache cache = Caches.open(dev.cachet.CacheConfig.builder("rediss://" + redis.address() + "/0")
                .option("ca_file", trusted.toString()).build())) {
            assertThat(cache.set("k", "verified")).isTrue();
            assertThat(cache.get("k")).isEqualTo("verified");
        }
        assertThatThrownBy(() -> Caches.open(dev.cachet.CacheConfig.builder("rediss://" + redis.address() + "/0")
                .option("ca_file", trusted + ".missing").build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca_file").hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> Caches.open(dev.cachet.CacheConfig.builder("redis://" + redis.address() + "/0")
                .option("ca_file", trusted.toString()).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applies to TLS");
    }

    @Test
    void plainRedisCannotTalkToATlsPort() {
        assertThatThrownBy(() -> Caches.open("redis://" + redis.address() + "/0?connect_timeout=1s&command_timeout=1s"))
                .isInstanceOf(StoreException.class);
    }
}
