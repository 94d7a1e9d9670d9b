package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed copy says, as data, which side failed and what it was doing ({@link CopyException}, oras-go's copyerror):
 * the kind and the words of the message stay those of the failure.
 */
class CopyErrorsTest {
    @TempDir Path tmp;

    /** A layout holding {@code art}, tagged v1. */
    OciLayout source(Blobs.Artifact art) throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("src"));
        art.pushTo(a);
        a.tag(art.root(), "v1");
        return a;
    }

    /** {@code t} is a copy's failure of {@code origin} doing {@code op}, of {@code kind}; returned for more checks. */
    static CopyException copyFailure(Throwable t, CopyException.Origin origin, CopyException.Op op, ContentException.Kind kind) {
        assertThat(t).isInstanceOf(CopyException.class);
        CopyException e = (CopyException) t;
        assertThat(e.origin()).as("origin").isEqualTo(origin);
        assertThat(e.op()).as("op").isEqualTo(op);
        assertThat(e.kind()).as("kind").isEqualTo(kind);
        return e;
    }

    @Test
    void bytesASourceServesWrongAreTheSourcesFetch() throws IOException {
        Blobs.Artifact art = Blobs.artifact(81, 2);
        OciLayout a = source(art);
        Descriptor layer = art.layer(1);
        byte[] wrong = art.blobs().get(layer).clone();
        wrong[10] ^= 1;
        Files.write(a.blobPath(layer.digest()), wrong); // same size, other bytes

        // into a local store (an ingest that may resume)
        OciLayout b = OciLayout.open(tmp.resolve("b"));
        assertThatThrownBy(() -> Copy.copy(a, "v1", b, "v1", CopyOptions.defaults())).satisfies(t -> {
            CopyException e = copyFailure(t, CopyException.Origin.SOURCE, CopyException.Op.FETCH, ContentException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).startsWith("blob " + layer.digest() + " from " + a.name() + ": digest mismatch");
        });
        assertThat(b.exists(layer)).isFalse();

        // into a registry (a stream the upload reads)
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            RegistryStore reg = RegistryStore.connect(OciReference.parse(r.host() + "/errors"), RegistryOptions.defaults());
            assertThatThrownBy(() -> Copy.copy(a, "v1", reg, "v1", CopyOptions.defaults())).satisfies(t -> {
                CopyException e = copyFailure(t, CopyException.Origin.SOURCE, CopyException.Op.FETCH,
                        ContentException.Kind.DIGEST_MISMATCH);
                assertThat(e.getMessage()).contains("blob " + layer.digest() + " from " + a.name());
            });
        }
    }

    @Test
    void aBlobTheSourceLacksIsTheSourcesFetch() throws IOException {
        Blobs.Artifact art = Blobs.artifact(82, 2);
        OciLayout a = source(art);
        Files.delete(a.blobPath(art.layer(0).digest()));
        OciLayout b = OciLayout.open(tmp.resolve("b"));
        assertThatThrownBy(() -> Copy.copy(a, "v1", b, "v1", CopyOptions.defaults())).satisfies(t -> {
            CopyException e = copyFailure(t, CopyException.Origin.SOURCE, CopyException.Op.FETCH, ContentException.Kind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("blob " + art.layer(0).digest() + " not found in " + a.name());
        });
        // and a tag the source does not have: its resolve
        assertThatThrownBy(() -> Copy.copy(a, "nope", b, "v1", CopyOptions.defaults())).satisfies(t -> {
            CopyException e = copyFailure(t, CopyException.Origin.SOURCE, CopyException.Op.RESOLVE, ContentException.Kind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("tag 'nope' not found in " + a.name());
        });
    }

    @Test
    void aDestinationThatCannotStoreOrTagIsTheDestinations() throws IOException {
        Blobs.Artifact art = Blobs.artifact(83, 1);
        OciLayout a = source(art);

        OciLayout b = OciLayout.open(tmp.resolve("b"));
        assertThatThrownBy(() -> Copy.copy(a, "v1", b, "bad tag!", CopyOptions.defaults())).satisfies(t -> {
            CopyException e = copyFailure(t, CopyException.Origin.DESTINATION, CopyException.Op.TAG, ContentException.Kind.INVALID);
            assertThat(e.getMessage()).startsWith("destination " + b.name() + ": invalid tag 'bad tag!'");
        });
        assertThat(b.exists(art.root())).as("the content is in; only the tag failed").isTrue();

        // a layout whose blob directory became a link (a layout is shared: its directories are never followed)
        OciLayout c = OciLayout.open(tmp.resolve("c"));
        Path sha256 = tmp.resolve("c/blobs/sha256");
        Files.delete(sha256);
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(sha256, tmp.resolve("elsewhere"));
        assertThatThrownBy(() -> Copy.copy(a, "v1", c, "v1", CopyOptions.defaults())).satisfies(t ->
                copyFailure(t, CopyException.Origin.DESTINATION, CopyException.Op.PUSH, ContentException.Kind.INVALID));
        try (var s = Files.list(tmp.resolve("elsewhere"))) {
            assertThat(s).as("nothing written through the link").isEmpty();
        }
    }
}
