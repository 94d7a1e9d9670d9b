package dev.modelreg.content;

import dev.modelreg.content.store.OciArchive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelreg.content.ConformanceAdapter.Push;
import dev.modelreg.testkit.conformance.ConformanceStore;
import dev.modelreg.testkit.conformance.ConformanceTarget;
import dev.modelreg.testkit.conformance.StoreContent;
import dev.modelreg.testkit.conformance.TargetConformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * testkit's store conformance suite over an OCI archive (a tar written on commit), plus what only an archive promises:
 * what was pushed is seen after a commit and a re-open, and a store closed without a commit leaves the file as it was.
 */
class OciArchiveConformanceTest extends TargetConformance {
    @TempDir Path tmp;
    private int stores;

    @Override
    protected ConformanceTarget newStore() throws IOException {
        return open(tmp.resolve("archive-" + stores++).resolve("store.tar"));
    }

    @Override
    protected ConformanceTarget reopen(ConformanceStore store) throws IOException {
        return open(((OciArchive) ((ConformanceAdapter) store).store()).file());
    }

    private ConformanceTarget open(Path file) throws IOException {
        OciArchive a = OciArchive.open(file);
        return new ConformanceAdapter.Tagged<>(a, Push.PUSHER, file.getParent(), a::commit, a::close);
    }

    @Test
    void committedContentIsServedAtOnceAndAfterReopen() throws IOException {
        ConformanceTarget t = target();
        StoreContent.Artifact a = pushTagged(t, 201, "v1");
        Path file = file(t);
        assertFalse(Files.exists(file), "nothing is written before the commit");
        t.commit();
        assertTrue(Files.isRegularFile(file));
        for (ConformanceTarget s : new ConformanceTarget[] {t, (ConformanceTarget) reopened(t)}) {
            assertResolves(s, "v1", a.manifest());
            for (StoreContent.Blob b : a.blobs()) assertContent(s, b);
        }
        assertEquals(Set.of("store.tar"), files(t), "no staging directory or temp file left beside the archive");
    }

    @Test
    void closedWithoutCommitTheArchiveIsAsItWas() throws IOException {
        ConformanceTarget first = target();
        StoreContent.Artifact a = pushTagged(first, 202, "v1");
        first.commit();
        first.close();
        byte[] before = Files.readAllBytes(file(first));

        ConformanceTarget second = (ConformanceTarget) reopened(first);
        StoreContent.Artifact b = pushTagged(second, 203, "v1", "v2"); // v1 would move
        second.close();

        assertArrayEquals(before, Files.readAllBytes(file(first)), "the archive's bytes");
        assertEquals(Set.of("store.tar"), files(first), "the staging directory is removed");
        ConformanceTarget third = (ConformanceTarget) reopened(first);
        assertEquals(Map.of("v1", a.manifest().descriptor()), tags(third));
        assertFalse(third.exists(b.manifest().descriptor()));
        assertFalse(third.exists(b.layer().descriptor()));
    }

    @Test
    void aNewArchiveClosedWithoutCommitIsNeverWritten() throws IOException {
        ConformanceTarget t = target();
        pushTagged(t, 204, "v1");
        t.close();
        assertFalse(Files.exists(file(t)));
        assertEquals(Set.of(), files(t), "nothing left beside where the archive would be");
    }

    private static Path file(ConformanceStore s) {
        return ((OciArchive) ((ConformanceAdapter) s).store()).file();
    }
}
