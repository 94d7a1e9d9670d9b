package dev.modelreg.consumer;

import dev.modelreg.content.Target;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds foreign artifacts from their own specifications, not from modelreg's writer: CNCF ModelPack (model-spec
 * docs/spec.md, config.md, annotations.md), ORAS ({@code oras push}: titled layers, gzipped directories marked
 * {@code io.deis.oras.content.unpack}) and KitOps ModelKits (Kitfile config, tar layers of context-relative paths).
 */
final class TestForeign {
    private TestForeign() {}

    static final String MP = "application/vnd.cncf.model.";

    /** One layer: its media type, bytes, annotations, and its diffId (the digest of its uncompressed tar). */
    record Layer(String mediaType, byte[] blob, Map<String, String> annotations, Digest diffId) {
        Descriptor descriptor() {
            return new Descriptor(mediaType, Digest.sha256Of(blob), blob.length, annotations);
        }
    }

    /** What was pushed: the manifest's descriptor and document. */
    record Pushed(Descriptor manifest, Manifest parsed) {
        Descriptor layer(int i) {
            return parsed.layers().get(i);
        }
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed * 7 + (i >> 8));
        return b;
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A ModelPack raw layer: the file at {@code path}; kind {@code weight}, {@code weight.config}, {@code doc}, ... */
    static Layer raw(String kind, String path, byte[] content) {
        return new Layer(MP + kind + ".v1.raw", content, Map.of("org.cncf.model.filepath", path), Digest.sha256Of(content));
    }

    /** A ModelPack tar layer ({@code gzip}: tar+gzip) at {@code path} holding {@code members} (null content: a directory). */
    static Layer tar(String kind, String path, Map<String, byte[]> members, boolean gzip) {
        byte[] tar = tar(members);
        return new Layer(MP + kind + ".v1.tar" + (gzip ? "+gzip" : ""), gzip ? gzip(tar) : tar,
                Map.of("org.cncf.model.filepath", path), Digest.sha256Of(tar));
    }

    /** A tar of {@code members} in order (null content: a directory entry). */
    static byte[] tar(Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey() + (m.getValue() == null ? "/" : ""));
                if (m.getValue() != null) e.setSize(m.getValue().length);
                e.setModTime(0);
                t.putArchiveEntry(e);
                if (m.getValue() != null) t.write(m.getValue());
                t.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ModelPack tar+zstd layer at {@code path} holding {@code members}, the tar compressed as two zstd frames. */
    static Layer tarZstd(String kind, String path, Map<String, byte[]> members) {
        byte[] tar = tar(members);
        return new Layer(MP + kind + ".v1.tar+zstd", zstd(tar), Map.of("org.cncf.model.filepath", path), Digest.sha256Of(tar));
    }

    /** {@code b} as two concatenated zstd frames (a reader must read on past the first). */
    static byte[] zstd(byte[] b) {
        int half = b.length / 2;
        byte[] one = Zstd.compress(java.util.Arrays.copyOfRange(b, 0, half), 3);
        byte[] two = Zstd.compress(java.util.Arrays.copyOfRange(b, half, b.length), 3);
        byte[] out = java.util.Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, out, one.length, two.length);
        return out;
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ModelPack config: {@code descriptor} fields, a small {@code config}, and the layers' diffIds. */
    static byte[] modelPackConfig(Map<String, Object> descriptor, List<Layer> layers) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("descriptor", descriptor);
        c.put("config", Map.of("architecture", "transformer", "format", "safetensors", "paramSize", "8b"));
        List<Object> ids = new ArrayList<>();
        for (Layer l : layers) ids.add(l.diffId().toString());
        c.put("modelfs", Map.of("type", "layers", "diffIds", ids));
        return Json.writeBytes(c);
    }

    /** Pushes a ModelPack artifact of {@code layers} with the config {@code config}. */
    static Pushed pushModelPack(Target t, String tag, byte[] config, List<Layer> layers) throws IOException {
        return push(t, tag, "application/vnd.cncf.model.manifest.v1+json",
                Descriptor.of("application/vnd.cncf.model.config.v1+json", Digest.sha256Of(config), config.length), config, layers);
    }

    /** Pushes a manifest of {@code artifactType} (may be null) with the config and layers given. */
    static Pushed push(Target t, String tag, String artifactType, Descriptor config, byte[] configBytes, List<Layer> layers)
            throws IOException {
        put(t, config, configBytes);
        List<Descriptor> ds = new ArrayList<>();
        for (Layer l : layers) {
            put(t, l.descriptor(), l.blob());
            ds.add(l.descriptor());
        }
        Manifest m = new Manifest(artifactType, config, ds, Map.of(Annotations.CREATED, "2025-01-01T00:00:00Z"));
        byte[] mb = m.toBytes();
        Descriptor md = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(mb), mb.length);
        put(t, md, mb);
        t.tag(md, tag);
        return new Pushed(md, m);
    }

    /** The empty config of an ORAS artifact ({@code application/vnd.oci.empty.v1+json}, {@code {}}). */
    static final byte[] EMPTY = text("{}");

    static Descriptor emptyConfig() {
        return Descriptor.of("application/vnd.oci.empty.v1+json", Digest.sha256Of(EMPTY), EMPTY.length);
    }

    /** An ORAS file layer: {@code oras push ref PATH} (media type {@code application/vnd.oci.image.layer.v1.tar}). */
    static Layer orasFile(String title, byte[] content) {
        return new Layer("application/vnd.oci.image.layer.v1.tar", content, Map.of(Annotations.TITLE, title), null);
    }

    /** An ORAS directory: a gzipped tar whose entries are named TITLE/..., marked to be unpacked. */
    static Layer orasDir(String title, Map<String, byte[]> members) {
        Map<String, byte[]> named = new LinkedHashMap<>();
        named.put(title, null);
        members.forEach((k, v) -> named.put(title + "/" + k, v));
        byte[] tar = tar(named);
        return new Layer("application/vnd.oci.image.layer.v1.tar+gzip", gzip(tar), Map.of(Annotations.TITLE, title,
                "io.deis.oras.content.unpack", "true", "io.deis.oras.content.digest", Digest.sha256Of(tar).toString()), null);
    }

    static void put(Target t, Descriptor d, byte[] b) throws IOException {
        if (!t.exists(d)) t.push(d, new ByteArrayInputStream(b));
    }
}
