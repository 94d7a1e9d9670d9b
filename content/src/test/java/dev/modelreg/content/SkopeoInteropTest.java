package dev.modelreg.content;

import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our OCI layouts and registry pushes read by the real skopeo, and skopeo's output read by us. */
class SkopeoInteropTest {
    private static final String SKOPEO = "/usr/bin/skopeo";
    @TempDir Path tmp;

    @Test
    void skopeoReadsOurLayoutAndWeReadSkopeosLayout() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Blobs.Artifact art = Blobs.artifact(31, 3);
            Path ours = tmp.resolve("ours");
            OciLayout layout = OciLayout.open(ours);
            art.pushTo(layout);
            layout.tag(art.root(), "v1");

            // skopeo sees exactly our manifest bytes
            assertThat(skopeo("inspect", "--raw", "oci:" + ours + ":v1").getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(art.manifestBytes());

            // skopeo: our layout -> registry; we read it back byte for byte
            skopeo("copy", "--dest-tls-verify=false", "oci:" + ours + ":v1", "docker://" + r.host() + "/interop/a:v1");
            RegistryStore reg = RegistryStore.connect(OciReference.parse(r.host() + "/interop/a"), RegistryOptions.defaults());
            Descriptor root = reg.resolve("v1");
            assertThat(root).isEqualTo(art.root());
            OciLayout back = OciLayout.open(tmp.resolve("back"));
            Copy.copy(reg, "v1", back, "v1", CopyOptions.defaults());
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }

            // skopeo also writes into our layout (with its ingest/ directory) and keeps our tag
            assertThat(ours.resolve("ingest")).isDirectory();
            skopeo("copy", "--src-tls-verify=false", "docker://" + r.host() + "/interop/a:v1", "oci:" + ours + ":again");
            assertThat(OciLayout.open(ours).tags()).containsExactlyInAnyOrder("v1", "again");
            assertThat(OciLayout.open(ours).resolve("again")).isEqualTo(art.root());

            // skopeo: registry -> a layout it writes; we resolve its tag and copy it out verified
            Path theirs = tmp.resolve("theirs");
            skopeo("copy", "--src-tls-verify=false", "docker://" + r.host() + "/interop/a:v1", "oci:" + theirs + ":fromskopeo");
            OciLayout skopeoLayout = OciLayout.open(theirs);
            assertThat(skopeoLayout.resolve("fromskopeo")).isEqualTo(art.root());
            OciLayout again = OciLayout.open(tmp.resolve("again"));
            CopyResult c = Copy.copy(skopeoLayout, "fromskopeo", again, "v1", CopyOptions.defaults());
            assertThat(c.blobsCopied()).isEqualTo(5);
            // and tagging the skopeo layout keeps its existing entry
            skopeoLayout.tag(art.root(), "second");
            assertThat(skopeoLayout.tags()).containsExactlyInAnyOrder("fromskopeo", "second");
            assertThat(skopeo("inspect", "--raw", "oci:" + theirs + ":fromskopeo").getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(art.manifestBytes());
        }
    }

    @Test
    void skopeoCopiesARegistryArtifactWePushed() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Blobs.Artifact art = Blobs.artifact(32, 2);
            OciLayout src = OciLayout.open(tmp.resolve("src"));
            art.pushTo(src);
            RegistryStore reg = RegistryStore.connect(OciReference.parse(r.host() + "/interop/b"), RegistryOptions.defaults());
            Copy.copy(src, art.root(), reg, "develop", CopyOptions.defaults());
            String raw = skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + r.host() + "/interop/b:develop");
            assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(art.manifestBytes());
            assertThat(raw).contains(MediaTypes.ARTIFACT_TYPE);
        }
    }

    static String skopeo(String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(SKOPEO))) {
            throw new AssertionError(SKOPEO + " is missing: apt-get install -y skopeo");
        }
        List<String> cmd = new ArrayList<>(List.of(SKOPEO, "--insecure-policy"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out;
        byte[] err;
        try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
            out = o.readAllBytes();
            err = e.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("skopeo timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("skopeo failed (" + p.exitValue() + "): " + cmd + "\n" + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
