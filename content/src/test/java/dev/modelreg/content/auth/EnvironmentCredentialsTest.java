package dev.modelreg.content.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.ContentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed credentials file is named with the place of the error, never with its text. */
class EnvironmentCredentialsTest {
    @TempDir Path tmp;

    @Test
    void malformedConfigIsNamedWithoutQuotingTheSecret() throws Exception {
        String auth = "bW9kZWxyZWc6c2VjcmV0LXBhc3N3b3JkLTEyMzQ1"; // modelreg:secret-password-12345, unquoted below
        Files.writeString(tmp.resolve("config.json"), "{\"auths\": {\"reg.example:5000\": {\"auth\": " + auth + "}}}");
        EnvironmentCredentials creds = EnvironmentCredentials.of(Map.of("DOCKER_CONFIG", tmp.toString(), "HOME", tmp.toString()));
        assertThatThrownBy(() -> creds.find("reg.example:5000", "models"))
                .isInstanceOf(ContentException.class)
                .hasMessage(tmp.resolve("config.json") + ": invalid JSON (line 1, column 41)")
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }
}
