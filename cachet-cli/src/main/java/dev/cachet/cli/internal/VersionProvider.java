package dev.cachet.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of cachet (from the build) and of the Java runtime, for {@code --version}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "cachet " + cachetVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }

    /** The version of cachet-cli the build wrote, or {@code unknown}. */
    public static String cachetVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/cachet/cli/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
