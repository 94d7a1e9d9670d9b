package dev.modelreg.content;

import dev.modelreg.content.tar.ArchiveTar;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.Skopeo;
import dev.modelreg.testkit.StubServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole repositories and many refs: {@code --all-tags}/{@code --tags} from a registry, multi-repository archives and
 * layouts (repository kept in index.json), restore under a prefix, nothing re-sent on a second run (counted at the
 * registry), skopeo interop, and tampered archives refused with nothing tagged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyRefsMirrorTest {
    @TempDir Path tmp;

    private static final Mirror.Selection ALL = new Mirror.Selection(true, null);

    private static RegistryStore store(RegistryFixture r, String repo) {
        return RegistryStore.connect(OciReference.parse(r.host() + "/" + repo), RegistryOptions.defaults());
    }

    private static void put(RegistryFixture r, String repo, Blobs.Artifact art, String tag) throws IOException {
        OciLayout staging = OciLayout.open(Files.createTempDirectory("stage"));
        art.pushTo(staging);
        Copy.copy(staging, art.root(), store(r, repo), tag, CopyOptions.defaults());
    }

    /** Requests that send content to the registry (upload start, upload, manifest put). */
    private static List<Request> writes(RegistryFixture r) {
        return r.requests().stream().filter(q -> !q.method().equals("GET") && !q.method().equals("HEAD")).toList();
    }

    @Test
    void multiRepositoryArchiveRoundTripsAndRerunsSendNothing() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            Blobs.Artifact art1 = Blobs.artifact(41, 3);
            Blobs.Artifact art2 = Blobs.artifact(42, 2);
            Blobs.Artifact art3 = Blobs.artifact(43, 2);
            put(a, "team/repo1", art1, "v1");
            put(a, "team/repo1", art2, "v2");
            put(a, "repo2", art3, "v1"); // the same tag in another repository
            put(a, "repo2", art1, "shared"); // blobs shared with repo1:v1

            assertThat(store(a, "team/repo1").listTags()).containsExactlyInAnyOrder("v1", "v2");

            Path all = tmp.resolve("all.tar");
            String archive = "oci-archive:" + all;
            List<Mirror.Moved> m1 = Mirror.runAll(Targets.parse(a.host() + "/team/repo1"), Targets.parse(archive), ALL, RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(m1).extracting(Mirror.Moved::tag).containsExactlyInAnyOrder("v1", "v2");
            Mirror.run(Targets.parse(a.host() + "/repo2:v1"), Targets.parse(archive), RegistryOptions.defaults(), CopyOptions.defaults()); // one ref, appended
            Mirror.runAll(Targets.parse(a.host() + "/repo2"), Targets.parse(archive), new Mirror.Selection(false, "sh*"), RegistryOptions.defaults(), CopyOptions.defaults());

            List<ImageIndex.Named> refs;
            try (OciArchive arc = OciArchive.open(all)) {
                refs = arc.refs();
                // every blob once: art1 (shared by two refs), art2, art3
                long blobs = ArchiveTar.index(all, "t").keySet().stream().filter(n -> n.matches("blobs/sha256/[0-9a-f]{64}")).count();
                assertThat(blobs).isEqualTo(art1.blobs().size() + art2.blobs().size() + art3.blobs().size() + 3);
                // a tag in two repositories is ambiguous by tag alone
                assertThatThrownBy(() -> arc.resolve("v1")).isInstanceOf(ContentException.class).hasMessageContaining("by digest");
                assertThat(arc.resolve("v2")).isEqualTo(art2.root());
            }
            assertThat(refs).extracting(ImageIndex.Named::displayName).containsExactlyInAnyOrder(
                    a.host() + "/team/repo1:v1", a.host() + "/team/repo1:v2", a.host() + "/repo2:v1", a.host() + "/repo2:shared");

            // index.json: ref.name is the tag, io.containerd.image.name the full name
            String index = new String(readEntry(all, "index.json"), StandardCharsets.UTF_8);
            assertThat(index).contains("\"io.containerd.image.name\":\"" + a.host() + "/repo2:shared\"")
                    .contains("\"org.opencontainers.image.ref.name\":\"shared\"");

            // skopeo reads our multi-ref archive by tag, and copies a ref out of it
            assertThat(Skopeo.inspectRawLocal("oci-archive:" + all + ":v2")).isEqualTo(new String(art2.manifestBytes(), StandardCharsets.UTF_8));
            Skopeo.copy("oci-archive:" + all + ":shared", "docker://" + b.host() + "/bysk:x", List.of("--dest-tls-verify=false"));
            assertThat(store(b, "bysk").resolve("x")).isEqualTo(art1.root());

            // restore: each ref under PREFIX/PATH, PATH = its repository without the registry host
            List<Mirror.Moved> restored = Mirror.runAll(Targets.parse(archive), Targets.parse(b.host() + "/site"), Mirror.Selection.NONE,
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(restored).hasSize(4).noneMatch(Mirror.Moved::skipped);
            assertThat(store(b, "site/team/repo1").resolve("v1")).isEqualTo(art1.root());
            assertThat(store(b, "site/team/repo1").resolve("v2")).isEqualTo(art2.root());
            assertThat(store(b, "site/repo2").resolve("v1")).isEqualTo(art3.root());
            assertThat(store(b, "site/repo2").resolve("shared")).isEqualTo(art1.root());

            // a second run moves nothing: no upload, no manifest put (counted in the registry's access log)
            b.clearRequests();
            List<Mirror.Moved> again = Mirror.runAll(Targets.parse(archive), Targets.parse(b.host() + "/site"), Mirror.Selection.NONE,
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(again).hasSize(4).allMatch(Mirror.Moved::skipped);
            assertThat(writes(b)).isEmpty();

            // registry -> archive again: unchanged, the file is not rewritten
            long before = Files.getLastModifiedTime(all).toMillis();
            byte[] bytes = Files.readAllBytes(all);
            List<Mirror.Moved> again2 = Mirror.runAll(Targets.parse(a.host() + "/team/repo1"), Targets.parse(archive), ALL, RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(again2).allMatch(Mirror.Moved::skipped);
            assertThat(Files.readAllBytes(all)).isEqualTo(bytes);
            assertThat(Files.getLastModifiedTime(all).toMillis()).isEqualTo(before);

            // registry -> registry, all tags; the re-run sends nothing
            Mirror.runAll(Targets.parse(a.host() + "/team/repo1"), Targets.parse(b.host() + "/copy"), ALL, RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(store(b, "copy").resolve("v2")).isEqualTo(art2.root());
            b.clearRequests();
            assertThat(Mirror.runAll(Targets.parse(a.host() + "/team/repo1"), Targets.parse(b.host() + "/copy"), ALL, RegistryOptions.defaults(),
                    CopyOptions.defaults())).allMatch(Mirror.Moved::skipped);
            assertThat(writes(b)).isEmpty();

            // a layout holds several repositories too; skopeo reads it
            Path lay = tmp.resolve("lay");
            Mirror.runAll(Targets.parse(archive), Targets.parse("oci-layout:" + lay), Mirror.Selection.NONE, RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(OciLayout.open(lay).refs()).hasSize(4);
            assertThat(Skopeo.inspectRawLocal("oci:" + lay + ":shared")).isEqualTo(new String(art1.manifestBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void weReadWhatSkopeoWritesAndRestoreItWithoutRepository() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"))) {
            Blobs.Artifact art = Blobs.artifact(44, 2);
            put(a, "src", art, "v1");
            Path sk = tmp.resolve("sk.tar");
            Skopeo.copy("docker://" + a.host() + "/src:v1", "oci-archive:" + sk + ":v1", List.of("--src-tls-verify=false"));
            List<Mirror.Moved> m = Mirror.runAll(Targets.parse("oci-archive:" + sk), Targets.parse(a.host() + "/restored"), Mirror.Selection.NONE,
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(m).hasSize(1);
            assertThat(store(a, "restored").resolve("v1")).isEqualTo(art.root()); // no repository recorded: DST:TAG

            // skopeo names the ref with a full name: its repository path is kept under the prefix
            Path full = tmp.resolve("full.tar");
            Skopeo.copy("docker://" + a.host() + "/src:v1", "oci-archive:" + full + ":example.com/team/m:v3", List.of("--src-tls-verify=false"));
            Mirror.runAll(Targets.parse("oci-archive:" + full), Targets.parse(a.host() + "/pre"), Mirror.Selection.NONE, RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(store(a, "pre/team/m").resolve("v3")).isEqualTo(art.root());
        }
    }

    @Test
    void tamperedOrTruncatedArchiveTagsNothing() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"))) {
            Blobs.Artifact art1 = Blobs.artifact(45, 2);
            Blobs.Artifact art2 = Blobs.artifact(46, 2);
            put(a, "r1", art1, "v1");
            put(a, "r2", art2, "v1");
            Path all = tmp.resolve("all.tar");
            Mirror.run(Targets.parse(a.host() + "/r1:v1"), Targets.parse("oci-archive:" + all), RegistryOptions.defaults(), CopyOptions.defaults());
            Mirror.run(Targets.parse(a.host() + "/r2:v1"), Targets.parse("oci-archive:" + all), RegistryOptions.defaults(), CopyOptions.defaults());

            // flip one byte of art2's last layer: r1's ref is fine, but no tag at all may be set
            Path bad = tmp.resolve("bad.tar");
            Files.copy(all, bad);
            Descriptor layer = art2.layer(1);
            ArchiveTar.Entry e = ArchiveTar.index(bad, "t").get("blobs/sha256/" + layer.digest().hex());
            try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
                f.seek(e.offset() + 10);
                int v = f.read();
                f.seek(e.offset() + 10);
                f.write(v ^ 0xff);
            }
            assertThatThrownBy(() -> Mirror.runAll(Targets.parse("oci-archive:" + bad), Targets.parse(a.host() + "/t"), Mirror.Selection.NONE,
                    RegistryOptions.defaults(), CopyOptions.defaults())).isInstanceOf(ContentException.class);
            assertNoTags(a, "t/r1");
            assertNoTags(a, "t/r2");

            Path cut = tmp.resolve("cut.tar");
            byte[] bytes = Files.readAllBytes(all);
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 3000));
            assertThatThrownBy(() -> Mirror.runAll(Targets.parse("oci-archive:" + cut), Targets.parse(a.host() + "/u"), Mirror.Selection.NONE,
                    RegistryOptions.defaults(), CopyOptions.defaults())).isInstanceOf(ContentException.class);
            assertNoTags(a, "u/r1");
            assertNoTags(a, "u/r2");
        }
    }

    @Test
    void tagListFollowsLinksAndIsBounded() throws Exception {
        // pages of 600 tags, each linking to the next, forever: cut off at the limit with a clear message
        try (StubServer endless = StubServer.http("127.0.0.1", x -> {
                 String q = x.getRequestURI().getQuery();
                 int page = q != null && q.contains("last=") ? Integer.parseInt(q.replaceAll(".*last=t(\\d+)-.*", "$1")) + 1 : 0;
                 StringBuilder tags = new StringBuilder();
                 for (int i = 0; i < 600; i++) tags.append(i == 0 ? "" : ",").append("\"t").append(page).append("-").append(i).append('"');
                 StubServer.answer(x, 200, ("{\"name\":\"r\",\"tags\":[" + tags + "]}").getBytes(StandardCharsets.UTF_8),
                         "Content-Type", "application/json",
                         "Link", "</v2/r/tags/list?n=600&last=t" + page + "-599>; rel=\"next\"");
             });
             StubServer paged = StubServer.http("127.0.0.1", x -> {
                 String q = String.valueOf(x.getRequestURI().getQuery());
                 String body = q.contains("last=b") ? "{\"tags\":[\"c\"]}" : q.contains("last=a") ? "{\"tags\":[\"b\"]}" : "{\"tags\":[\"a\"]}";
                 String next = q.contains("last=b") ? null : q.contains("last=a") ? "/v2/r/tags/list?last=b" : "/v2/r/tags/list?last=a";
                 if (next == null) StubServer.answer(x, 200, body.getBytes(StandardCharsets.UTF_8));
                 else StubServer.answer(x, 200, body.getBytes(StandardCharsets.UTF_8), "Link", "<" + next + ">; rel=\"next\"");
             });
             StubServer elsewhere = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 200,
                     "{\"tags\":[\"a\"]}".getBytes(StandardCharsets.UTF_8), "Link", "<http://127.0.0.2:1/v2/r/tags/list?last=a>; rel=\"next\""))) {
            assertThatThrownBy(() -> store(endless.host(), "r").listTags())
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageContaining("more than " + dev.modelreg.spec.Limits.MAX_TAGS + " tags");
            assertThat(endless.seen()).hasSize(dev.modelreg.spec.Limits.MAX_TAGS / 600 + 1);
            assertThat(store(paged.host(), "r").listTags()).containsExactly("a", "b", "c");
            assertThatThrownBy(() -> store(elsewhere.host(), "r").listTags()).hasMessageContaining("another host");
        }
    }

    private static RegistryStore store(String host, String repo) {
        return RegistryStore.connect(OciReference.parse(host + "/" + repo), RegistryOptions.defaults());
    }

    private static void assertNoTags(RegistryFixture r, String repo) throws IOException {
        try {
            assertThat(store(r, repo).listTags()).isEmpty();
        } catch (ContentException e) {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND);
        }
    }

    private static byte[] readEntry(Path tar, String name) throws IOException {
        ArchiveTar.Entry e = ArchiveTar.index(tar, "t").get(name);
        try (var in = ArchiveTar.open(tar, e.offset(), e.size())) {
            return in.readAllBytes();
        }
    }
}
