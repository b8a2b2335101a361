package dev.berth.proxy.tls;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which of several values serves a TLS server name (SNI), by Ingress host rules: an exact name, else a
 * {@code *.example.com} wildcard, which covers exactly one more label ({@code a.example.com}, not {@code example.com}
 * nor {@code a.b.example.com}); names compare without case. Where two values claim one name, the first added keeps it.
 * Immutable once built; a lookup is two hash probes.
 *
 * @param <T> what a name leads to (a TLS context in the listener, anything in tests)
 */
public final class ServerNames<T> {
    private final Map<String, T> exact;
    /** By the part after {@code *.}: {@code example.com} for {@code *.example.com}. */
    private final Map<String, T> wildcards;

    private ServerNames(Map<String, T> exact, Map<String, T> wildcards) {
        this.exact = Map.copyOf(exact);
        this.wildcards = Map.copyOf(wildcards);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The value for {@code serverName}, or empty when no name covers it (or the client sent none). */
    public Optional<T> find(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return Optional.empty();
        }
        String name = normalize(serverName);
        T value = exact.get(name);
        if (value != null) {
            return Optional.of(value);
        }
        int dot = name.indexOf('.');
        return dot <= 0 ? Optional.empty() : Optional.ofNullable(wildcards.get(name.substring(dot + 1)));
    }

    public boolean isEmpty() {
        return exact.isEmpty() && wildcards.isEmpty();
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    public static final class Builder<T> {
        private final Map<String, T> exact = new HashMap<>();
        private final Map<String, T> wildcards = new HashMap<>();

        private Builder() {
        }

        /**
         * Lets {@code value} serve {@code host} unless an earlier value already does.
         *
         * @return whether it took the name
         */
        public boolean add(String host, T value) {
            String name = normalize(host);
            if (name.startsWith("*.")) {
                return wildcards.putIfAbsent(name.substring(2), value) == null;
            }
            return exact.putIfAbsent(name, value) == null;
        }

        public ServerNames<T> build() {
            return new ServerNames<>(exact, wildcards);
        }
    }
}
