package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.GunzipSink;
import dev.modelreg.content.SafeFiles;
import dev.modelreg.content.TarStream;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.FileGroups;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The layers of a model image (spec/README.md 3.11) read as a source. A layer (gzip or plain tar) is read in the pass
 * that downloads it ({@link #sink}): decompressed with a bound, every entry must be a directory or a regular file
 * under the image root (no links, devices, absolute names, '..', duplicates), every file must be one that models.toml
 * places in this layer and match its hash, and {@code ROOT/models.toml} (only in the layer marked as holding it) must
 * match the manifest's registry digest. Anything else fails the layer before it enters the cache.
 */
final class ImageLayers {
    private ImageLayers() {}

    /** The modelcar description of an image manifest, or a one-line refusal naming {@code label}. */
    static Modelcar modelcar(Manifest m, String label) {
        try {
            return Modelcar.of(m, label);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage());
        }
    }

    /** Plans a copy of {@code keys}: cached file blobs, and the layers serving the others with every file they serve. */
    static OciSource.Plan plan(ModelsToml r, Modelcar car, Collection<String> keys, Cache cache, String label) {
        SortedMap<String, SortedSet<String>> groups = FileGroups.groups(r);
        Map<String, String> groupOf = new HashMap<>();
        groups.forEach((g, ks) -> ks.forEach(k -> groupOf.put(k, g)));
        Map<String, Digest> blobs = new LinkedHashMap<>();
        Map<Digest, OciSource.Fetch> out = new LinkedHashMap<>();
        for (String key : keys) {
            FileEntry e = r.files().get(key);
            if (e == null) throw ConsumerException.notFound(label + ": registry lists no file '" + key + "'");
            if (e.hash() == null) throw new ConsumerException(label + ": file '" + key + "' has no hash in the registry");
            if (cache.has(e.hash())) {
                blobs.put(key, e.hash());
                continue;
            }
            String g = groupOf.getOrDefault(key, "");
            Descriptor l = car.layerOf(g);
            if (l == null) {
                throw new ConsumerException(label + ": no layer of the image holds file '" + key + "' (model '" + g + "')");
            }
            out.computeIfAbsent(l.digest(), d -> new OciSource.Fetch(l, cache.has(d), new LinkedHashMap<>(),
                    serves(r, car, l, groups))).files().put(key, e.hash());
        }
        return new OciSource.Plan(blobs, new ArrayList<>(out.values()));
    }

    /** Every file (key -> hash) that {@code layer} serves: the files of each group the image maps to it. */
    static Map<String, Digest> serves(ModelsToml r, Modelcar car, Descriptor layer,
                                      SortedMap<String, SortedSet<String>> groups) {
        Map<String, Digest> out = new HashMap<>();
        groups.forEach((g, keys) -> {
            Descriptor l = car.layerOf(g);
            if (l == null || !l.digest().equals(layer.digest())) return;
            for (String k : keys) {
                FileEntry e = r.files().get(k);
                if (e != null && e.hash() != null) out.put(k, e.hash());
            }
        });
        return out;
    }

    /**
     * The sink of {@code layer}: checks it as above against {@code serves} (key -> hash) and writes the members named
     * in {@code dests}; at its end every wanted member must have been seen, and {@code done} gets the bytes written.
     */
    static BlobSink sink(Modelcar car, Descriptor layer, Map<String, Digest> serves, Map<String, Path> dests,
                         LongConsumer done, String what) {
        Reader reader = new Reader(car, layer, serves, dests, what);
        return layerSink(reader, layer, what, () -> done.accept(reader.written.get()));
    }

    /**
     * The sink of the layer holding models.toml when models.toml is not known yet (a resolve): every member is hashed,
     * and at the end models.toml (which must match the manifest's digest) is parsed and every other member checked
     * against it; then {@code registry} gets its bytes.
     */
    static BlobSink registrySink(Modelcar car, Consumer<byte[]> registry, String what) {
        Reader reader = new Reader(car, car.registryLayer(), null, Map.of(), what);
        return layerSink(reader, car.registryLayer(), what, () -> {
            byte[] bytes = reader.registry.toByteArray();
            ModelsToml r;
            try {
                r = ModelsTomlCodec.read(bytes, "models.toml of " + what);
            } catch (IllegalArgumentException e) {
                throw new ConsumerException(e.getMessage());
            }
            Map<String, Digest> serves = serves(r, car, car.registryLayer(), FileGroups.groups(r));
            for (Map.Entry<String, Digest> e : reader.seen.entrySet()) reader.check(e.getKey(), serves, e.getValue());
            registry.accept(bytes);
        });
    }

    /** What runs once a layer's tar has been read and checked. */
    private interface AfterRead {
        void run() throws IOException;
    }

    /** The sink of one layer: gunzipped (bounded) unless a plain tar, read by {@code reader}, then {@code after}. */
    private static BlobSink layerSink(Reader reader, Descriptor layer, String what, AfterRead after) {
        BlobSink tar = new BlobSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                reader.tar.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                reader.tar.finish();
                reader.finish();
                after.run();
            }
        };
        return MediaTypes.TAR_LAYER.equals(layer.mediaType()) ? tar
                : new GunzipSink(tar, Limits.MAX_LAYER_EXPANDED_BYTES, what);
    }

    /** Feeds a cached layer through {@code sink}. */
    static void replay(Path layer, BlobSink sink) throws IOException {
        try (InputStream in = Files.newInputStream(layer)) {
            byte[] buf = new byte[64 << 10];
            for (int n; (n = in.read(buf)) >= 0; ) if (n > 0) sink.write(buf, 0, n);
        }
        sink.finish();
    }

    /** The tar side of one layer's read. */
    private static final class Reader {
        final Modelcar car;
        final boolean holdsRegistry;
        final Map<String, Digest> serves; // null: checked at the end, against the models.toml read from this layer
        final Map<String, Path> dests;
        final String what;
        final String prefix;
        final Set<String> names = new HashSet<>();
        final Map<String, Digest> seen = new HashMap<>();
        final Map<String, Long> sizes = new HashMap<>();
        final AtomicLong written = new AtomicLong();
        final ByteArrayOutputStream registry = new ByteArrayOutputStream();
        boolean registrySeen;
        long entries;
        final TarStream tar;

        Reader(Modelcar car, Descriptor layer, Map<String, Digest> serves, Map<String, Path> dests, String what) {
            this.car = car;
            this.holdsRegistry = layer.digest().equals(car.registryLayer().digest());
            this.serves = serves;
            this.dests = dests;
            this.what = what;
            this.prefix = car.entryPrefix();
            this.tar = new TarStream(new TarStream.Members() {
                @Override
                public TarStream.Member open(String name, long size) throws IOException {
                    return member(name);
                }

                @Override
                public void other(String name, byte type) throws IOException {
                    count(name);
                    if (type != '5') {
                        throw invalid("tar entry '" + Text.printable(name) + "' is " + TarStream.kind(type)
                                + " (a model image layer holds regular files and directories only)");
                    }
                    String dir = name.endsWith("/") ? name : name + "/";
                    if (!prefix.startsWith(dir) && !dir.startsWith(prefix)) {
                        throw invalid("directory '" + Text.printable(name) + "' is outside the image root " + car.root());
                    }
                    safe(dir.substring(0, dir.length() - 1), name);
                }
            }, what);
        }

        private void count(String name) throws ContentException {
            if (++entries > Limits.MAX_TAR_MEMBERS) {
                throw invalid("more than " + Limits.MAX_TAR_MEMBERS + " tar entries, the limit");
            }
            if (name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
                throw invalid("tar entry '" + Text.printable(name) + "' has an absolute or empty path");
            }
        }

        private void safe(String path, String name) throws ContentException {
            for (String seg : path.split("[/\\\\]", -1)) {
                if (seg.equals("..") || seg.equals(".") || seg.isEmpty()) {
                    throw invalid("tar entry '" + Text.printable(name) + "' is not a plain path ('..', '.' or an empty segment)");
                }
            }
        }

        TarStream.Member member(String name) throws IOException {
            count(name);
            if (!names.add(name)) throw invalid("tar entry '" + Text.printable(name) + "' occurs twice");
            if (!name.startsWith(prefix)) {
                throw invalid("file '" + Text.printable(name) + "' is outside the image root " + car.root());
            }
            String key = name.substring(prefix.length());
            safe(key, name);
            if (key.equals(Modelcar.REGISTRY_FILE)) {
                if (!holdsRegistry) throw invalid("holds " + car.root() + "/models.toml but is not the layer marked as holding it");
                registrySeen = true;
                return hashed(registry, Limits.MAX_REGISTRY_BYTES, (d, n) -> {
                    if (!d.equals(car.registry())) {
                        throw VerifyingInputStream.mismatch(car.root() + "/models.toml in " + what, car.registry(), d, registry.size());
                    }
                });
            }
            Path dest = dests.get(key);
            OutputStream out = dest == null ? OutputStream.nullOutputStream()
                    : SafeFiles.newOutputStream(dest);
            if (serves != null && !serves.containsKey(key)) {
                out.close();
                throw invalid("holds file '" + Text.printable(key) + "', which models.toml does not place in this layer");
            }
            return hashed(out, Long.MAX_VALUE, (d, n) -> {
                sizes.put(key, n);
                if (serves != null) check(key, serves, d);
                else seen.put(key, d);
                if (dest != null) written.addAndGet(n);
            });
        }

        void check(String key, Map<String, Digest> serves, Digest got) throws IOException {
            Digest want = serves.get(key);
            if (want == null) throw invalid("holds file '" + Text.printable(key) + "', which models.toml does not place in this layer");
            if (!want.equals(got)) {
                throw VerifyingInputStream.mismatch("file '" + key + "' in " + what, want, got, sizes.getOrDefault(key, 0L));
            }
            seen.put(key, got);
        }

        void finish() throws IOException {
            if (holdsRegistry && !registrySeen) throw invalid("does not hold " + car.root() + "/models.toml");
            for (String k : dests.keySet()) {
                if (!seen.containsKey(k)) throw invalid("does not contain file '" + k + "'");
            }
        }

        interface Check {
            void accept(Digest d, long bytes) throws IOException;
        }

        private TarStream.Member hashed(OutputStream to, long max, Check check) {
            DigestingOutputStream out = new DigestingOutputStream(to);
            return new TarStream.Member() {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (out.count() + len > max) throw invalid(car.root() + "/models.toml is over " + max + " bytes");
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.close();
                    check.accept(out.digest(), out.count());
                }
            };
        }

        ContentException invalid(String why) {
            return new ContentException(ContentException.Kind.INVALID, what + ": " + why);
        }
    }
}
