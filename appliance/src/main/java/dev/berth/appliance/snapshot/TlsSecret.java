package dev.berth.appliance.snapshot;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** The entries of a {@code kubernetes.io/tls} Secret, decoded as the API server would serve them. */
public final class TlsSecret {
    public static final String TYPE = "kubernetes.io/tls";
    public static final String CERTIFICATE = "tls.crt";
    public static final String KEY = "tls.key";

    private TlsSecret() {
    }

    public static boolean isTls(Secret secret) {
        return TYPE.equals(secret.getType());
    }

    /**
     * The entry from stringData (which wins, as on the API server) or data, decoded; empty when it has neither.
     *
     * @throws IllegalArgumentException when data holds something that is not base64
     */
    public static Optional<String> entry(Secret secret, String key) {
        Map<String, String> stringData = secret.getStringData();
        if (stringData != null && stringData.get(key) != null) {
            return Optional.of(stringData.get(key));
        }
        Map<String, String> data = secret.getData();
        String encoded = data == null ? null : data.get(key);
        return encoded == null ? Optional.empty() : Optional.of(new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8));
    }
}
