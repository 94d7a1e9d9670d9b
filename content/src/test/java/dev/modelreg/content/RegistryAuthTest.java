package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth and TLS with a CA file, against the real registry in its BASIC_AUTH and TLS_BASIC_AUTH modes. */
class RegistryAuthTest {
    @TempDir Path tmp;

    private OciLayout layoutWith(Blobs.Artifact art) throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("src"));
        art.pushTo(a);
        a.tag(art.root(), "v1");
        return a;
    }

    @Test
    void basicAuth() throws IOException {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            OciReference ref = OciReference.parse(r.host() + "/models/auth");
            Blobs.Artifact art = Blobs.artifact(21, 2);
            OciLayout src = layoutWith(art);

            RegistryStore good = RegistryStore.connect(ref, RegistryOptions.defaults().withCredentials(r.username(), r.password()));
            CopyResult up = Copy.copy(src, "v1", good, "v1", CopyOptions.defaults());
            assertThat(up.blobsCopied()).isEqualTo(4);
            assertThat(good.resolve("v1")).isEqualTo(art.root());

            // environment credentials work the same way
            RegistryOptions env = RegistryOptions.fromEnvironment(java.util.Map.of(
                    "MODELREG_REGISTRY_USER", r.username(), "MODELREG_REGISTRY_PASSWORD", r.password()));
            assertThat(RegistryStore.connect(ref, env).resolve("v1")).isEqualTo(art.root());

            // docker config.json credentials (oras AuthStore), as `docker login` writes them
            Path home = tmp.resolve("home");
            Files.createDirectories(home.resolve(".docker"));
            String auth = java.util.Base64.getEncoder().encodeToString((r.username() + ":" + r.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"" + r.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            String savedHome = System.getProperty("user.home");
            System.setProperty("user.home", home.toString());
            try {
                RegistryStore fromConfig = RegistryStore.connect(ref, RegistryOptions.defaults().withAuthStore(true));
                assertThat(fromConfig.resolve("v1")).isEqualTo(art.root());
            } finally {
                System.setProperty("user.home", savedHome);
            }

            RegistryStore wrong = RegistryStore.connect(ref, RegistryOptions.defaults().withCredentials(r.username(), "not-" + r.password()));
            for (RegistryStore bad : new RegistryStore[] {wrong, RegistryStore.connect(ref, RegistryOptions.defaults())}) {
                assertThatThrownBy(() -> bad.resolve("v1"))
                        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                        .hasMessage("authentication failed for " + r.host());
                assertThatThrownBy(() -> Copy.copy(src, "v1", bad, "v2", CopyOptions.defaults()))
                        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                        .hasMessage("authentication failed for " + r.host());
            }
            // nothing was tagged by the failed copies
            assertThatThrownBy(() -> good.resolve("v2"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND));
        }
    }

    @Test
    void tlsWithCaFile() throws IOException {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp.resolve("reg"))) {
            OciReference ref = OciReference.parse(r.host() + "/models/tls");
            RegistryOptions opts = RegistryOptions.defaults().withCredentials(r.username(), r.password()).withCaFile(r.caFile());
            RegistryStore store = RegistryStore.connect(ref, opts);
            assertThat(store.scheme()).isEqualTo("https"); // a CA file means TLS even on loopback
            Blobs.Artifact art = Blobs.artifact(22, 3);
            Copy.copy(layoutWith(art), "v1", store, "v1", CopyOptions.defaults());

            OciLayout back = OciLayout.open(tmp.resolve("back"));
            RegistryStore reader = RegistryStore.connect(ref, opts);
            Copy.copy(reader, "v1", back, "v1", CopyOptions.defaults());
            // blobs come over the direct path (TLS with the CA file, basic credentials), not handed back to oras
            assertThat(reader.directStats()).containsExactly((long) art.blobs().size(), 0L);
            assertThat(back.readManifest(back.resolve("v1"))).isEqualTo(art.manifestBytes());
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }

            // without the CA the server is not trusted: one line, UNAVAILABLE, naming the host
            RegistryStore untrusted = RegistryStore.connect(ref,
                    RegistryOptions.defaults().withCredentials(r.username(), r.password()).withPlainHttp(false));
            assertThatThrownBy(() -> untrusted.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE))
                    .hasMessageStartingWith("cannot reach " + r.host() + ": TLS")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

            // a CA file that is not a certificate is refused up front
            Path junk = Files.writeString(tmp.resolve("junk.pem"), "not a certificate");
            assertThatThrownBy(() -> RegistryStore.connect(ref, opts.withCaFile(junk)))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageContaining(junk.toString());
        }
    }
}
