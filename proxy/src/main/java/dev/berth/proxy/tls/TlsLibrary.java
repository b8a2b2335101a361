package dev.berth.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** Which TLS implementation Berth speaks: the HTTPS listener's, and that of its connections to {@code https} backends. */
public enum TlsLibrary {
    /** BoringSSL through netty-tcnative where its native library loads (Linux x86_64 and aarch64), else the JDK's. */
    AUTO,
    /**
     * The JDK's own TLS (JSSE), whatever else loads: for a JDK with a certified (FIPS) provider, or to compare. Session
     * tickets then follow the JDK's {@code jdk.tls.server.enableSessionTicketExtension}, not {@code --no-session-tickets}.
     */
    JDK;

    /** The implementation this choice comes to on this machine. */
    public SslProvider provider() {
        return this == AUTO && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** By its name in the CLI, {@code auto} or {@code jdk}. */
    public static TlsLibrary of(String name) {
        for (TlsLibrary library : values()) {
            if (library.name().equalsIgnoreCase(name)) {
                return library;
            }
        }
        throw new IllegalArgumentException("--tls-library " + name + " (expected: auto or jdk)");
    }
}
