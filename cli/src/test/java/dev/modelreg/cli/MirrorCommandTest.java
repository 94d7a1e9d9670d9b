package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorCommandTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** A model-set artifact of one file in {@code layout}, tagged v1. */
    static Descriptor artifact(OciLayout layout) throws Exception {
        byte[] config = "[files]\n".getBytes(StandardCharsets.UTF_8);
        byte[] file = "hello model\n".getBytes(StandardCharsets.UTF_8);
        Descriptor cd = Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(config), config.length);
        Descriptor fd = Descriptor.of(MediaTypes.FILE_LAYER, Digest.sha256Of(file), file.length);
        layout.push(cd, new ByteArrayInputStream(config));
        layout.push(fd, new ByteArrayInputStream(file));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, List.of(fd), Map.of());
        layout.push(m.descriptor(), new ByteArrayInputStream(m.toBytes()));
        layout.tag(m.descriptor(), "v1");
        return m.descriptor();
    }

    @Test
    void mirrorsBetweenLayoutsKeepingTheTag() throws Exception {
        Descriptor root = artifact(OciLayout.open(tmp.resolve("a")));
        Run r = run("mirror", "--json", "oci-layout:" + tmp.resolve("a") + ":v1", "oci-layout:" + tmp.resolve("b"));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> j = Json.parseObject(r.out().getBytes(StandardCharsets.UTF_8), "out");
        assertThat(j).containsEntry("digest", root.digest().toString()).containsEntry("tag", "v1")
                .containsEntry("blobsCopied", 3L).containsEntry("blobsSkipped", 0L);
        assertThat(OciLayout.open(tmp.resolve("b")).resolve("v1")).isEqualTo(root);

        Run again = run("mirror", "oci-layout:" + tmp.resolve("a") + ":v1", "oci-layout:" + tmp.resolve("b") + ":other");
        assertThat(again.code()).isZero();
        assertThat(again.out().trim()).isEqualTo("oci-layout:" + tmp.resolve("b") + ":other@" + root.digest());
        assertThat(again.err()).contains("copied 0 blobs and manifests (0 bytes), skipped 3");
    }

    @Test
    void exportsToAndImportsFromAnOciArchive() throws Exception {
        Descriptor root = artifact(OciLayout.open(tmp.resolve("a")));
        Path tar = tmp.resolve("carry/models.tar");
        Run export = run("mirror", "oci-layout:" + tmp.resolve("a") + ":v1", "oci-archive:" + tar);
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out().trim()).isEqualTo("oci-archive:" + tar + ":v1@" + root.digest());
        assertThat(export.err()).contains("copied 3 blobs");
        assertThat(tar).isRegularFile();
        try (var s = Files.list(tar.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("models.tar");
        }

        // a second tag goes into the same archive; exporting again gives the same bytes
        Run second = run("mirror", "oci-layout:" + tmp.resolve("a") + ":v1", "oci-archive:" + tar + ":develop");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(dev.modelreg.content.store.OciArchive.open(tar).tags()).containsExactly("v1", "develop");
        byte[] before = Files.readAllBytes(tar);
        assertThat(run("mirror", "oci-layout:" + tmp.resolve("a") + ":v1", "oci-archive:" + tar + ":develop").code()).isZero();
        assertThat(Files.readAllBytes(tar)).isEqualTo(before);

        Run imp = run("mirror", "--json", "oci-archive:" + tar + ":develop", "oci-layout:" + tmp.resolve("b"));
        assertThat(imp.code()).as(imp.err()).isZero();
        Map<String, Object> j = Json.parseObject(imp.out().getBytes(StandardCharsets.UTF_8), "out");
        assertThat(j).containsEntry("source", "oci-archive:" + tar).containsEntry("digest", root.digest().toString())
                .containsEntry("tag", "develop").containsEntry("blobsCopied", 3L);
        assertThat(OciLayout.open(tmp.resolve("b")).resolve("develop")).isEqualTo(root);

        // by digest into a new archive needs a tag; with one it works
        Run noTag = run("mirror", "oci-archive:" + tar + "@" + root.digest(), "oci-archive:" + tmp.resolve("d.tar"));
        assertThat(noTag.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noTag.err().trim()).isEqualTo("modelreg: error: destination 'oci-archive:" + tmp.resolve("d.tar")
                + "' needs a :TAG (the source is a digest; an archive is read by tag)");
        assertThat(tmp.resolve("d.tar")).doesNotExist();
        Run byDigest = run("mirror", "oci-archive:" + tar + "@" + root.digest(), "oci-archive:" + tmp.resolve("d.tar") + ":pinned");
        assertThat(byDigest.code()).as(byDigest.err()).isZero();
        assertThat(dev.modelreg.content.store.OciArchive.open(tmp.resolve("d.tar")).resolve("pinned")).isEqualTo(root);
    }

    @Test
    void archiveErrorsAreOneLineAndWriteNothing() throws Exception {
        artifact(OciLayout.open(tmp.resolve("a")));
        Path evil = tmp.resolve("evil.tar");
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(evil))) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../evil");
            e.setSize(1);
            t.putArchiveEntry(e);
            t.write('x');
            t.closeArchiveEntry();
        }
        Run bad = run("mirror", "oci-archive:" + evil + ":v1", "oci-layout:" + tmp.resolve("b"));
        assertThat(bad.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err().trim()).isEqualTo("modelreg: error: oci-archive:" + evil
                + ": entry '../evil' leaves the archive ('..' in its path)");
        assertThat(tmp.resolve("b")).doesNotExist();
        assertThat(tmp.getParent().resolve("evil")).doesNotExist();

        Run missing = run("mirror", "oci-archive:" + tmp.resolve("none.tar") + ":v1", "oci-layout:" + tmp.resolve("b"));
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err().trim()).isEqualTo("modelreg: error: no OCI archive at " + tmp.resolve("none.tar"));

        Run noTag = run("mirror", "oci-layout:" + tmp.resolve("a") + ":nope", "oci-archive:" + tmp.resolve("x.tar"));
        assertThat(noTag.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(tmp.resolve("x.tar")).doesNotExist();
    }

    @Test
    void errorsAreOneLine() throws Exception {
        artifact(OciLayout.open(tmp.resolve("a")));
        Run missing = run("mirror", "oci-layout:" + tmp.resolve("a") + ":nope", "oci-layout:" + tmp.resolve("b"));
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err().trim()).isEqualTo("modelreg: error: tag 'nope' not found in oci-layout:" + tmp.resolve("a"));
        Run noRef = run("mirror", "127.0.0.1:1/models", "oci-layout:" + tmp.resolve("b"));
        assertThat(noRef.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noRef.err()).contains("needs a :TAG or @DIGEST, --all-tags or --tags GLOB");
        // a layout (or archive) source without a tag copies every ref in it
        Run every = run("mirror", "oci-layout:" + tmp.resolve("a"), "oci-layout:" + tmp.resolve("c"));
        assertThat(every.code()).as(every.err()).isZero();
        assertThat(OciLayout.open(tmp.resolve("c")).tags()).containsExactly("v1");
        Run badRef = run("mirror", "Not/A:Ref", "oci-layout:" + tmp.resolve("b"));
        assertThat(badRef.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(badRef.err().trim()).startsWith("modelreg: error: invalid OCI reference 'Not/A:Ref'").doesNotContain("\n");
        assertThat(tmp.resolve("b")).doesNotExist(); // nothing created when the source is wrong
    }
}
