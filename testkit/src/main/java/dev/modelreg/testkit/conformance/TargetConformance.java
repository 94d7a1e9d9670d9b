package dev.modelreg.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.testkit.conformance.StoreContent.Artifact;
import dev.modelreg.testkit.conformance.StoreContent.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of a store with tags (a registry repository, an OCI layout, an OCI archive): every test of
 * {@link BlobStoreConformance}, and resolve by digest and by tag, tagging, the tag list, and tags that are not there or
 * not valid. Like go-containerregistry's {@code validate}, what a store resolves is checked against the bytes it
 * serves: the digest and size of the raw manifest, never a re-serialized one.
 */
public abstract class TargetConformance extends BlobStoreConformance {
    @Override
    protected abstract ConformanceTarget newStore() throws IOException;

    @Override
    protected abstract ConformanceTarget reopen(ConformanceStore store) throws IOException;

    @Override
    protected void prepareCommit(ConformanceStore store, Artifact artifact) throws IOException {
        ((ConformanceTarget) store).tag(artifact.manifest().descriptor(), "kept");
    }

    /** {@link #store()} as a target. */
    protected final ConformanceTarget target() throws IOException {
        return (ConformanceTarget) store();
    }

    @Test
    void pushedManifestResolvesByDigestAsItIs() throws IOException {
        ConformanceTarget t = target();
        Artifact a = StoreContent.artifact(101);
        push(t, a);
        assertResolves(t, a.manifest().digest().toString(), a.manifest());
    }

    @Test
    void taggedManifestResolvesByTag() throws IOException {
        ConformanceTarget t = target();
        Artifact a = pushTagged(t, 102, "v1");
        assertResolves(t, "v1", a.manifest());
        assertEquals(Map.of("v1", a.manifest().descriptor()), tags(t));
    }

    @Test
    void indexResolvesAsAnIndex() throws IOException {
        ConformanceTarget t = target();
        Artifact a = StoreContent.artifact(103);
        push(t, a);
        Blob index = StoreContent.index(a.manifest().descriptor());
        t.push(index.descriptor(), index.stream());
        assertResolves(t, index.digest().toString(), index);
        t.tag(index.descriptor(), "all");
        assertResolves(t, "all", index);
    }

    @Test
    void taggingAgainMovesTheTag() throws IOException {
        ConformanceTarget t = target();
        Artifact first = pushTagged(t, 104, "latest", "latest"); // the same again: harmless
        Artifact second = pushTagged(t, 105);
        assertEquals(Map.of("latest", first.manifest().descriptor()), tags(t));
        t.tag(second.manifest().descriptor(), "latest");
        assertResolves(t, "latest", second.manifest());
        assertEquals(Map.of("latest", second.manifest().descriptor()), tags(t));
        assertResolves(t, first.manifest().digest().toString(), first.manifest()); // untagged, still there
    }

    @Test
    void refsListEveryTagOnceWithItsManifest() throws IOException {
        ConformanceTarget t = target();
        Artifact a = pushTagged(t, 106, "a1", "a2");
        Artifact b = pushTagged(t, 107, "b.1_x-Y");
        assertEquals(Map.of("a1", a.manifest().descriptor(), "a2", a.manifest().descriptor(),
                "b.1_x-Y", b.manifest().descriptor()), tags(t));
    }

    @Test
    void tagThatIsNotThereIsNotFound() throws IOException {
        ConformanceTarget t = target();
        pushTagged(t, 108, "present");
        fails(t, "NOT_FOUND", "absent", () -> t.resolve("absent"));
    }

    @Test
    void manifestThatIsNotThereIsNotFound() throws IOException {
        ConformanceTarget t = target();
        pushTagged(t, 109, "present");
        String absent = StoreContent.artifact(110).manifest().digest().toString();
        fails(t, "NOT_FOUND", absent, () -> t.resolve(absent));
    }

    @Test
    void taggingAManifestTheStoreLacksIsNotFound() throws IOException {
        ConformanceTarget t = target();
        Artifact a = pushTagged(t, 111, "present");
        Descriptor absent = StoreContent.artifact(112).manifest().descriptor();
        fails(t, "NOT_FOUND", absent.digest().toString(), () -> t.tag(absent, "other"));
        fails(t, "NOT_FOUND", "other", () -> t.resolve("other"));
        assertEquals(Map.of("present", a.manifest().descriptor()), tags(t));
    }

    @Test
    void invalidTagsAreRefused() throws IOException {
        ConformanceTarget t = target();
        Artifact a = pushTagged(t, 113, "ok");
        for (String bad : List.of("", "-dash", ".dot", "has space", "a/b", "a:b", "x".repeat(129), "tag\n", "\u00e9", "../../up",
                a.manifest().digest().toString())) {
            String named = bad.matches("[!-~ ]+") ? bad : ""; // the message names a printable tag as it is
            fails(t, "INVALID", named, () -> t.tag(a.manifest().descriptor(), bad));
        }
        assertEquals(Map.of("ok", a.manifest().descriptor()), tags(t));
    }

    @Test
    void tagsSurviveReopen() throws IOException {
        ConformanceTarget t = target();
        Artifact a = pushTagged(t, 114, "one");
        Artifact b = pushTagged(t, 115, "two");
        t.commit();
        ConformanceTarget again = (ConformanceTarget) reopened(t);
        assertResolves(again, "one", a.manifest());
        assertResolves(again, "two", b.manifest());
        assertResolves(again, b.manifest().digest().toString(), b.manifest());
        assertEquals(Map.of("one", a.manifest().descriptor(), "two", b.manifest().descriptor()), tags(again));
    }

    // ----

    /** Pushes {@link StoreContent#artifact(long) artifact(seed)} and tags its manifest with each of {@code tags}, in order. */
    protected static Artifact pushTagged(ConformanceTarget t, long seed, String... tags) throws IOException {
        Artifact a = StoreContent.artifact(seed);
        push(t, a);
        for (String tag : tags) t.tag(a.manifest().descriptor(), tag);
        return a;
    }

    /**
     * {@code reference} resolves to {@code m}'s descriptor (media type, digest, size), and the store serves bytes that
     * have that digest and size: those of {@code m}, as they were pushed.
     */
    protected static void assertResolves(ConformanceTarget t, String reference, Blob m) throws IOException {
        Descriptor d = t.resolve(reference);
        assertEquals(m.descriptor().mediaType(), d.mediaType(), "media type of " + reference);
        assertEquals(m.digest(), d.digest(), "digest of " + reference);
        assertEquals(m.bytes().length, d.size(), "size of " + reference);
        byte[] served;
        try (InputStream in = t.fetch(d)) {
            served = in.readAllBytes();
        }
        assertEquals(d.size(), served.length, "bytes served for " + reference);
        assertEquals(d.digest(), Digest.sha256Of(served), "digest of the bytes served for " + reference);
        assertArrayEquals(m.bytes(), served, "raw bytes of " + reference);
    }

    /** The store's tags and the descriptors they name (media type, digest, size); a tag listed twice fails. */
    protected static Map<String, Descriptor> tags(ConformanceTarget t) throws IOException {
        Map<String, Descriptor> out = new TreeMap<>();
        for (ImageIndex.Named n : t.refs()) {
            Descriptor d = n.manifest();
            Descriptor plain = Descriptor.of(d.mediaType(), d.digest(), d.size());
            assertTrue(out.put(n.tag(), plain) == null, "tag '" + n.tag() + "' listed twice");
        }
        return out;
    }

}
