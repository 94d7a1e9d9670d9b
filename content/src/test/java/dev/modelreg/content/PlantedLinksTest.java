package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.Victims;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache or a layout is shared: someone who can write it plants a symbolic link at a name modelreg is about to
 * write (spec/README.md 9.2). Each case plants one, runs the write, and checks that the link's target (a file or a
 * directory of the victim's) is byte for byte what it was, that nothing was written outside the store, and that the
 * store holds its own regular file or directory where the link was.
 */
class PlantedLinksTest {
    @TempDir Path tmp;

    Victims victims;
    Path victimFile;
    Path victimDir;
    static final byte[] VICTIM = Victims.BYTES;

    @BeforeEach
    void victims() throws IOException {
        victims = Victims.in(tmp);
        victimFile = victims.file();
        victimDir = victims.dir();
    }

    Map<String, String> victimState() throws IOException {
        return victims.state();
    }

    static void plant(Path link, Path target) throws IOException {
        Victims.plant(link, target);
    }

    static boolean isLink(Path p) {
        return Files.isSymbolicLink(p);
    }

    /** A source of {@code data} that can resume and, if {@code ranged}, serves bounded ranges. */
    static Ingest.Source source(byte[] data, boolean ranged) {
        return new Ingest.Source() {
            @Override
            public RangeFetcher.Fetched open(long offset) {
                return new RangeFetcher.Fetched(new ByteArrayInputStream(data, (int) offset, data.length - (int) offset), offset);
            }

            @Override
            public RangedDownload.Ranges ranges() {
                return !ranged ? null : new RangedDownload.Ranges() {
                    @Override
                    public RangeFetcher.Fetched open(long from, long end) {
                        return new RangeFetcher.Fetched(new ByteArrayInputStream(data, (int) from, (int) (end - from)), from, true);
                    }

                    @Override
                    public RangeOptions options() {
                        return new RangeOptions(64 << 10, 4, 64 << 10);
                    }

                    @Override
                    public int retries() {
                        return 0;
                    }
                };
            }
        };
    }

    static final byte[] DATA = Blobs.random(20, 1 << 20);
    static final Descriptor D = Blobs.describe(MediaTypes.FILE_LAYER, DATA);

    void pushResumable(ResumablePusher store, boolean ranged) throws IOException {
        store.push(Expected.of(D), source(DATA, ranged), null, CopyListener.NONE, "blob " + D.digest());
    }

    void assertStoredAsOwnFile(Path blob) throws IOException {
        assertThat(isLink(blob)).as("the stored blob is no link").isFalse();
        assertThat(blob).isRegularFile();
        assertThat(Files.readAllBytes(blob)).isEqualTo(DATA);
    }

    // ---- cache

    @Test
    void aPartialLinkedToAFileOfTheVictimsIsReplacedNotWrittenThrough() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Path partial = cache.ingestDir().resolve("sha256-" + D.digest().hex() + ".partial");
        plant(partial, victimFile);
        Map<String, String> before = victimState();

        pushResumable(cache, false);

