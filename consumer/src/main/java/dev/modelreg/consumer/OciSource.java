package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Referrers;
import dev.modelreg.content.Storage;
import dev.modelreg.content.Target;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Mirrors;
import dev.modelreg.spec.RefTags;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The OCI source: a registry repository, an OCI layout directory or an archive, reached through the {@code [mirrors]}
 * rules ({@link OciEndpoints}). A ref is a tag ({@link RefTags#toTag}) or a digest pin. Resolving costs one request
 * when the ref is unchanged (HEAD of the manifest by tag) and none for a cached pin; the manifest and the models.toml
 * enter the blob cache verified. What the artifact holds and how is its {@link ArtifactFormat}'s business; pulls are
 * planned from manifest and registry alone and run by {@link OciPull}.
 */
final class OciSource implements Source {
    private final Settings settings;
    private final Cache cache;
    private final OciEndpoints endpoints;
    private final java.util.function.Consumer<String> progress;
    private volatile CopyListener listener = CopyListener.NONE;
    private final java.util.concurrent.atomic.AtomicLong urlRequests = new java.util.concurrent.atomic.AtomicLong(); // external files

    OciSource(Settings settings, Cache cache, Mirrors mirrors, java.util.function.Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        this.cache = cache;
        this.endpoints = new OciEndpoints(settings, mirrors);
    }

    @Override
    public void listener(CopyListener l) {
        this.listener = l == null ? CopyListener.NONE : l;
    }

    private CopyOptions copyOptions() {
        return CopyOptions.of(settings.registryOptions()).withConcurrency(settings.concurrency()).withListener(listener);
    }

    @Override
    public long requestCount() {
        return endpoints.requestCount() + urlRequests.get();
    }

    @Override
    public boolean serves(RefState state) {
        return state.isOci();
    }

    /** " at ENDPOINT" when a mirror endpoint, not {@code upstream} itself, served {@code r}; else nothing. */
    private static String via(Resolved r, String upstream) {
        return r.servedBy() != null && !r.servedBy().equals(upstream) ? " at " + r.servedBy() : "";
    }

    /** What a resolve found: the manifest descriptor, the parsed manifest and the models.toml bytes. */
    private record Resolved(Descriptor manifest, Manifest parsed, byte[] config, boolean unchanged, String servedBy) {}

    @Override
    public Resolution resolve(SourceConfig s, String ref, RefState previous, boolean force) throws IOException {
        String label = s.name() + "@" + ref;
        String oci = s.oci().location();
        progress.accept("Resolving " + label + " in " + endpoints.describe(oci) + "...");
        Resolved r = resolve(oci, ref, false, previous, force, label);
        if (r.unchanged() && previous != null && previous.isOci() && previous.digest().equals(r.manifest().digest())
                && (r.servedBy() == null || r.servedBy().equals(previous.servedBy())) // else record who served it
                && cache.registryBytes(previous) != null) {
            progress.accept("  [=] " + label + " unchanged" + via(r, oci) + " (" + previous.digest() + ")");
            return new Resolution(previous, r.config(), Resolution.UNCHANGED);
        }
        Registries.parse(r.config(), label);
        RefState st = stateFor(s.key(), s.name(), ref, oci, r);
        cache.save(s.key(), ref, r.config(), st);
        progress.accept("  [+] Synced " + label + via(r, oci) + " (" + st.digest() + ")");
        return new Resolution(st, r.config(), Resolution.SYNCED);
    }

    /**
     * A bare reference (no configured source): resolved with its tag verbatim ({@code latest} without one), its
     * manifest and registry cached, and described by an ad-hoc source named by its location.
     */
    Synced open(Reference ref, String text) throws IOException {
        String base = ref.location();
        String tagOrDigest = ref.reference() != null ? ref.reference() : "latest";
        Resolved res = resolve(base, tagOrDigest, true, null, false, text);
        SourceConfig adhoc = SourceConfig.builder(base).refs(List.of(tagOrDigest)).oci(ref.withTag(null).withDigest(null)).build();
        RefState st = stateFor(base, base, tagOrDigest, base, res);
        return new Synced(adhoc, tagOrDigest, st, Registries.parse(res.config(), text));
    }

    /** As above; a {@code literal} ref is used as the tag verbatim (bare OCI references), not mapped by RefTags. */
    private Resolved resolve(String oci, String ref, boolean literal, RefState previous, boolean force, String label)
            throws IOException {
        boolean pin = Digest.isDigest(ref);
        if (pin && !force) {
            Resolved r = fromCache(Digest.parse(ref), label);
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
        List<String> eps = endpoints.of(oci, null);
        if (eps.size() == 1 && eps.get(0).equals(oci)) return resolveAt(oci, tagOrDigest, previous, force, label);
        String only = endpoints.mirrorOnly(oci) ? " (mirror-only rule: the upstream " + oci + " is not tried)" : "";
        return endpoints.first(eps, label, oci + (Digest.isDigest(tagOrDigest) ? "@" : ":") + tagOrDigest + only,
                ep -> resolveAt(ep, tagOrDigest, previous, force, label));
    }

    private Resolved resolveAt(String oci, String tagOrDigest, RefState previous, boolean force, String label)
            throws IOException {
        Target t = endpoints.target(oci);
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
        String what = label + ": manifest " + md.digest();
        try {
            Limits.checkManifestSize(md.size(), what); // before a byte is fetched (the copy cuts a blob that runs past it)
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
        byte[] raw = cache.manifest(md.digest(), label);
        if (raw == null) {
            // a manifest: not one of the blobs a progress display counts (Copy's rule)
            Copy.blobs(t, List.of(md), cache.blobs(), copyOptions().withListener(CopyListener.NONE));
            raw = cache.manifest(md.digest(), label);
            if (raw == null) throw new ConsumerException(what + " did not reach the cache");
        }
        Manifest m = Registries.manifest(raw, what);
        byte[] config = Formats.of(m, label, what).registry(t, cache, copyOptions(), label);
        return new Resolved(md, m, config, false, oci);
    }

    private Resolved fromCache(Digest manifest, String label) throws IOException {
        byte[] mb = cache.manifest(manifest, label);
        if (mb == null) return null;
        Manifest m = Registries.manifest(mb, "cached manifest " + manifest + " of " + label);
        byte[] registry = Formats.of(m, label).cachedRegistry(cache, label);
        if (registry == null) return null;
        return new Resolved(Descriptor.of(MediaTypes.OCI_MANIFEST, manifest, mb.length), m, registry, true, null);
    }

    private RefState stateFor(String sourceKey, String name, String ref, String oci, Resolved r) throws ConsumerException {
        return new RefState(sourceKey, name, ref, RefState.OCI, r.manifest().digest(),
                Digest.sha256Of(r.config()), Digest.isDigest(ref) ? null : RefTags.toTag(ref),
                oci, Instant.now().toString(), Map.of(), r.servedBy());
    }

    /** The cached manifest of a synced ref, verified and parsed. */
    Manifest manifest(Synced s) throws IOException {
        byte[] raw = cache.manifest(s.state().digest(), s.label());
        if (raw == null) {
            throw new ConsumerException(ContentException.Kind.NOT_FOUND, s.label() + ": manifest " + s.state().digest()
                    + " is not in the cache (run modelreg sync --force)");
        }
        return Registries.manifest(raw, "manifest of " + s.label());
    }

    @Override
    public Plan plan(Synced s, java.util.function.Predicate<Digest> cached) throws IOException {
        return Formats.of(manifest(s), "manifest of " + s.label()).plan(s.registry(), s.registry().files().keySet(),
                cache, cached, s.label());
    }

    @Override
    public long materialize(Synced s, Map<String, Path> dests, Placer out) throws IOException {
        ArtifactFormat format = Formats.of(manifest(s), "manifest of " + s.label());
        return new OciPull(settings, cache, s, format, copyOptions(), (layers, o, dst, have) -> fetch(s, layers, o, dst, have),
                urlRequests).run(dests, out);
    }

    /**
     * Fetches {@code layers} into {@code dst} (the cache, or a no-cache store): from the endpoint that served the
     * manifest first, then the other endpoints of the rule in order (every blob is verified against its digest,
     * whoever serves it).
     */
    private void fetch(Synced s, List<Descriptor> layers, CopyOptions o, Storage dst, java.util.function.Predicate<Digest> have)
            throws IOException {
        List<String> eps = endpoints.of(s.state().reference(), s.state().servedBy());
        if (eps.size() == 1) {
            Copy.blobs(endpoints.target(eps.get(0)), layers, dst, o);
            return;
        }
        endpoints.first(eps, s.label(), s.label() + ": layers", ep -> {
            List<Descriptor> left = layers.stream().filter(d -> !have.test(d.digest())).toList();
            if (!left.isEmpty()) Copy.blobs(endpoints.target(ep), left, dst, o);
            return null;
        });
    }

    @Override
    public Exportable exportable(Synced s) throws IOException {
        RefState st = s.state();
        String gitRef = !Digest.isDigest(s.ref()) ? s.ref() : refAnnotation(s);
        String from = st.servedBy() != null ? st.servedBy() : st.reference(); // the endpoint that served it
        return new Exportable(s, gitRef, Reference.parseRepository(from).withDigest(st.digest()), null, null);
    }

    /** The git ref an OCI pin was published for (the manifest's {@code dev.modelreg.ref}), or null. */
    private String refAnnotation(Synced s) {
        try {
            return manifest(s).annotations().get(Annotations.REF);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public Inspection inspect(Synced s, String text) throws IOException {
        RefState st = s.state();
        byte[] raw = cache.manifest(st.digest(), s.label());
        if (raw == null) {
            throw new ConsumerException(ContentException.Kind.NOT_FOUND, "cached manifest " + st.digest()
                    + " of " + s.label() + " is missing or damaged: run modelreg sync --force");
        }
        Manifest m = Registries.manifest(raw, s.label() + ": manifest " + st.digest());
        String at = st.servedBy() != null ? st.servedBy() : st.reference();
        Referrers.Found found = null;
        String why = null;
        if (settings.offline()) {
            why = "offline: referrers not listed";
        } else {
            try {
                found = Referrers.of(endpoints.target(at), st.digest());
            } catch (IOException e) {
                why = e.getMessage();
            }
        }
        Inspection.Contents c = Formats.of(m, s.label()).contents(m, s.registry(), cache, s.label());
        return Inspection.of(text, at, st.digest(), raw, m, s.registry(), c, found, why);
    }
}
