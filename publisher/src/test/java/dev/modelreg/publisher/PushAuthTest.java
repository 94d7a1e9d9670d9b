package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.spec.Reference;
import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.RegistryHttp;
import dev.modelreg.testkit.Skopeo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth over TLS with a private CA, against the real registry. */
class PushAuthTest {
    @TempDir
    Path tmp;

    @Test
    void tlsWithCaFileAndBasicAuthWorksAndAWrongPasswordFailsClearly() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp.resolve("reg"))) {
            Path dir = tmp.resolve("models");
            TestTrees.copyTree(TestTrees.examples(), dir);
            Map<String, String> env = PushRegistryTest.env("MODELREG_REGISTRY_USER", reg.username(),
                    "MODELREG_REGISTRY_PASSWORD", reg.password());
            Push.Request ok = Push.Request.builder(dir, Reference.parse(reg.host() + "/models/tls:v1")).name("example")
                    .registry(RegistryOptions.fromEnvironment(env).withCaFile(reg.caFile()))
                    .created(CreationTime.fromEnvironment(env)).build();
            Push.Result r = Push.run(ok);
            byte[] m = new RegistryHttp(reg).getManifest("models/tls", "v1", MediaTypes.OCI_MANIFEST);
            assertThat(Digest.sha256Of(m)).isEqualTo(r.digest());
            assertThat(Skopeo.inspectRaw(reg.host() + "/models/tls:v1", true, Skopeo.flagsFor(reg, ""))
                    .getBytes(StandardCharsets.UTF_8)).isEqualTo(m);

            Map<String, String> bad = PushRegistryTest.env("MODELREG_REGISTRY_USER", reg.username(),
                    "MODELREG_REGISTRY_PASSWORD", reg.password() + "-wrong");
            Push.Request wrong = Push.Request.builder(dir, Reference.parse(reg.host() + "/models/tls:v2"))
                    .name("example").registry(RegistryOptions.fromEnvironment(bad).withCaFile(reg.caFile()))
                    .created(CreationTime.fromEnvironment(bad)).build();
            assertThatThrownBy(() -> Push.run(wrong)).isInstanceOf(ContentException.class)
                    .hasMessageContaining("credentials for 127.0.0.1:" + reg.port() + " from MODELREG_REGISTRY_USER were rejected")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(reg.password()));

            // without the CA the TLS handshake fails, also as an error (no trust-all fallback)
            Push.Request noCa = Push.Request.builder(dir, Reference.parse(reg.host() + "/models/tls:v3"))
                    .name("example").registry(RegistryOptions.fromEnvironment(env))
                    .created(CreationTime.fromEnvironment(env)).build();
            assertThatThrownBy(() -> Push.run(noCa)).isInstanceOf(java.io.IOException.class);
        }
    }
}