        assertThat(victimState()).isEqualTo(before);
        assertStoredAsOwnFile(cache.path(D.digest()));
        assertThat(partial).doesNotExist();
    }

    @Test
    void aRangedDownloadsMarkerLinkedToAFileOfTheVictimsIsNotWrittenThrough() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Path marker = cache.ingestDir().resolve("sha256-" + D.digest().hex() + ".partial" + RangedDownload.MARKER);
        plant(marker, victimFile);
        Map<String, String> before = victimState();

        pushResumable(cache, true);

        assertThat(victimState()).isEqualTo(before);
        assertStoredAsOwnFile(cache.path(D.digest()));
        assertThat(marker).doesNotExist();
        assertThat(Files.exists(marker, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aBlobLinkedToAFileOfTheVictimsIsNotABlobAndIsReplaced() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Path blob = cache.path(D.digest());
        plant(blob, victimFile);
        Map<String, String> before = victimState();
        assertThat(cache.has(D.digest())).as("a link is not a blob of the cache").isFalse();

        pushResumable(cache, false);

        assertThat(victimState()).isEqualTo(before);
        assertStoredAsOwnFile(blob);
    }

    @Test
    void cacheDirectoriesLinkedToTheVictimsAreReplacedByDirectoriesOfTheCache() throws IOException {
        for (String name : new String[] {"ingest", "blobs", "blobs/sha256"}) {
            Path root = tmp.resolve("cache-" + name.replace('/', '-'));
            Files.createDirectories(root);
            plant(root.resolve(name), victimDir);
            Map<String, String> before = victimState();

            BlobCache cache = BlobCache.open(root);
            pushResumable(cache, false);
            cache.push(Expected.unknown(100), offset -> new RangeFetcher.Fetched(new ByteArrayInputStream(
                    "unknown digest".getBytes(StandardCharsets.UTF_8)), 0), null, CopyListener.NONE, "a zip");

            assertThat(victimState()).as(name).isEqualTo(before);
            assertThat(isLink(root.resolve(name))).as(name).isFalse();
            assertStoredAsOwnFile(cache.path(D.digest()));
        }
    }

    // ---- layout

    /** A layout is shared with other tools: a link where its blobs/ or ingest/ should be is refused, never followed. */
    @Test
    void layoutDirectoriesLinkedToTheVictimsAreRefusedInOneLine() throws IOException {
        Blobs.Artifact a = Blobs.artifact(21, 2);
        for (String name : new String[] {"ingest", "blobs", "blobs/sha256"}) {
            Path dir = tmp.resolve("layout-" + name.replace('/', '-'));
            plant(dir.resolve(name), victimDir);
            Map<String, String> before = victimState();

            Throwable t = catchThrowable(() -> {
                OciLayout layout = OciLayout.open(dir);
                a.pushTo(layout);
                layout.tag(a.root(), "v1");
                pushResumable(layout, false);
            });

            assertThat(t).as(name).isInstanceOf(ContentException.class)
                    .hasMessage(dir.resolve(name) + " is a symbolic link: modelreg does not write through links (remove it)");
            assertThat(victimState()).as(name).isEqualTo(before);
            assertThat(isLink(dir.resolve(name))).as(name).isTrue();
        }
    }

    @Test
    void layoutFilesLinkedToTheVictimsAreReplacedNotWrittenThrough() throws IOException {
        Blobs.Artifact a = Blobs.artifact(22, 1);
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        a.pushTo(layout);
        Path lock = dir.resolve("ingest/index.lock");
        Files.deleteIfExists(lock);
        plant(lock, victimFile);
        Files.delete(dir.resolve("index.json"));
        plant(dir.resolve("index.json"), tmp.resolve("victim-index.json")); // dangling: a tag must not create it
        Path partial = dir.resolve("ingest/sha256-" + D.digest().hex() + ".partial");
        plant(partial, victimFile);
        Map<String, String> before = victimState();

        layout = OciLayout.open(dir);
        layout.tag(a.root(), "v1");
        pushResumable(layout, false);

        assertThat(victimState()).isEqualTo(before);
        assertThat(tmp.resolve("victim-index.json")).doesNotExist();
        for (Path p : new Path[] {lock, dir.resolve("index.json")}) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) assertThat(isLink(p)).as(p.toString()).isFalse();
        }
        assertThat(isLink(dir.resolve("index.json"))).isFalse();
        assertStoredAsOwnFile(layout.blobPath(D.digest()));
        assertThat(layout.resolve("v1")).isEqualTo(a.root());
    }

    // ---- archive

    /**
     * The directory of an archive: a dead writer's staging directory and temp file that are links are removed, never
     * followed; a dangling link at the archive's own name is replaced by the archive, its target never created.
     */
    @Test
    void linksInAnArchivesDirectoryAreRemovedOrReplacedNeverFollowed() throws Exception {
        Blobs.Artifact a = Blobs.artifact(23, 2);
        Path dir = Files.createDirectories(tmp.resolve("carry"));
        Path tar = dir.resolve("models.tar");
        long dead = deadPid();
        Path staging = dir.resolve(".models.tar.staging-" + dead + "-abc");
        Path temp = dir.resolve(".models.tar." + dead + "-abc.partial");
        plant(staging, victimDir);
        plant(temp, victimFile);
        plant(tar, tmp.resolve("victim.tar"));
        Map<String, String> before = victimState();

        try (OciArchive archive = OciArchive.open(tar)) {
            a.pushTo(archive);
            archive.tag(a.root(), "v1");
            archive.commit();
        }

        assertThat(victimState()).isEqualTo(before);
        assertThat(tmp.resolve("victim.tar")).doesNotExist();
        assertThat(isLink(tar)).isFalse();
        assertThat(OciArchive.open(tar).resolve("v1")).isEqualTo(a.root());
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("models.tar");
        }
    }

    static long deadPid() throws Exception {
        return LeftoversTest.deadPid();
    }

    @Test
    void aDirectoryWhereAPartialShouldBeIsRefusedInOneLine() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Path partial = Files.createDirectories(cache.ingestDir().resolve("sha256-" + D.digest().hex() + ".partial"));
        Files.write(partial.resolve("x"), VICTIM);

        Throwable t = catchThrowable(() -> pushResumable(cache, false));

        assertThat(t).isInstanceOf(ContentException.class).hasMessageContaining(partial.toString()).hasMessageNotContaining("\n");
        assertThat(partial.resolve("x")).hasBinaryContent(VICTIM);
        assertThat(cache.has(D.digest())).isFalse();
    }
}
