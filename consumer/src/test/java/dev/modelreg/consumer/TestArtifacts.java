package dev.modelreg.consumer;

import dev.modelreg.content.Target;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.FileGroups;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds a model-set artifact the way the spec lays it out (config = models.toml bytes, big files one FILE_LAYER
 * each, small files one TAR_LAYER per group) and pushes it to any Target. Independent of the publisher, so the
 * consumer's tests pin the contract, not one implementation of it.
 */
final class TestArtifacts {
    static final int BIG = 50_000;

    record Pushed(Descriptor manifest, Manifest parsed, byte[] config, ModelsToml registry) {
        /** The layer that holds {@code key}. */
        Descriptor layerOf(String key) {
            for (Descriptor l : parsed.layers()) {
                if (key.equals(l.title()) && MediaTypes.FILE_LAYER.equals(l.mediaType())) return l;
            }
            String g = FileGroups.groupOf(registry, key);
            for (Descriptor l : parsed.layers()) if (g.equals(l.annotation(Annotations.GROUP))) return l;
            throw new IllegalArgumentException(key);
        }
    }

    static Pushed push(Target t, String tag, Map<String, byte[]> files, Map<String, List<String>> models) throws IOException {
        return push(t, tag, files, models, Map.of());
    }

    /** As above, but the registry (config) lists {@code registryLies}' content hashes for those keys: a broken publisher. */
    static Pushed push(Target t, String tag, Map<String, byte[]> files, Map<String, List<String>> models,
            Map<String, byte[]> registryLies) throws IOException {
        TreeMap<String, FileEntry> entries = new TreeMap<>();
        files.forEach((k, v) -> entries.put(k, FileEntry.ofHash(Digest.sha256Of(registryLies.getOrDefault(k, v)))));
        ModelsToml r = new ModelsToml("1.0", entries, new TreeMap<>(models), new TreeMap<>());
        byte[] config = ModelsTomlCodec.write(r);
        Descriptor cd = Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(config), config.length);
        put(t, cd, config);
        List<Descriptor> layers = new ArrayList<>();
        for (Map.Entry<String, SortedSet<String>> g : FileGroups.groups(r).entrySet()) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            int n = 0;
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (String k : g.getValue()) {
                    byte[] b = files.get(k);
                    if (b.length >= BIG) {
                        Descriptor d = new Descriptor(MediaTypes.FILE_LAYER, Digest.sha256Of(b), b.length,
                                Map.of(Annotations.TITLE, k));
                        put(t, d, b);
                        layers.add(d);
                        continue;
                    }
                    TarArchiveEntry e = new TarArchiveEntry(k);
                    e.setSize(b.length);
                    e.setModTime(0);
                    e.setMode(0644);
                    out.putArchiveEntry(e);
                    out.write(b);
                    out.closeArchiveEntry();
                    n++;
                }
            }
            if (n == 0) continue;
            byte[] tb = tar.toByteArray();
            String title = (g.getKey().isEmpty() ? "_" : g.getKey().replace('/', '_')) + ".tar";
            Descriptor d = new Descriptor(MediaTypes.TAR_LAYER, Digest.sha256Of(tb), tb.length,
                    Map.of(Annotations.TITLE, title, Annotations.GROUP, g.getKey(), Annotations.FILE_COUNT, String.valueOf(n)));
            put(t, d, tb);
            layers.add(d);
        }
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, layers, Map.of(Annotations.VERSION, tag));
        byte[] mb = m.toBytes();
        Descriptor md = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(mb), mb.length);
        put(t, md, mb);
        t.tag(md, tag);
        return new Pushed(md, m, config, r);
    }

    private static void put(Target t, Descriptor d, byte[] b) throws IOException {
        if (!t.exists(d)) t.push(d, new ByteArrayInputStream(b));
    }
}
