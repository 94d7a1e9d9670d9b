package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.FaultProxy;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest PUT the registry refuses for a blob it cannot see (the real registry behind a fault proxy): the push
 * re-checks the manifest's blobs with HEADs, uploads the missing ones and puts the manifest again, a bounded number
 * of times; other refusals are final at once.
 */
class ManifestRetryTest {
    @TempDir static Path shared;
    @TempDir Path tmp;
    static RegistryFixture registry;
    static FaultProxy proxy;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, shared.resolve("registry"));
        proxy = FaultProxy.start(registry.port());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (registry != null) registry.close();
    }

    @BeforeEach
    void reset() {
        proxy.clearRules();
        proxy.clearExchanges();
    }

    private OciLayout source(Blobs.Artifact art) throws IOException {
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        art.pushTo(src);
        return src;
    }

    private static RegistryStore store(String repository) {
        return RegistryStore.connect(OciReference.parse(proxy.host() + "/" + repository), RegistryOptions.defaults());
    }

    /** The manifest and tag PUTs the proxy saw, in order. */
    List<FaultProxy.Exchange> manifestPuts() {
        return proxy.exchanges().stream().filter(x -> x.method().equals("PUT") && x.path().contains("/manifests/")).toList();
    }

    @Test
    void aDigestInvalidManifestPutReChecksTheBlobsAndSucceeds() throws IOException {
        Blobs.Artifact art = Blobs.artifact(31, 3);
        FaultProxy.Rule r = proxy.inject("PUT", "/manifests/sha256:", FaultProxy.Fault.registryError(400, "DIGEST_INVALID"), 1);

        Copy.copy(source(art), art.root(), store("models/retry-once"), "v1", CopyOptions.defaults());

        assertThat(r.injected()).isEqualTo(1);
        List<FaultProxy.Exchange> log = proxy.exchanges();
        int refused = indexOf(log, x -> x.faulted());
        int accepted = indexOf(log, x -> x.method().equals("PUT") && x.path().contains("/manifests/sha256:") && x.status() == 201);
        assertThat(refused).isLessThan(accepted);
        List<String> between = log.subList(refused + 1, accepted).stream().map(x -> x.method() + " " + x.path()).toList();
        for (Descriptor d : art.blobs().keySet()) {
            assertThat(between).as("re-checked %s", d.digest()).contains("HEAD /v2/models/retry-once/blobs/" + d.digest());
        }
        RegistryStore direct = RegistryStore.connect(OciReference.parse(registry.host() + "/models/retry-once"), RegistryOptions.defaults());
        assertThat(direct.resolve("v1")).isEqualTo(art.root());
    }

    @Test
    void aBlobTheRegistryNeverLinkedIsSentAgainAfterManifestBlobUnknown() throws IOException {
        Blobs.Artifact art = Blobs.artifact(32, 2);
        // the first upload's final PUT is answered 201 by the proxy and never reaches the registry: that blob is missing
        FaultProxy.Rule lost = proxy.inject("PUT", "/blobs/uploads/", FaultProxy.Fault.status(201), 1);

        Copy.copy(source(art), art.root(), store("models/retry-lost"), "v1", CopyOptions.defaults());

        assertThat(lost.injected()).isEqualTo(1);
        assertThat(manifestPuts()).extracting(FaultProxy.Exchange::status).containsExactly(400, 201, 201); // the real refusal, the retry, the tag
        RegistryStore direct = RegistryStore.connect(OciReference.parse(registry.host() + "/models/retry-lost"), RegistryOptions.defaults());
        for (Descriptor d : art.blobs().keySet()) assertThat(direct.exists(d)).as("%s", d.digest()).isTrue();
        assertThat(direct.resolve("v1")).isEqualTo(art.root());
    }

    @Test
    void aDigestInvalidThatPersistsFailsAsAnIntegrityErrorAfterTheBoundedAttempts() throws IOException {
        Blobs.Artifact art = Blobs.artifact(33, 2);
        proxy.inject("PUT", "/manifests/", FaultProxy.Fault.registryError(400, "DIGEST_INVALID"), FaultProxy.ALWAYS);
        OciLayout src = source(art);

        assertThatThrownBy(() -> Copy.copy(src, art.root(), store("models/retry-never"), "v1", CopyOptions.defaults()))
                .isInstanceOfSatisfying(ContentException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH); // the CLI's exit 6, integrity
                    assertThat(e.getMessage()).doesNotContain("\n")
                            .contains("models/retry-never", "manifest " + art.root().digest(), "DIGEST_INVALID", "tried 3 times");
                });
        assertThat(manifestPuts()).hasSize(Copy.MANIFEST_ATTEMPTS);
    }

    @Test
    void anyOtherRefusalOfTheManifestIsFinalAtOnce() throws IOException {
        Blobs.Artifact art = Blobs.artifact(34, 2);
        proxy.inject("PUT", "/manifests/", FaultProxy.Fault.registryError(400, "MANIFEST_INVALID"), FaultProxy.ALWAYS);
        OciLayout src = source(art);

        assertThatThrownBy(() -> Copy.copy(src, art.root(), store("models/retry-invalid"), "v1", CopyOptions.defaults()))
                .isInstanceOfSatisfying(ContentException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("MANIFEST_INVALID").doesNotContain("tried");
                });
        assertThat(manifestPuts()).hasSize(1);
    }

    @Test
    void aBlobHeadAnswered500IsAskedAgainButNotForever() throws IOException {
        Blobs.Artifact art = Blobs.artifact(35, 1);
        // what distribution answers while another upload of the blob rewrites its link
        FaultProxy.Rule once = proxy.inject("HEAD", "/blobs/", FaultProxy.Fault.status(500), 1);
        Copy.copy(source(art), art.root(), store("models/head-500"), "v1", CopyOptions.defaults());
        assertThat(once.injected()).isEqualTo(1);

        proxy.clearRules();
        Blobs.Artifact other = Blobs.artifact(36, 1);
        proxy.inject("HEAD", "/blobs/", FaultProxy.Fault.status(500), FaultProxy.ALWAYS);
        OciLayout src = OciLayout.open(tmp.resolve("other"));
        other.pushTo(src);
        assertThatThrownBy(() -> Copy.copy(src, other.root(), store("models/head-500"), "v2", CopyOptions.defaults()))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.getMessage()).contains("HTTP 500"));
    }

    private static int indexOf(List<FaultProxy.Exchange> log, java.util.function.Predicate<FaultProxy.Exchange> p) {
        for (int i = 0; i < log.size(); i++) if (p.test(log.get(i))) return i;
        throw new AssertionError("no such exchange in " + log);
    }
}
