package dev.modelreg.content.fs;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files modelreg renames into place get the user's default permissions (umask), not a temp file's 0600. */
class AtomicFilesTest {
    @TempDir Path tmp;

    Set<PosixFilePermission> defaults() throws IOException {
        Path plain = Files.createFile(tmp.resolve("plain"));
        return Files.getPosixFilePermissions(plain);
    }

    @Test
    void writtenFilesHaveTheDefaultPermissions() throws IOException {
        Set<PosixFilePermission> want = defaults();
        assertThat(want).as("this test needs a umask that lets others read").contains(PosixFilePermission.OTHERS_READ);

        Path registry = tmp.resolve("out/models.toml");
        AtomicFiles.write(registry, "[files]\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.getPosixFilePermissions(registry)).isEqualTo(want);

        byte[] blob = "blob".getBytes(StandardCharsets.UTF_8);
        Descriptor d = Descriptor.of(MediaTypes.FILE_LAYER, Digest.sha256Of(blob), blob.length);
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        cache.push(d, new ByteArrayInputStream(blob));
        assertThat(Files.getPosixFilePermissions(cache.path(d.digest()))).isEqualTo(want);

        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        layout.push(d, new ByteArrayInputStream(blob));
        assertThat(Files.getPosixFilePermissions(layout.blobPath(d.digest()))).isEqualTo(want);
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("models.toml");
        }
    }

    @Test
    void tempFilesAreNewAndDistinct() throws IOException {
        AtomicFiles.Temp ta = AtomicFiles.createTemp(tmp, ".x-", ".partial");
        AtomicFiles.Temp tb = AtomicFiles.createTemp(tmp, ".x-", ".partial");
        ta.channel().close();
        tb.channel().close();
        Path a = ta.path();
        Path b = tb.path();
        assertThat(a).isNotEqualTo(b).exists().isEmptyFile();
        assertThat(b.getFileName().toString()).startsWith(".x-").endsWith(".partial");
    }

    /**
     * Every temp file of a named write carries its writer's PID (a later run sweeps a killed one's) and is registered
     * while it is written, so that an interrupted process removes it on its way out.
     */
    @Test
    void aTempFileIsNamedByItsProcessAndRemovedByAnInterruptWhileWritten() throws IOException {
        Path target = tmp.resolve("out/index.json");
        java.util.List<Path> during = new java.util.ArrayList<>();
        AtomicFiles.write(target, out -> {
            during.addAll(Cleanup.registered());
            out.write('{');
        });
        Path dir = target.toAbsolutePath().getParent();
        assertThat(during).filteredOn(p -> dir.equals(p.getParent())).singleElement().satisfies(p -> assertThat(
                p.getFileName().toString()).startsWith(".index.json." + ProcessHandle.current().pid() + "-").endsWith(".partial"));
        assertThat(Cleanup.registered()).noneMatch(p -> dir.equals(p.getParent()));
        assertThat(target).hasContent("{");
    }
}
