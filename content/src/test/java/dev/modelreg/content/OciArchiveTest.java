package dev.modelreg.content;

import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Skopeo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oci-archive: export to a tar, import from it, interop with skopeo, and refusal of unsafe or tampered tars. */
class OciArchiveTest {
    @TempDir Path tmp;

    private OciLayout sourceLayout(long seed, int layers, String tag) throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("src-" + seed));
        Blobs.Artifact art = Blobs.artifact(seed, layers);
        art.pushTo(a);
        a.tag(art.root(), tag);
        return a;
    }

    /** Exports {@code tag} of {@code src} into {@code archive} the way mirror does: copy, commit, close. */
    private static CopyResult export(OciLayout src, String tag, Path archive, String dstTag) throws IOException {
        try (Targets.Opened dst = Targets.open(Targets.parse(OciArchive.PREFIX + archive + ":" + dstTag), RegistryOptions.defaults())) {
            CopyResult r = Copy.copy(src, tag, dst.target(), dst.reference(), CopyOptions.defaults());
            dst.commit();
            return r;
        }
    }

    @Test
    void exportThenImportKeepsDigestAndEveryBlob() throws IOException {
        Blobs.Artifact art = Blobs.artifact(41, 4);
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        art.pushTo(src);
        src.tag(art.root(), "v1");
        Path tar = tmp.resolve("out/models.tar");
        CopyResult out = export(src, "v1", tar, "v1");
        assertThat(out.blobsCopied()).isEqualTo(6);
        assertThat(tar).isRegularFile();
        assertThat(siblings(tar)).containsExactly("models.tar"); // no staging directory or temp file left

        try (Targets.Opened in = Targets.open(Targets.parse(OciArchive.PREFIX + tar + ":v1"), RegistryOptions.defaults())) {
            assertThat(in.target()).isInstanceOf(OciArchive.class);
            assertThat(in.target().name()).isEqualTo("oci-archive:" + tar);
            OciLayout back = OciLayout.open(tmp.resolve("back"));
            CopyResult r = Copy.copy(in.target(), in.reference(), back, "v1", CopyOptions.defaults());
            assertThat(r.root()).isEqualTo(art.root());
            assertThat(r.blobsCopied()).isEqualTo(6);
            assertThat(back.readManifest(art.root())).isEqualTo(art.manifestBytes());
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }
            // resolving by digest works too, with the media type read from the manifest
            assertThat(in.target().resolve(art.root().digest().toString())).isEqualTo(art.root());
        }
        // the tar holds exactly the layout files, in a fixed order, with fixed metadata
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertThat(e.getModTime().getTime()).isZero();
                assertThat(e.getLongUserId()).isZero();
                assertThat(e.getLongGroupId()).isZero();
                assertThat(e.getUserName()).isEmpty();
                assertThat(e.getMode()).isEqualTo(e.isDirectory() ? 0755 : 0644);
                assertThat(e.getExtraPaxHeaders()).isEmpty();
            }
        }
        List<String> blobs = art.blobs().keySet().stream().map(d -> "blobs/sha256/" + d.digest().hex()).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        blobs.add("blobs/sha256/" + art.root().digest().hex());
        blobs.sort(null);
        List<String> want = new ArrayList<>(List.of("oci-layout", "index.json", "blobs/", "blobs/sha256/"));
        want.addAll(blobs);
        assertThat(names).isEqualTo(want);
    }

    @Test
    void sameArtifactGivesByteIdenticalArchives() throws IOException {
        OciLayout src = sourceLayout(42, 3, "v1");
        Path one = tmp.resolve("one.tar");
        Path two = tmp.resolve("elsewhere/two.tar");
        export(src, "v1", one, "v1");
        export(src, "v1", two, "v1");
        assertThat(Files.readAllBytes(two)).isEqualTo(Files.readAllBytes(one));
        // exporting the same tag into the same archive again rewrites it to the same bytes
        byte[] before = Files.readAllBytes(one);
        CopyResult again = export(src, "v1", one, "v1");
        assertThat(again.blobsCopied()).isZero();
        assertThat(again.blobsSkipped()).isEqualTo(5);
        assertThat(Files.readAllBytes(one)).isEqualTo(before);
    }

    @Test
    void aSecondExportAddsToTheArchive() throws IOException {
        OciLayout a = sourceLayout(43, 2, "v1");
        OciLayout b = sourceLayout(44, 3, "v2");
        Path tar = tmp.resolve("models.tar");
        export(a, "v1", tar, "develop");
        export(b, "v2", tar, "v6.5.0");
        OciArchive arc = OciArchive.open(tar);
        assertThat(arc.tags()).containsExactly("develop", "v6.5.0");
        assertThat(arc.resolve("develop")).isEqualTo(a.resolve("v1"));
        assertThat(arc.resolve("v6.5.0")).isEqualTo(b.resolve("v2"));
        // re-pointing a tag replaces its entry
        export(b, "v2", tar, "develop");
        assertThat(OciArchive.open(tar).tags()).containsExactly("v6.5.0", "develop");
        assertThat(OciArchive.open(tar).resolve("develop")).isEqualTo(b.resolve("v2"));
        OciLayout back = OciLayout.open(tmp.resolve("back"));
        Copy.copy(OciArchive.open(tar), "v6.5.0", back, "x", CopyOptions.defaults());
        Copy.copy(OciArchive.open(tar), a.resolve("v1").digest().toString(), back, "y", CopyOptions.defaults());
        assertThat(back.resolve("y")).isEqualTo(a.resolve("v1"));
    }

    @Test
    void anArchiveReplacedAfterOpeningIsReadAsOpenedAndAddedTo() throws IOException {
        OciLayout a = sourceLayout(54, 2, "v1");
        OciLayout b = sourceLayout(55, 2, "v2");
        OciLayout c = sourceLayout(56, 2, "v3");
        Path tar = tmp.resolve("models.tar");
        export(a, "v1", tar, "v1");
        OciArchive reader = OciArchive.open(tar);
        Descriptor root = reader.resolve("v1");
        try (OciArchive writer = OciArchive.open(tar)) {
            Copy.copy(b, "v2", writer, "v2", CopyOptions.defaults());
            export(c, "v3", tar, "other"); // a second writer commits first: the file is replaced
            assertThat(writer.commit()).isTrue(); // reads the archive again under the lock and adds to it
        }
        // the reader reads the version it opened (its file is gone from the directory), verified
        OciLayout back = OciLayout.open(tmp.resolve("back"));
        Copy.copy(reader, root, back, "v1", CopyOptions.defaults());
        assertThat(back.readManifest(root)).isEqualTo(a.readManifest(root));
        reader.close();
        // nothing lost: every tag, every blob (each re-verified by the copy out)
        OciArchive now = OciArchive.open(tar);
        assertThat(now.tags()).containsExactly("v1", "other", "v2");
        for (String t : List.of("v1", "other", "v2")) Copy.copy(now, t, back, t, CopyOptions.defaults());
        assertThat(back.resolve("other")).isEqualTo(c.resolve("v3"));
        assertThat(back.resolve("v2")).isEqualTo(b.resolve("v2"));
        assertThat(Files.getPosixFilePermissions(tar)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no lock file, temp file or staging left")
                    .containsExactlyInAnyOrder("models.tar", "src-54", "src-55", "src-56", "back");
        }
    }

    @Test
    void failedExportLeavesNoArchiveAndNoTempFiles() throws IOException {
        OciLayout src = sourceLayout(45, 3, "v1");
        Descriptor root = src.resolve("v1");
        Blobs.Artifact art = Blobs.artifact(45, 3);
        Path victim = src.blobPath(art.layer(2).digest());
        byte[] bad = Files.readAllBytes(victim);
        bad[0] ^= 1;
        Files.write(victim, bad);
        Path tar = tmp.resolve("out/models.tar");
        assertThatThrownBy(() -> export(src, "v1", tar, "v1"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH));
        assertThat(tar).doesNotExist();
        assertThat(siblings(tar)).isEmpty();
        assertThat(root).isNotNull();

        // an existing archive stays as it was when adding to it fails
        OciLayout good = sourceLayout(46, 2, "v1");
        export(good, "v1", tar, "v1");
        byte[] before = Files.readAllBytes(tar);
        assertThatThrownBy(() -> export(src, "v1", tar, "v2")).isInstanceOf(ContentException.class);
        assertThat(Files.readAllBytes(tar)).isEqualTo(before);
        assertThat(siblings(tar)).containsExactly("models.tar");
        assertThat(OciArchive.open(tar).tags()).containsExactly("v1");
    }

    @Test
    void whatAKilledWriterLeftBesideTheArchiveIsRemovedByTheNextWriter() throws IOException {
        OciLayout src = sourceLayout(49, 1, "v1");
        Path tar = tmp.resolve("models.tar");
        // PID 999999999 is above any pid_max: that process is gone
        Files.createDirectories(tmp.resolve(".models.tar.staging-999999999-1/blobs"));
        Files.writeString(tmp.resolve(".models.tar.999999999-abc.partial"), "half an archive");
        Files.writeString(tmp.resolve(".other.tar.999999999-abc.partial"), "someone else's");
        export(src, "v1", tar, "v1");
        assertThat(siblings(tar)).containsExactlyInAnyOrder("models.tar", ".other.tar.999999999-abc.partial", "src-49");
    }

    @Test
    void noCommitNoFile() throws IOException {
        OciLayout src = sourceLayout(47, 2, "v1");
        Path tar = tmp.resolve("models.tar");
        try (Targets.Opened dst = Targets.open(Targets.parse(OciArchive.PREFIX + tar + ":v1"), RegistryOptions.defaults())) {
            Copy.copy(src, "v1", dst.target(), dst.reference(), CopyOptions.defaults());
            assertThat(siblings(tar)).hasSize(2).contains("src-47").anyMatch(n -> n.startsWith(".models.tar.staging-")); // staging
        }
        assertThat(siblings(tar)).containsExactly("src-47");
        // copied but never tagged: commit refuses an archive nobody can resolve
        try (OciArchive arc = OciArchive.open(tar)) {
            Copy.copy(src, src.resolve("v1"), arc, null, CopyOptions.defaults());
            assertThatThrownBy(arc::commit).isInstanceOf(ContentException.class)
                    .hasMessage("nothing tagged in oci-archive:" + tar + ": an archive needs a tag (oci-archive:FILE:TAG)");
        }
        assertThat(tar).doesNotExist();
    }

    @Test
    void tamperedBlobInTheTarIsADigestMismatchAndNothingIsWritten() throws IOException {
        Blobs.Artifact art = Blobs.artifact(48, 3);
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        art.pushTo(src);
        src.tag(art.root(), "v1");
        Path tar = tmp.resolve("models.tar");
        export(src, "v1", tar, "v1");
        // flip one byte inside the data of layer 1, found through an independent tar reader
        byte[] bytes = Files.readAllBytes(tar);
        long offset = dataOffset(tar, "blobs/sha256/" + art.layer(1).digest().hex());
        bytes[(int) offset + 7] ^= 1;
        Files.write(tar, bytes);

        OciLayout dst = OciLayout.open(tmp.resolve("dst"));
        assertThatThrownBy(() -> Copy.copy(OciArchive.open(tar), "v1", dst, "v1", CopyOptions.defaults()))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining(art.layer(1).digest().toString())
                .hasMessageContaining("oci-archive:" + tar);
        assertThat(dst.exists(art.layer(1))).isFalse();
        assertThat(dst.exists(art.root())).isFalse();
        assertThat(dst.tags()).isEmpty();
        // adding to a tampered archive fails too (its blobs are re-verified while copied) and keeps it as it was
        OciLayout other = sourceLayout(49, 1, "v2");
        assertThatThrownBy(() -> export(other, "v2", tar, "v2"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH));
        assertThat(Files.readAllBytes(tar)).isEqualTo(bytes);
    }

    @Test
    void unsafeEntriesAreRefusedNamingTheEntry() throws IOException {
        assertRefused("dotdot.tar", t -> file(t, "../evil", "x"), "entry '../evil' leaves the archive ('..' in its path)");
        assertRefused("inner.tar", t -> file(t, "blobs/../../evil", "x"), "entry 'blobs/../../evil' leaves the archive");
        assertRefused("abs.tar", t -> {
            TarArchiveEntry e = new TarArchiveEntry("/tmp/evil", true);
            e.setSize(1);
            t.putArchiveEntry(e);
            t.write('x');
            t.closeArchiveEntry();
        }, "entry '/tmp/evil' has an absolute path");
        assertRefused("symlink.tar", t -> {
            TarArchiveEntry e = new TarArchiveEntry("index.json", TarConstants.LF_SYMLINK);
            e.setLinkName("/etc/passwd");
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
        }, "entry 'index.json' is a symbolic link (only regular files and directories are allowed)");
        assertRefused("hardlink.tar", t -> {
            TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/aa", TarConstants.LF_LINK);
            e.setLinkName("oci-layout");
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
        }, "entry 'blobs/sha256/aa' is a hard link");
        assertRefused("device.tar", t -> {
            TarArchiveEntry e = new TarArchiveEntry("dev", TarConstants.LF_CHR);
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
        }, "entry 'dev' is a character device");
        assertRefused("dup.tar", t -> {
            file(t, "index.json", "{}");
            file(t, "./index.json", "{}");
        }, "duplicate entry './index.json'");
        // a long name through a PAX header is checked the same way
        assertRefused("pax.tar", t -> {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            file(t, "../" + "x".repeat(120), "x");
        }, "entry '../" + "x".repeat(120) + "' leaves the archive");
        // nothing anywhere but the tar files themselves
        try (Stream<Path> s = Files.walk(tmp)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.endsWith(".tar"));
        }
        assertThat(tmp.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void notATarAndCompressedTarsAreClearErrors() throws IOException {
        Path text = tmp.resolve("notes.tar");
        Files.writeString(text, "hello, this is not a tar file at all\n".repeat(20));
        assertThatThrownBy(() -> OciArchive.open(text)).isInstanceOf(ContentException.class)
                .hasMessage("oci-archive:" + text + ": not a tar file (bad header checksum at byte 0)");
        Path gz = tmp.resolve("models.tar.gz");
        try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(new byte[4096]);
        }
        assertThatThrownBy(() -> OciArchive.open(gz)).isInstanceOf(ContentException.class)
                .hasMessageContaining("a gzip file, not a tar (OCI archives are uncompressed: gunzip it first)");
        Path plain = tmp.resolve("plain.tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(plain))) {
            file(t, "hello.txt", "hi");
        }
        assertThatThrownBy(() -> OciArchive.open(plain)).isInstanceOf(ContentException.class)
                .hasMessage("oci-archive:" + plain + ": not an OCI archive (no oci-layout in the tar)");
        // and such a file is never overwritten by an export
        OciLayout src = sourceLayout(50, 1, "v1");
        assertThatThrownBy(() -> export(src, "v1", text, "v1")).isInstanceOf(ContentException.class);
        assertThat(Files.readString(text)).startsWith("hello, this is not a tar");
        assertThatThrownBy(() -> OciArchive.open(tmp.resolve("missing.tar")).resolve("v1"))
                .isInstanceOf(ContentException.class).hasMessage("no OCI archive at " + tmp.resolve("missing.tar"));
    }

    @Test
    void targetsParsesArchiveReferences() throws IOException {
        Path f = tmp.resolve("x.tar");
        try (Targets.Opened o = Targets.open(Targets.parse("oci-archive:" + f + ":v1"), RegistryOptions.defaults())) {
            assertThat(o.target()).isInstanceOf(OciArchive.class);
            assertThat(((OciArchive) o.target()).file()).isEqualTo(f);
            assertThat(o.reference()).isEqualTo("v1");
        }
        String digest = "sha256:" + "c".repeat(64);
        assertThat(Targets.open(Targets.parse("oci-archive:" + f + "@" + digest), RegistryOptions.defaults()).reference()).isEqualTo(digest);
        assertThat(Targets.open(Targets.parse("oci-archive:" + f), RegistryOptions.defaults()).reference()).isNull();
        assertThatThrownBy(() -> Targets.open(Targets.parse("oci-archive:" + f + ":bad tag!"), RegistryOptions.defaults()))
                .isInstanceOf(ContentException.class).hasMessageContaining("bad tag!");
        assertThatThrownBy(() -> Targets.open(Targets.parse("oci-archive::v1"), RegistryOptions.defaults()))
                .isInstanceOf(ContentException.class).hasMessage("no file in 'oci-archive::v1': want oci-archive:FILE[:TAG|@DIGEST]");
        assertThat(f).doesNotExist(); // opening creates nothing
    }

    @Test
    void importIntoTheRegistryAndReadItBack() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Blobs.Artifact art = Blobs.artifact(51, 3);
            OciLayout src = OciLayout.open(tmp.resolve("src"));
            art.pushTo(src);
            src.tag(art.root(), "v1");
            Path tar = tmp.resolve("models.tar");
            export(src, "v1", tar, "develop");

            RegistryStore dst = RegistryStore.connect(OciReference.parse(reg.host() + "/air/models"), RegistryOptions.defaults());
            try (Targets.Opened in = Targets.open(Targets.parse("oci-archive:" + tar + ":develop"), RegistryOptions.defaults())) {
                CopyResult r = Copy.copy(in.target(), in.reference(), dst, "develop", CopyOptions.defaults());
                assertThat(r.blobsCopied()).isEqualTo(5);
            }
            assertThat(dst.resolve("develop")).isEqualTo(art.root());
            // read back from the registry (a fresh connection) into a layout: every blob the same
            RegistryStore fresh = RegistryStore.connect(OciReference.parse(reg.host() + "/air/models"), RegistryOptions.defaults());
            OciLayout back = OciLayout.open(tmp.resolve("back"));
            Copy.copy(fresh, "develop", back, "develop", CopyOptions.defaults());
            assertThat(back.readManifest(art.root())).isEqualTo(art.manifestBytes());
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }
            // and the registry exports back into an archive identical to the first
            Path again = tmp.resolve("again.tar");
            try (Targets.Opened out = Targets.open(Targets.parse("oci-archive:" + again + ":develop"), RegistryOptions.defaults())) {
                Copy.copy(fresh, "develop", out.target(), out.reference(), CopyOptions.defaults());
                out.commit();
            }
            assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(tar));
        }
    }

    @Test
    void skopeoReadsOurArchiveAndWeReadSkopeos() throws IOException {
        Blobs.Artifact art = Blobs.artifact(52, 3);
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        art.pushTo(src);
        src.tag(art.root(), "v1");
        Path ours = tmp.resolve("ours.tar");
        export(src, "v1", ours, "v1");

        // skopeo: our archive -> a layout it writes; same manifest bytes, same blobs
        Path skopeoLayout = tmp.resolve("skopeo-layout");
        Skopeo.copy("oci-archive:" + ours + ":v1", "oci:" + skopeoLayout + ":fromarchive");
        OciLayout sl = OciLayout.open(skopeoLayout);
        assertThat(sl.resolve("fromarchive")).isEqualTo(art.root());
        for (var e : art.blobs().entrySet()) {
            assertThat(Files.readAllBytes(sl.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
        }

        // skopeo: our layout -> an archive it writes; we read it and copy it out verified
        Path theirs = tmp.resolve("theirs.tar");
        Skopeo.copy("oci:" + src.dir() + ":v1", "oci-archive:" + theirs + ":fromskopeo");
        try (OciArchive arc = OciArchive.open(theirs)) {
            assertThat(arc.tags()).containsExactly("fromskopeo");
            OciLayout back = OciLayout.open(tmp.resolve("back"));
            CopyResult r = Copy.copy(arc, "fromskopeo", back, "v1", CopyOptions.defaults());
            assertThat(r.root()).isEqualTo(art.root());
            assertThat(r.blobsCopied()).isEqualTo(5);
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }
        }
        // we add a tag to skopeo's archive, and skopeo reads both tags of the result
        OciLayout other = sourceLayout(53, 2, "v2");
        export(other, "v2", theirs, "second");
        assertThat(OciArchive.open(theirs).tags()).containsExactly("fromskopeo", "second");
        Path check = tmp.resolve("check");
        Skopeo.copy("oci-archive:" + theirs + ":second", "oci:" + check + ":second");
        Skopeo.copy("oci-archive:" + theirs + ":fromskopeo", "oci:" + check + ":first");
        assertThat(OciLayout.open(check).resolve("second")).isEqualTo(other.resolve("v2"));
        assertThat(OciLayout.open(check).resolve("first")).isEqualTo(art.root());
    }

    // ---- helpers

    private interface TarBody {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private void assertRefused(String fileName, TarBody body, String message) throws IOException {
        Path tar = tmp.resolve(fileName);
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            file(t, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            body.write(t);
            file(t, "index.json", "{\"schemaVersion\":2,\"manifests\":[]}");
        }
        assertThatThrownBy(() -> OciArchive.open(tar)).isInstanceOf(ContentException.class)
                .hasMessageStartingWith("oci-archive:" + tar + ": ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> Copy.copy(Targets.open(Targets.parse("oci-archive:" + tar + ":v1"), RegistryOptions.defaults()).target(),
                "v1", OciLayout.open(tmp.resolve("never")), "v1", CopyOptions.defaults()))
                .isInstanceOf(ContentException.class);
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    private static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    private static long dataOffset(Path tar, String name) throws IOException {
        try (var f = new org.apache.commons.compress.archivers.tar.TarFile(tar)) {
            for (TarArchiveEntry e : f.getEntries()) if (e.getName().equals(name)) return e.getDataOffset();
        }
        throw new AssertionError("no " + name + " in " + tar);
    }

    private static List<String> siblings(Path file) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
