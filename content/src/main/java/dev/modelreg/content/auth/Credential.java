package dev.modelreg.content.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A registry credential and where it was found ({@code source}, e.g. {@code MODELREG_REGISTRY_USER},
 * {@code /home/u/.docker/config.json (credHelpers: pass)}). Never prints its secret.
 */
public final class Credential {
    private final String username;
    private final String secret;
    private final String source;

    public Credential(String username, String secret, String source) {
        this.username = Objects.requireNonNull(username, "username");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.source = Objects.requireNonNull(source, "source");
    }

    public String username() {
        return username;
    }

    public String source() {
        return source;
    }

    /** The {@code Authorization} value for HTTP basic authentication. */
    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code Authorization} value that sends the secret as a bearer token (GitHub downloads). */
    public String bearerHeader() {
        return "Bearer " + secret;
    }

    /** True when the secret is a bearer token to send as is (an explicit registry token), not a password. */
    public boolean isBearerToken() {
        return username.isEmpty();
    }

    String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "Credential[user=" + username + ", secret=***, from " + source + "]";
    }
}
