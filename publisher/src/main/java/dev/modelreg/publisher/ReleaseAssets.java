package dev.modelreg.publisher;

import dev.modelreg.content.fs.AtomicFiles;

import dev.modelreg.spec.ModelsTomlCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The assets a GitHub-release publisher uploads: {@code models.toml} and a zip of every indexed file whose member
 * names are exactly the {@code [files]} keys (what modflow-devtools' zip fetch extracts). Entries are sorted and
 * carry a fixed timestamp (1980-01-01 00:00, zone independent), so the member list and metadata are reproducible.
 */
final class ReleaseAssets {
    private ReleaseAssets() {}

    public static final String DEFAULT_ZIP = "models.zip";
    private static final LocalDateTime FIXED = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** Writes OUTDIR/models.toml and OUTDIR/zipName, each atomically. Returns the zip's path. */
    public static Path write(Index index, Path outDir, String zipName) throws IOException {
        Files.createDirectories(outDir);
        Path zip = outDir.resolve(zipName);
        AtomicFiles.write(zip, out -> {
            ZipOutputStream zos = new ZipOutputStream(out);
            byte[] buf = new byte[128 * 1024];
            for (Map.Entry<String, Path> e : index.paths().entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                ze.setTimeLocal(FIXED);
                zos.putNextEntry(ze);
                try (InputStream in = Files.newInputStream(e.getValue())) {
                    for (int r; (r = in.read(buf)) >= 0; ) zos.write(buf, 0, r);
                }
                zos.closeEntry();
            }
            zos.finish();
        });
        AtomicFiles.write(outDir.resolve(dev.modelreg.spec.Modelcar.REGISTRY_FILE), ModelsTomlCodec.write(index.registry()));
        return zip;
    }
}
