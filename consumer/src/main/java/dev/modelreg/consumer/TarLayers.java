package dev.modelreg.consumer;

import dev.modelreg.content.Streams;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.Ingest;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams a tar layer once: the layer is checked against its descriptor (size and digest) and every wanted file in
 * it against its models.toml hash. Files go to temp files in the cache's ingest dir and are renamed into the blob
 * store only after the whole layer verified; on any failure nothing enters the cache.
 */
final class TarLayers {
    private TarLayers() {}

    static void extract(InputStream raw, Descriptor layer, Map<String, Digest> wanted, Cache cache, String what)
            throws IOException {
        Path ingestDir = cache.root().resolve("ingest");
        Files.createDirectories(ingestDir);
        Map<String, Path> temps = new LinkedHashMap<>();
        try {
            try (VerifyingInputStream vin = new VerifyingInputStream(raw, layer, what);
                 TarArchiveInputStream tar = new TarArchiveInputStream(vin)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (!e.isFile()) continue;
                    String name = normalize(e.getName());
                    Digest want = wanted.get(name);
                    if (want == null || temps.containsKey(name)) continue;
                    Path tmp = Files.createTempFile(ingestDir, "tar-", ".partial");
                    temps.put(name, tmp);
                    Digest got;
                    try (OutputStream fo = Files.newOutputStream(tmp); DigestingOutputStream out = new DigestingOutputStream(fo)) {
                        Streams.copy(tar, out, e.getSize());
                        out.flush();
                        got = out.digest();
                    }
                    if (!got.equals(want)) {
                        throw new ContentException(ContentException.Kind.DIGEST_MISMATCH, "file '" + name + "' in "
                                + what + ": hash mismatch: want " + want.hex() + ", got " + got.hex());
                    }
                }
                vin.verifyToEnd();
            }
            for (String k : wanted.keySet()) {
                if (!temps.containsKey(k)) {
                    throw new ContentException(ContentException.Kind.INVALID, what + ": does not contain file '" + k + "'");
                }
            }
            for (Map.Entry<String, Path> t : temps.entrySet()) {
                Path target = cache.blob(wanted.get(t.getKey()));
                Files.createDirectories(target.getParent());
                Ingest.moveIntoPlace(t.getValue(), target);
            }
        } finally {
            for (Path t : temps.values()) Files.deleteIfExists(t);
        }
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        return n;
    }
}
