package dev.modelreg.consumer;

import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Parallel;
import dev.modelreg.content.Storage;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One pull of an OCI artifact's files: plans from the manifest and registry alone ({@link ArtifactFormat#plan}),
 * fetches only the planned layers, in parallel, and the files it stores outside the registry from their URLs
 * ({@link ExternalFetch}), and writes every file, each checked against its models.toml hash.
 * Layers that are unpacked stream into the cache and out to the files in one pass; single-file layers are written to
 * their first file in the download's pass too ({@link TeeSinks}), then copied to any other. With a {@code scratch}
 * directory (a {@code --no-cache} pull), downloaded layers do not enter the cache ({@link NoCacheStore}); what the
 * cache holds already is still copied from it. A {@code --link} pull writes downloads into the cache alone and links
 * every file to its blob ({@link Placer}).
 */
final class OciPull {
    /** Brings layers into {@code dst}, skipping those {@code have} says are there ({@link OciSource#fetch}). */
    interface LayerFetcher {
        void fetch(List<Descriptor> layers, CopyOptions o, Storage dst, Predicate<Digest> have) throws IOException;
    }

    private final LayerFetcher fetcher;
    private final CopyOptions options;
    private final Settings settings;
    private final Cache cache;
    private final Synced synced;
    private final ArtifactFormat format;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong requests;

    OciPull(Settings settings, Cache cache, Synced synced, ArtifactFormat format, CopyOptions options, LayerFetcher fetcher,
            AtomicLong requests) {
        this.requests = requests;
        this.fetcher = fetcher;
        this.options = options;
        this.settings = settings;
        this.cache = cache;
        this.synced = synced;
        this.format = format;
    }

    /** Writes every key of {@code dests} to its file (which must not exist; its directory must) as {@code out} says. */
    long run(Map<String, Path> dests, Placer out) throws IOException {
        Path scratch = out.scratch();
        out.check(synced.registry(), dests.keySet(), settings.concurrency(), synced.label());
        Plan plan = format.plan(synced.registry(), dests.keySet(), cache, cache::has, synced.label());
        List<Plan.Fetch> missing = plan.missing();
        if (!missing.isEmpty() && settings.offline()) {
            throw ConsumerException.offline("offline: " + Text.count(missing.stream().mapToInt(f -> f.files().size()).sum(), "file")
                    + " of " + synced.label() + " are not in the cache, e.g. '" + missing.get(0).files().keySet().iterator().next() + "'");
        }
        // a single-file layer is written to its file in the download's pass too (into the cache and the file at once;
        // with --no-cache only to the file, by NoCacheStore)
        Map<String, Digest> teed = fileLayers(missing);
        teed.putAll(plan.external());
        TeeSinks tee = scratch == null && !out.links() ? new TeeSinks(teed, dests, bytes) : null;
        NoCacheStore noCache = scratch == null ? null : new NoCacheStore(scratch,
                missing.stream().filter(format::unpacks).map(f -> f.layer().digest()).collect(Collectors.toSet()));
        if (!missing.isEmpty()) download(missing, dests, tee, noCache);
        Map<String, Digest> fromCache = new LinkedHashMap<>(plan.blobs());
        Map<Digest, List<Path>> moved = new LinkedHashMap<>(); // --no-cache: scratch blobs renamed (or copied) to their files
        if (!plan.external().isEmpty()) {
            CopyOptions o = options.withSinks(tee == null ? null : tee::sink);
            if (noCache != null) ExternalFetch.run(settings, synced.registry(), plan.external(), noCache, o, synced.label(), requests);
            else ExternalFetch.run(settings, synced.registry(), plan.external(), cache.blobs(), o, synced.label(), requests);
            for (Map.Entry<String, Digest> e : plan.external().entrySet()) {
                Path to = dests.get(e.getKey());
                if (noCache != null && noCache.has(e.getValue())) moved.computeIfAbsent(e.getValue(), d -> new ArrayList<>()).add(to);
                else if (tee == null || !tee.wrote(e.getValue(), to)) fromCache.put(e.getKey(), e.getValue());
            }
        }
        List<Parallel.Task> tasks = new ArrayList<>(out.tasks(fromCache, dests, bytes, synced.label()));
        for (Plan.Fetch f : plan.layers()) {
            if (format.unpacks(f) && !f.cached()) continue; // unpacked while it downloaded
            Map<String, Path> to = to(f, dests);
            if (format.unpacks(f)) {
                String what = "cached " + what(f);
                tasks.add(() -> format.unpack(cache.blob(f.layer().digest()), f, to, bytes::addAndGet, what));
            } else if (noCache != null && !f.cached()) {
                moved.computeIfAbsent(f.layer().digest(), d -> new ArrayList<>()).addAll(to.values());
            } else {
                for (Map.Entry<String, Path> k : to.entrySet()) {
                    if (tee != null && tee.wrote(f.layer().digest(), k.getValue())) continue; // written as it downloaded
                    tasks.add(() -> bytes.addAndGet(out.put(f.layer().digest(), k.getValue(),
                            Workspace.fileOf(k.getKey(), synced.label()))));
                }
            }
        }
        for (Map.Entry<Digest, List<Path>> m : moved.entrySet()) {
            tasks.add(() -> bytes.addAndGet(Workspace.moveOut(noCache.path(m.getKey()), m.getValue())));
        }
        Parallel.run(tasks, settings.concurrency());
        return bytes.get();
    }

    /** Fetches the missing layers: an unpacked one through its sink (a new sink for each retry), the others teed. */
    private void download(List<Plan.Fetch> missing, Map<String, Path> dests, TeeSinks tee, NoCacheStore noCache)
            throws IOException {
        Map<Digest, Plan.Fetch> byDigest = new HashMap<>();
        for (Plan.Fetch f : missing) byDigest.put(f.layer().digest(), f);
        CopyOptions o = options.withSinks(d -> {
            Plan.Fetch f = byDigest.get(d);
            if (f == null) return null;
            if (format.unpacks(f)) return format.sink(f, to(f, dests), bytes::addAndGet, what(f));
            return tee == null ? null : tee.sink(d);
        });
        Storage dst = noCache != null ? noCache : cache.blobs();
        fetcher.fetch(missing.stream().map(Plan.Fetch::layer).toList(), o, dst,
                d -> cache.has(d) || (noCache != null && noCache.has(d)));
    }

    /** Key -> digest of the single-file layers among {@code missing}. */
    private Map<String, Digest> fileLayers(List<Plan.Fetch> missing) {
        Map<String, Digest> out = new LinkedHashMap<>();
        for (Plan.Fetch f : missing) {
            if (!format.unpacks(f)) for (String k : f.files().keySet()) out.put(k, f.layer().digest());
        }
        return out;
    }

    private static Map<String, Path> to(Plan.Fetch f, Map<String, Path> dests) {
        Map<String, Path> to = new HashMap<>();
        for (String k : f.files().keySet()) to.put(k, dests.get(k));
        return to;
    }

    private String what(Plan.Fetch f) {
        return "layer " + f.layer().digest() + " of " + synced.label() + " (" + synced.state().reference() + ")";
    }
}
