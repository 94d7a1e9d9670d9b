package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.OciLayout;
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

    private Descriptor artifact(OciLayout layout) throws Exception {
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
        assertThat(again.err()).contains("copied 0 blobs (0 bytes), skipped 3");
    }

    @Test
    void errorsAreOneLine() throws Exception {
        artifact(OciLayout.open(tmp.resolve("a")));
        Run missing = run("mirror", "oci-layout:" + tmp.resolve("a") + ":nope", "oci-layout:" + tmp.resolve("b"));
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err().trim()).isEqualTo("modelreg: error: tag 'nope' not found in oci-layout:" + tmp.resolve("a"));
        Run noRef = run("mirror", "oci-layout:" + tmp.resolve("a"), "oci-layout:" + tmp.resolve("b"));
        assertThat(noRef.code()).isEqualTo(ExitCodes.USAGE_OR_MISMATCH);
        assertThat(noRef.err()).contains("needs a :TAG or @DIGEST");
        Run badRef = run("mirror", "Not/A:Ref", "oci-layout:" + tmp.resolve("b"));
        assertThat(badRef.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(badRef.err().trim()).startsWith("modelreg: error: invalid OCI reference 'Not/A:Ref'").doesNotContain("\n");
        assertThat(tmp.resolve("b")).doesNotExist(); // nothing created when the source is wrong
    }
}
