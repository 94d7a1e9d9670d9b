package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.tar.GunzipSink;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.tar.TarStream;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The layers of a model image (spec/README.md 3.11) read as a source. A layer (gzip or plain tar) is read in the pass
 * that downloads it ({@link #sink}): decompressed no further than its models.toml allows ({@link LayerBudget}), every
 * entry must be a directory or a regular file under the image root (no links, devices, absolute names, '..',
 * duplicates), every file must be one that models.toml places in this layer (checked by name and size at its header,
 * before its bytes) and match its hash, and {@code ROOT/models.toml} (only in the layer marked as holding it) must
 * match the manifest's registry digest. Anything else fails the layer before it enters the cache.
 */
final class ImageLayers {
    private ImageLayers() {}

    /** The modelcar description of an image manifest, or a one-line refusal naming {@code label}. */
    static Modelcar modelcar(Manifest m, String label) throws ConsumerException {
        try {
            return Modelcar.of(m, label);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage());
        }
    }

    /** Plans a copy of {@code keys}: cached file blobs, and the layers serving the others with every file they serve. */
    static Plan plan(ModelsToml r, Modelcar car, Collection<String> keys, Predicate<Digest> cached, String label)
            throws ConsumerException {
        SortedMap<String, SortedSet<String>> groups = FileGroups.groups(r);
        Map<String, String> groupOf = new HashMap<>();
        groups.forEach((g, ks) -> ks.forEach(k -> groupOf.put(k, g)));
        Plan.Builder plan = new Plan.Builder(cached);
        for (String key : keys) {
            Digest hash = Plans.hashOf(r, key, label);
            if (plan.fromCache(key, hash)) continue;
            String g = groupOf.getOrDefault(key, "");
            Descriptor l = car.layerOf(g);
            if (l == null) {
                throw new ConsumerException(label + ": no layer of the image holds file '" + key + "' (model '" + g + "')");
            }
            plan.fromLayer(l, key, hash, () -> serves(r, car, l, groups));
        }
        return plan.build();
    }

    /** Every file (key -> entry, with a hash) that {@code layer} serves: the files of each group the image maps to it. */
    static Map<String, FileEntry> serves(ModelsToml r, Modelcar car, Descriptor layer,
                                         SortedMap<String, SortedSet<String>> groups) {
        Map<String, FileEntry> out = new HashMap<>();
        groups.forEach((g, keys) -> {
            Descriptor l = car.layerOf(g);
            if (l == null || !l.digest().equals(layer.digest())) return;
            for (String k : keys) {
                FileEntry e = r.files().get(k);
                if (e != null && e.hash() != null) out.put(k, e);
            }
        });
        return out;
    }

    /**
     * The sink of {@code layer}: checks it as above against {@code serves} (key -> entry) and writes the members named
     * in {@code dests}; at its end every wanted member must have been seen, and {@code done} gets the bytes written.
     */
    static BlobSink sink(Modelcar car, Descriptor layer, Map<String, FileEntry> serves, Map<String, Path> dests,
                         LongConsumer done, String what) {
        Reader reader = new Reader(car, layer, serves, dests, what);
        return layerSink(reader, layer, what, () -> done.accept(reader.written.get()));
    }

    /**
     * The sink of the layer holding models.toml when models.toml is not known yet (a resolve): the members before
     * {@code ROOT/models.toml} are hashed in memory (nothing is written) within the allowance of files without a size;
     * once models.toml matched the manifest's digest it is parsed, the members read so far are checked against it,
     * and every later one is checked by name and size before its bytes; then {@code registry} gets its bytes.
     */
    static BlobSink registrySink(Modelcar car, Consumer<byte[]> registry, String what) {
        Reader reader = new Reader(car, car.registryLayer(), null, Map.of(), what);
        return layerSink(reader, car.registryLayer(), what, () -> registry.accept(reader.registry.toByteArray()));
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
                reader.budget.expand(len); // before a byte past the budget reaches the tar
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
        final Descriptor layer;
        final boolean holdsRegistry;
        Map<String, FileEntry> serves; // null until the models.toml read from this layer is known (a resolve)
        final LayerBudget budget;
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

        Reader(Modelcar car, Descriptor layer, Map<String, FileEntry> serves, Map<String, Path> dests, String what) {
            this.car = car;
            this.layer = layer;
            this.holdsRegistry = layer.digest().equals(car.registryLayer().digest());
            this.serves = serves;
            this.budget = serves == null ? LayerBudget.unknown(layer.size(), what)
                    : LayerBudget.of(serves, car.entryPrefix(), layer.size(), what);
            this.dests = dests;
            this.what = what;
            this.prefix = car.entryPrefix();
            this.tar = new TarStream(new TarStream.Members() {
                @Override
                public TarStream.Member open(String name, long size) throws IOException {
                    return member(name, size);
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

        /** A file entry of {@code size} bytes: checked by name and size before any of its bytes is read. */
        TarStream.Member member(String name, long size) throws IOException {
            count(name);
            if (!names.add(name)) throw invalid("tar entry '" + Text.printable(name) + "' occurs twice");
            if (!name.startsWith(prefix)) {
                throw invalid("file '" + Text.printable(name) + "' is outside the image root " + car.root());
            }
            String key = name.substring(prefix.length());
            safe(key, name);
            if (key.equals(Modelcar.REGISTRY_FILE)) {
                if (!holdsRegistry) throw invalid("holds " + car.root() + "/models.toml but is not the layer marked as holding it");
                if (size > Limits.MAX_REGISTRY_BYTES) throw invalid(car.root() + "/models.toml is over " + Limits.MAX_REGISTRY_BYTES + " bytes");
                registrySeen = true;
                budget.registry(size);
                return hashed(registry, (d, n) -> {
                    if (!d.equals(car.registry())) {
                        throw VerifyingInputStream.mismatch(car.root() + "/models.toml in " + what, car.registry(), d, registry.size());
                    }
                    if (serves == null) know(registry.toByteArray());
                });
            }
            FileEntry entry = serves == null ? null : serves.get(key);
            if (serves != null && entry == null) throw unlisted(key);
            budget.file(key, size, entry);
            Path dest = dests.get(key);
            OutputStream out = dest == null ? OutputStream.nullOutputStream()
                    : SafeFiles.newOutputStream(dest);
            return hashed(out, (d, n) -> {
                sizes.put(key, n);
                if (serves != null) check(key, serves, d);
                else seen.put(key, d);
                if (dest != null) written.addAndGet(n);
            });
        }

        /**
         * models.toml was read from this layer and matched the manifest's digest (a resolve): parsed, the files read
         * before it are checked against it, and the layer's budget becomes what it allows.
         */
        private void know(byte[] bytes) throws IOException {
            ModelsToml r;
            try {
                r = ModelsTomlCodec.read(bytes, "models.toml of " + what);
            } catch (IllegalArgumentException e) {
                throw new ConsumerException(e.getMessage());
            }
            Map<String, FileEntry> known = serves(r, car, layer, FileGroups.groups(r));
            long unsized = 0;
            for (Map.Entry<String, Digest> e : Map.copyOf(seen).entrySet()) {
                String key = e.getKey();
                FileEntry entry = known.get(key);
                if (entry == null) throw unlisted(key);
                long n = sizes.get(key);
                if (entry.size() == null) unsized += n;
                else if (entry.size() != n) throw VerifyingInputStream.sizeMismatch("file '" + Text.printable(key) + "' in " + what, entry.size(), n);
                check(key, known, e.getValue());
            }
            serves = known;
            budget.know(known, prefix, bytes.length, unsized);
        }

        private ContentException unlisted(String key) {
            return invalid("holds file '" + Text.printable(key) + "', which models.toml does not place in this layer");
        }

        void check(String key, Map<String, FileEntry> serves, Digest got) throws IOException {
            FileEntry want = serves.get(key);
            if (want == null) throw unlisted(key);
            if (!want.hash().equals(got)) {
                throw VerifyingInputStream.mismatch("file '" + key + "' in " + what, want.hash(), got, sizes.getOrDefault(key, 0L));
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

        private TarStream.Member hashed(OutputStream to, Check check) {
            DigestingOutputStream out = new DigestingOutputStream(to);
            return new TarStream.Member() {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len); // the entry's size was checked at its header: TarStream gives no more
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
