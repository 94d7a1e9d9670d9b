package dev.modelreg.testkit.conformance;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Content for the conformance suites: deterministic random blobs, small artifacts (config, one layer, a manifest whose
 * bytes are not canonical JSON) and streams that count what a store reads of them.
 */
public final class StoreContent {
    private StoreContent() {}

    /** A blob and its descriptor. */
    public record Blob(Descriptor descriptor, byte[] bytes) {
        public InputStream stream() {
            return new ByteArrayInputStream(bytes);
        }

        public Digest digest() {
            return descriptor.digest();
        }
    }

    /** A config and a layer, and a manifest over them: what a registry accepts as a manifest. */
    public record Artifact(Blob config, Blob layer, Blob manifest) {
        public List<Blob> blobs() {
            return List.of(config, layer);
        }
    }

    public static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static Blob blob(String mediaType, byte[] bytes) {
        return new Blob(Descriptor.of(mediaType, Digest.sha256Of(bytes), bytes.length), bytes);
    }

    /** A file layer of {@code size} random bytes. */
    public static Blob layer(long seed, int size) {
        return blob(MediaTypes.FILE_LAYER, random(seed, size));
    }

    /** An artifact whose manifest is indented JSON: a store that re-serializes it changes its digest. */
    public static Artifact artifact(long seed) {
        return artifact(seed, 0);
    }

    /**
     * An artifact whose manifest is exactly {@code manifestSize} bytes (padded with an annotation), or as small as it
     * comes when {@code manifestSize} is 0.
     */
    public static Artifact artifact(long seed, int manifestSize) {
        Blob config = blob(MediaTypes.CONFIG, ("[files]\n# conformance " + seed + "\n").getBytes(StandardCharsets.UTF_8));
        Blob layer = layer(seed, 1000 + (int) (seed % 1000));
        String json = manifestJson(config.descriptor(), layer.descriptor(), seed, "");
        if (manifestSize > 0) json = manifestJson(config.descriptor(), layer.descriptor(), seed, "x".repeat(manifestSize - json.length()));
        return new Artifact(config, layer, blob(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String manifestJson(Descriptor config, Descriptor layer, long seed, String pad) {
        return "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",\n"
                + "  \"artifactType\": \"" + MediaTypes.ARTIFACT_TYPE + "\",\n"
                + "  \"config\": " + descriptorJson(config) + ",\n"
                + "  \"layers\": [\n    " + descriptorJson(layer) + "\n  ],\n"
                + "  \"annotations\": {\n    \"dev.modelreg.conformance.seed\": \"" + seed + "\",\n"
                + "    \"dev.modelreg.conformance.pad\": \"" + pad + "\"\n  }\n}\n";
    }

    /** An image index over {@code manifests}. */
    public static Blob index(Descriptor... manifests) {
        StringBuilder b = new StringBuilder("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaTypes.OCI_INDEX
                + "\",\n  \"manifests\": [");
        for (int i = 0; i < manifests.length; i++) b.append(i == 0 ? "\n    " : ",\n    ").append(descriptorJson(manifests[i]));
        return blob(MediaTypes.OCI_INDEX, b.append("\n  ]\n}\n").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String descriptorJson(Descriptor d) {
        return "{\"mediaType\": \"" + d.mediaType() + "\", \"digest\": \"" + d.digest() + "\", \"size\": " + d.size() + "}";
    }

    /** {@code bytes}, then {@code extra} more bytes (0xAA), counting every byte read. */
    public static CountingStream counting(byte[] bytes, long extra) {
        return new CountingStream(bytes, extra);
    }

    /** A stream that counts what was read of it. */
    public static final class CountingStream extends InputStream {
        private final byte[] bytes;
        private final long length;
        private long read;

        private CountingStream(byte[] bytes, long extra) {
            this.bytes = bytes;
            this.length = bytes.length + extra;
        }

        /** How many bytes were read. */
        public synchronized long consumed() {
            return read;
        }

        @Override
        public synchronized int read() {
            if (read >= length) return -1;
            int b = read < bytes.length ? bytes[(int) read] & 0xff : 0xAA;
            read++;
            return b;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (read >= length) return -1;
            int n = (int) Math.min(len, length - read);
            for (int i = 0; i < n; i++) b[off + i] = read + i < bytes.length ? bytes[(int) (read + i)] : (byte) 0xAA;
            read += n;
            return n;
        }
    }
}
