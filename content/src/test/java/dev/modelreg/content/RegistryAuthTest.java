package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
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

            // docker config.json credentials, as `docker login` writes them, found through HOME
            Path home = tmp.resolve("home");
            Files.createDirectories(home.resolve(".docker"));
            String auth = java.util.Base64.getEncoder().encodeToString((r.username() + ":" + r.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"" + r.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            RegistryStore fromConfig = RegistryStore.connect(ref, RegistryOptions.fromEnvironment(java.util.Map.of("HOME", home.toString())));
            assertThat(fromConfig.resolve("v1")).isEqualTo(art.root());

            // rejected credentials and missing ones say which, in one line, and never show the secret
            RegistryStore wrong = RegistryStore.connect(ref, RegistryOptions.defaults().withCredentials(r.username(), "not-" + r.password()));
            String rejected = "credentials for " + r.host() + " from the given user and password were rejected";
            assertThatThrownBy(() -> wrong.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessageStartingWith(rejected)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-" + r.password()).doesNotContain("\n"));
            assertThatThrownBy(() -> Copy.copy(src, "v1", wrong, "v2", CopyOptions.defaults()))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessageContaining(rejected);
            Path empty = Files.createDirectories(tmp.resolve("nobody"));
            RegistryStore none = RegistryStore.connect(ref, RegistryOptions.fromEnvironment(java.util.Map.of("HOME", empty.toString())));
            assertThatThrownBy(() -> none.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessageContaining("no credentials for " + r.host() + " (looked in MODELREG_REGISTRY_USER/MODELREG_REGISTRY_PASSWORD, "
                            + empty.resolve(".docker/config.json"));
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
            assertThat(back.readManifest(back.resolve("v1"))).isEqualTo(art.manifestBytes());
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }

            // without the CA the server is not trusted: one line, UNAVAILABLE, naming the host and the fix
            RegistryStore untrusted = RegistryStore.connect(ref,
                    RegistryOptions.defaults().withCredentials(r.username(), r.password()).withPlainHttp(false));
            assertThatThrownBy(() -> untrusted.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE))
                    .hasMessageStartingWith("TLS handshake with " + ref.name() + " failed")
                    .hasMessageContaining("--ca-file")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

            // the same loopback registry spoken to in plain HTTP (the default on loopback without a CA file): the
            // error says it speaks TLS, not "HTTP 400"
            RegistryStore plain = RegistryStore.connect(ref, RegistryOptions.defaults());
            assertThat(plain.scheme()).isEqualTo("http");
            assertThatThrownBy(() -> plain.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE))
                    .hasMessageStartingWith(ref.name() + " speaks TLS (https), not plain HTTP")
                    .hasMessageContaining("--ca-file")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("HTTP 400"));

            // a CA file that is not a certificate: one line naming the file
            Path junk = Files.writeString(tmp.resolve("junk.pem"), "not a certificate");
            assertThatThrownBy(() -> RegistryStore.connect(ref, opts.withCaFile(junk)).resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageContaining(junk.toString());
        }
    }
}
