package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test content: random blobs and a small model-set manifest over them, pushed into any Storage. */
final class Blobs {
    private Blobs() {}

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Descriptor describe(String mediaType, byte[] bytes) {
        return Descriptor.of(mediaType, Digest.sha256Of(bytes), bytes.length);
    }

    /** An artifact: config (models.toml-like bytes) + {@code layers} random file layers. */
    record Artifact(Manifest manifest, byte[] manifestBytes, Descriptor root, Map<Descriptor, byte[]> blobs) {
        void pushTo(Storage s) throws IOException {
            for (var e : blobs.entrySet()) s.push(e.getKey(), new ByteArrayInputStream(e.getValue()));
            s.push(root, new ByteArrayInputStream(manifestBytes));
        }

        Descriptor layer(int i) {
            return manifest.layers().get(i);
        }

        long blobBytes() {
            return blobs.values().stream().mapToLong(b -> b.length).sum();
        }
    }

    static Artifact artifact(long seed, int layers) {
        Map<Descriptor, byte[]> blobs = new java.util.LinkedHashMap<>();
        byte[] config = ("[files]\n\"a.txt\" = {hash = \"x\"}\n# seed " + seed + "\n").getBytes(StandardCharsets.UTF_8);
        Descriptor cd = describe(MediaTypes.CONFIG, config);
        blobs.put(cd, config);
        List<Descriptor> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            byte[] b = random(seed * 100 + i, 1000 + i * 517);
            Descriptor d = describe(MediaTypes.FILE_LAYER, b).withAnnotations(Map.of("org.opencontainers.image.title", "f" + i + ".bin"));
            blobs.put(d, b);
            ls.add(d);
        }
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, ls, Map.of());
        byte[] mb = m.toBytes();
        return new Artifact(m, mb, m.descriptor(), blobs);
    }
}
