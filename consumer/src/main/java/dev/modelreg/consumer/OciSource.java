package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Parallel;
import dev.modelreg.content.RegistryStore;
import dev.modelreg.content.Target;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Reference;
import java.nio.file.Path;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.LayerIndex;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Mirrors;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.RefTags;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OCI transport. A ref is a tag ({@link RefTags#toTag}) or a digest pin. Resolving costs one request when the
 * ref is unchanged (HEAD of the manifest by tag) and none for a cached pin; the manifest and the config
 * (= the models.toml bytes) enter the blob cache verified. Pulls are planned from manifest and config alone:
 * a file is in the FILE_LAYER titled with its key, else in the last delta layer listing it, else in the TAR_LAYER of
 * its group ({@link LayerIndex}).
 *
 * <p>Every access goes through the {@code [mirrors]} rules ({@link Mirrors#endpoints}): the endpoints are tried in
 * order and the next one is tried when one has no such content, cannot be reached, or wants credentials we do not
 * have. Content that does not match its digest is an error naming the endpoint, never a reason to try the next.
 */
final class OciSource {
    private final Settings settings;
    private final Cache cache;
    private final Mirrors mirrors;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private volatile CopyListener listener = CopyListener.NONE;

    OciSource(Settings settings, Cache cache) {
        this(settings, cache, Mirrors.NONE);
    }

    OciSource(Settings settings, Cache cache, Mirrors mirrors) {
        this.settings = settings;
        this.cache = cache;
        this.mirrors = mirrors == null ? Mirrors.NONE : mirrors;
    }

    /** The hooks of every copy this source makes (progress). */
    void listener(CopyListener l) {
        this.listener = l == null ? CopyListener.NONE : l;
    }

    private CopyOptions copyOptions() {
        return CopyOptions.of(settings.registryOptions()).withConcurrency(settings.concurrency()).withListener(listener);
    }

    /** What a resolve found: the manifest descriptor, the parsed manifest and the models.toml bytes. */
    record Resolved(Descriptor manifest, Manifest parsed, byte[] config, boolean unchanged, String servedBy) {}

    Target target(String oci) throws IOException {
        Target t = targets.get(oci);
        if (t == null) {
            t = open(oci);
            Target prev = targets.putIfAbsent(oci, t);
            if (prev != null) t = prev;
        }
        return t;
    }

    private Target open(String oci) throws IOException {
        Reference ref;
        try {
            ref = Reference.parseRepository(oci);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException("invalid OCI repository '" + oci + "': " + e.getMessage());
        }
        return Targets.openExisting(ref, settings.registryOptions()).target(); // archives are read in place
    }

    /** Requests made to registries so far (0 for OCI layout directories and archives). */
    long requestCount() {
        long n = 0;
        for (Target t : targets.values()) if (t instanceof RegistryStore r) n += r.requestCount();
        return n;
    }

    /** Where {@code oci} is read, in the order tried: {@code oci} itself, or its mirror endpoints ("A, else B"). */
    String endpointsOf(String oci) {
        return String.join(", else ", mirrors.endpoints(oci));
    }

    /**
     * Resolves {@code ref} in repository {@code oci}. With a previous state for the same ref and no force, an
     * unchanged tag costs one HEAD request and a cached digest pin none.
     */
    Resolved resolve(String oci, String ref, RefState previous, boolean force, String label) throws IOException {
        return resolve(oci, ref, false, previous, force, label);
    }

    /** As above; a {@code literal} ref is used as the tag verbatim (bare OCI references), not mapped by RefTags. */
    Resolved resolve(String oci, String ref, boolean literal, RefState previous, boolean force, String label)
            throws IOException {
        boolean pin = Digest.isDigest(ref);
        if (pin && !force) {
            Digest d = Digest.parse(ref);
            Resolved r = fromCache(d, label);
            if (r != null) return r;
        }
        if (settings.offline()) {
            if (previous != null && previous.isOci()) {
                Resolved r = fromCache(previous.digest(), label);
                if (r != null) return r;
            }
            throw ConsumerException.offline("offline: " + label + " is not in the cache (" + (literal
                    ? "run the same command once without --offline: what it reads is then cached"
                    : "sync it once with network access") + ")");
        }
        String tagOrDigest = pin || literal ? ref : RefTags.toTag(ref);
        List<String> endpoints = mirrors.endpoints(oci);
        if (endpoints.size() == 1 && endpoints.get(0).equals(oci)) {
            return resolveAt(oci, tagOrDigest, previous, force, label);
        }
        List<String> failures = new ArrayList<>();
        ContentException last = null;
        boolean allNotFound = true;
        for (String ep : endpoints) {
            try {
                return resolveAt(ep, tagOrDigest, previous, force, label);
            } catch (IOException e) {
                ContentException c = fallsThrough(e, ep);
                if (c == null) throw named(e, ep, label);
                failures.add(ep + ": " + Text.printable(c.getMessage()));
                allNotFound &= c.kind() == ContentException.Kind.NOT_FOUND;
                last = c;
            }
        }
        String only = mirrors.mirrorOnly(oci) ? " (mirror-only rule: the upstream " + oci + " is not tried)" : "";
        throw new ContentException(allNotFound ? ContentException.Kind.NOT_FOUND : last.kind(),
                oci + (Digest.isDigest(tagOrDigest) ? "@" : ":") + tagOrDigest + " not served by any endpoint" + only + ": " + String.join("; ", failures), last);
    }

    /**
     * The cause that lets the next endpoint be tried (not found, unreachable, or unauthorized without credentials
     * for that host), else null.
     */
    private ContentException fallsThrough(Throwable e, String endpoint) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof ContentException c)) continue;
            switch (c.kind()) {
                case NOT_FOUND, UNAVAILABLE:
                    return c;
                case UNAUTHORIZED:
                    return hasCredentials(endpoint) ? null : c;
                default:
                    return null;
            }
        }
        return null;
    }

    private boolean hasCredentials(String endpoint) {
        try {
            Reference r = Reference.parseRepository(endpoint);
            if (r.registry() == null) return false;
            return settings.registryOptions().credentials().find(r.registry().registry(), r.registry().repository())
                    .found();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A failure that must not fall through, with the endpoint that caused it named. */
    private static ConsumerException named(IOException e, String endpoint, String label) {
        return new ConsumerException(label + ": at " + endpoint + ": " + e.getMessage(), e);
    }

    private Resolved resolveAt(String oci, String tagOrDigest, RefState previous, boolean force, String label)
            throws IOException {
        Target t = target(oci);
        Descriptor md = t.resolve(tagOrDigest);
        if (!force && previous != null && previous.isOci() && previous.digest().equals(md.digest())) {
            Resolved r = fromCache(md.digest(), label);
            if (r != null) return new Resolved(r.manifest(), r.parsed(), r.config(), true, oci);
        }
        if (md.mediaType() != null && !MediaTypes.OCI_MANIFEST.equals(md.mediaType())
                && !MediaTypes.DOCKER_MANIFEST.equals(md.mediaType()) && MediaTypes.isManifest(md.mediaType())) {
            throw new ConsumerException(label + ": " + md.digest() + " is an index (" + md.mediaType()
                    + "), not a modelreg model set");
        }
        // limits before a byte is fetched: the sizes the registry declares (the copy cuts a blob that runs past them)
        Manifest m;
        try {
            Limits.checkManifestSize(md.size(), label + ": manifest " + md.digest());
            if (!cache.has(md.digest())) { // a manifest: not one of the blobs a progress display counts (Copy's rule)
                Copy.blobs(t, List.of(md), cache.blobs(), copyOptions().withListener(CopyListener.NONE));
            }
            m = Manifest.parse(Files.readAllBytes(cache.blob(md.digest())), label + ": manifest " + md.digest());
            if (Modelcar.isImage(m)) {
                Modelcar car = ImageLayers.modelcar(m, label + ": manifest " + md.digest());
                return new Resolved(md, m, imageRegistry(t, car, label), false, oci);
            }
            if (!MediaTypes.CONFIG.equals(m.config().mediaType())) {
                throw new ConsumerException(label + ": not a modelreg model set (config media type "
                        + Text.printable(m.config().mediaType()) + ", want " + MediaTypes.CONFIG + ") nor a model image");
            }
            Limits.checkRegistrySize(m.config().size(), label + ": config " + m.config().digest());
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
        ingest(t, m.config(), "config (models.toml) " + m.config().digest() + " of " + label);
        return new Resolved(md, m, Files.readAllBytes(cache.blob(m.config().digest())), false, oci);
    }

    private Resolved fromCache(Digest manifest, String label) throws IOException {
        if (!cache.has(manifest)) return null;
        byte[] mb = Files.readAllBytes(cache.blob(manifest));
        Manifest m = Manifest.parse(mb, "cached manifest " + manifest + " of " + label);
        Digest reg = registryDigest(m, label);
        if (!cache.has(reg)) return null;
        Descriptor md = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest, mb.length);
        return new Resolved(md, m, Files.readAllBytes(cache.blob(reg)), true, null);
    }

    /** The digest of the models.toml of a model set (its config) or of a model image (its registry annotation). */
    static Digest registryDigest(Manifest m, String label) {
        return Modelcar.isImage(m) ? ImageLayers.modelcar(m, label).registry() : m.config().digest();
    }

    /**
     * The models.toml of a model image: from the cache by its digest, else read out of the layer marked as holding it,
     * which enters the cache only when models.toml matches the manifest's digest and every other file of the layer
     * matches models.toml; then models.toml is cached under its digest too.
     */
    private byte[] imageRegistry(Target t, Modelcar car, String label) throws IOException {
        if (cache.has(car.registry())) return Files.readAllBytes(cache.blob(car.registry()));
        java.util.concurrent.atomic.AtomicReference<byte[]> got = new java.util.concurrent.atomic.AtomicReference<>();
        Descriptor layer = car.registryLayer();
        String what = "layer " + layer.digest() + " (models.toml) of " + label;
        Copy.blobs(t, List.of(layer), cache.blobs(), copyOptions().withSinks(d -> d.equals(layer.digest())
                ? ImageLayers.registrySink(car, got::set, what) : null));
        byte[] bytes = got.get();
        if (bytes == null) throw new ConsumerException(what + ": models.toml was not read");
        cache.blobs().add(new java.io.ByteArrayInputStream(bytes), bytes.length, "models.toml of " + label);
        return bytes;
    }

    /** Brings {@code d} into the cache through the one copy (verified, resumable); nothing if it is there. */
    private void ingest(Target t, Descriptor d, String what) throws IOException {
        if (cache.has(d.digest())) return;
        Copy.blobs(t, List.of(d), cache.blobs(), copyOptions());
    }

    RefState stateFor(String sourceKey, String name, String ref, String oci, Resolved r) {
        return new RefState(sourceKey, name, ref, RefState.OCI, r.manifest().digest(), registryDigest(r.parsed(), name),
                Digest.isDigest(ref) ? null : RefTags.toTag(ref), oci, Instant.now().toString(), Map.of(), r.servedBy());
    }

    /**
     * Where the wanted files come from: {@code blobs} are files whose blob is cached (key -> hash); every other file
     * is in one of {@code layers}, cached or not.
     */
    record Plan(Map<String, Digest> blobs, List<Fetch> layers) {
        /** Layers that must be downloaded. */
        List<Fetch> missing() {
            return layers.stream().filter(f -> !f.cached()).toList();
        }
    }

    /**
     * A planned layer: the layer, whether it is already in the cache, the wanted files in it (key -> hash) and, for a
     * tar, the hash of every registry file it holds (each is checked before the layer may enter the cache).
     */
    record Fetch(Descriptor layer, boolean cached, Map<String, Digest> files, Map<String, Digest> members) {
        boolean isTar() {
            return MediaTypes.TAR_LAYER.equals(layer.mediaType());
        }
    }

    /**
     * Plans a copy of {@code keys} from the manifest and registry alone (the rule of {@link LayerIndex}): cached
     * blobs, cached layers, downloads. For a tar layer, {@code members} are the keys it serves: it may also hold
     * files it no longer serves (older versions a later delta layer replaces), which are neither checked nor used.
     */
    static Plan plan(ModelsToml r, Manifest m, Collection<String> keys, Cache cache, String label) {
        LayerIndex index;
        try {
            index = LayerIndex.of(m, r);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(label + ": " + e.getMessage(), e);
        }
        Map<String, Digest> blobs = new LinkedHashMap<>();
        Map<Digest, Fetch> out = new LinkedHashMap<>();
        for (String key : keys) {
            FileEntry e = r.files().get(key);
            if (e == null) throw ConsumerException.notFound(label + ": registry lists no file '" + key + "'");
            if (e.hash() == null) throw new ConsumerException(label + ": file '" + key + "' has no hash in the registry");
            if (cache.has(e.hash())) {
                blobs.put(key, e.hash());
                continue;
            }
            Descriptor l = index.layerOf(key);
            if (l == null) throw new ConsumerException(label + ": no layer holds file '" + key + "'");
            if (MediaTypes.FILE_LAYER.equals(l.mediaType()) && !l.digest().equals(e.hash())) {
                throw new ConsumerException(label + ": layer " + l.digest() + " titled '" + key
                        + "' does not match the file's hash " + e.hash().hex());
            }
            Fetch f = out.get(l.digest());
            if (f == null) {
                f = new Fetch(l, cache.has(l.digest()), new LinkedHashMap<>(), new HashMap<>());
                out.put(l.digest(), f);
            }
            f.files().put(key, e.hash());
        }
        for (Fetch f : out.values()) {
            if (!f.isTar()) continue;
            List<String> candidates = LayerIndex.isDelta(f.layer()) ? LayerIndex.deltaKeys(f.layer())
                    : LayerIndex.groupsOf(f.layer()).stream().flatMap(g -> index.group(g).stream()).toList();
            for (String k : candidates) {
                FileEntry e = r.files().get(k);
                if (e != null && e.hash() != null && f.layer().equals(index.layerOf(k))) f.members().put(k, e.hash());
            }
        }
        return new Plan(blobs, new ArrayList<>(out.values()));
    }

    /**
     * Writes every key of {@code dests} to its file (which must not exist; its directory must), fetching only the
     * planned layers, in parallel. Tar layers stream into the cache and out to the files in one pass; single-file
     * layers are stored, then copied out. Every file is checked against its models.toml hash. Returns bytes written.
     * With a {@code scratch} directory (a {@code pull --no-cache}), downloaded layers do not enter the cache: see
     * {@link NoCacheStore}; what the cache holds already is still copied from it.
     */
    long materialize(Synced s, Map<String, Path> dests, Path scratch) throws IOException {
        Manifest m = Manifest.parse(Files.readAllBytes(cache.blob(s.state().digest())), "manifest of " + s.label());
        Modelcar car = Modelcar.isImage(m) ? ImageLayers.modelcar(m, "manifest of " + s.label()) : null;
        Plan plan = car != null ? ImageLayers.plan(s.registry(), car, dests.keySet(), cache, s.label())
                : plan(s.registry(), m, dests.keySet(), cache, s.label());
        List<Fetch> missing = plan.missing();
        if (!missing.isEmpty() && settings.offline()) {
            throw ConsumerException.offline("offline: " + Text.count(missing.stream().mapToInt(f -> f.files().size()).sum(), "file") + " of "
                    + s.label() + " are not in the cache, e.g. '" + missing.get(0).files().keySet().iterator().next() + "'");
        }
        AtomicLong bytes = new AtomicLong();
        NoCacheStore noCache = null;
        // a file layer is written to its file in the download's pass too (into the cache and the file at once; with
        // --no-cache only to the file, by NoCacheStore)
        TeeSinks tee = scratch == null ? new TeeSinks(fileLayers(missing, car), dests, bytes) : null;
        if (!missing.isEmpty()) {
            // tar layers are extracted in the download's pass: a sink per layer, a new one for each retry
            Map<Digest, Fetch> byDigest = new HashMap<>();
            for (Fetch f : missing) byDigest.put(f.layer().digest(), f);
            CopyOptions o = copyOptions().withSinks(d -> {
                Fetch f = byDigest.get(d);
                if (f == null) return null;
                if (car != null) return ImageLayers.sink(car, f.layer(), f.members(), to(f, dests), bytes::addAndGet, what(s, f));
                if (f.isTar()) return TarLayers.sink(f.members(), to(f, dests), bytes::addAndGet, what(s, f));
                return tee == null ? null : tee.sink(d);
            });
            if (scratch != null) {
                noCache = new NoCacheStore(scratch, missing.stream().filter(Fetch::isTar).map(f -> f.layer().digest())
                        .collect(java.util.stream.Collectors.toSet()));
            }
            fetch(s, missing.stream().map(Fetch::layer).toList(), o, noCache);
        }
        List<Parallel.Task> tasks = new ArrayList<>(Workspace.copyOuts(cache, plan.blobs(), dests, bytes, s.label()));
        for (Fetch f : plan.layers()) {
            if ((car != null || f.isTar()) && !f.cached()) continue; // extracted while it downloaded
            String what = (f.cached() ? "cached " : "") + what(s, f);
            Map<String, Path> to = to(f, dests);
            if (car != null) {
                tasks.add(() -> ImageLayers.replay(cache.blob(f.layer().digest()),
                        ImageLayers.sink(car, f.layer(), f.members(), to, bytes::addAndGet, what)));
            } else if (f.isTar()) {
                tasks.add(() -> bytes.addAndGet(TarLayers.extract(cache.blob(f.layer().digest()), f.members(), to, what)));
            } else if (noCache != null && !f.cached()) {
                Path blob = noCache.path(f.layer().digest());
                tasks.add(() -> bytes.addAndGet(Workspace.moveOut(blob, new ArrayList<>(to.values()))));
            } else {
                for (Map.Entry<String, Path> k : to.entrySet()) {
                    if (tee != null && tee.wrote(f.layer().digest(), k.getValue())) continue; // written as it downloaded
                    tasks.add(() -> bytes.addAndGet(Workspace.copyOut(cache, f.layer().digest(), k.getValue(),
                            Workspace.fileOf(k.getKey(), s.label()))));
                }
            }
        }
        Parallel.run(tasks, settings.concurrency());
        return bytes.get();
    }

    /**
     * Fetches {@code layers} into the cache (or {@code noCache}, if given): from the endpoint that served the
     * manifest first, then the other endpoints of the rule in order (every blob is verified against its digest,
     * whoever serves it).
     */
    private void fetch(Synced s, List<Descriptor> layers, CopyOptions o, NoCacheStore noCache) throws IOException {
        dev.modelreg.content.Storage dst = noCache != null ? noCache : cache.blobs();
        String upstream = s.state().reference();
        List<String> endpoints = new ArrayList<>(mirrors.endpoints(upstream));
        String first = s.state().servedBy();
        if (first != null) {
            endpoints.remove(first);
            endpoints.add(0, first);
        }
        if (endpoints.size() == 1) {
            Copy.blobs(target(endpoints.get(0)), layers, dst, o);
            return;
        }
        List<String> failures = new ArrayList<>();
        ContentException last = null;
        for (String ep : endpoints) {
            List<Descriptor> left = layers.stream()
                    .filter(d -> !cache.has(d.digest()) && (noCache == null || !noCache.has(d.digest()))).toList();
            if (left.isEmpty()) return;
            try {
                Copy.blobs(target(ep), left, dst, o);
                return;
            } catch (IOException e) {
                ContentException c = fallsThrough(e, ep);
                if (c == null) throw named(e, ep, s.label());
                failures.add(ep + ": " + Text.printable(c.getMessage()));
                last = c;
            }
        }
        throw new ContentException(last.kind(), s.label() + ": layers not served by any endpoint: "
                + String.join("; ", failures), last);
    }

    /** Key -> digest of the single-file layers among {@code missing} (an image has none: its layers are all tars). */
    private static Map<String, Digest> fileLayers(List<Fetch> missing, Modelcar car) {
        Map<String, Digest> out = new LinkedHashMap<>();
        if (car != null) return out;
        for (Fetch f : missing) {
            if (!f.isTar()) for (String k : f.files().keySet()) out.put(k, f.layer().digest());
        }
        return out;
    }

    private static Map<String, Path> to(Fetch f, Map<String, Path> dests) {
        Map<String, Path> to = new HashMap<>();
        for (String k : f.files().keySet()) to.put(k, dests.get(k));
        return to;
    }

    private static String what(Synced s, Fetch f) {
        return "layer " + f.layer().digest() + " of " + s.label() + " (" + s.state().reference() + ")";
    }
}
