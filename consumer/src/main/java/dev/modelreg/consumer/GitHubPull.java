package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Parallel;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * The files of a GitHub-mode ref: from their entry's URL (re-based onto the configured hosts) through the one copy
 * ({@link UrlFiles}: verified against their hash, retried, resumed with {@code Range}) or, for release registries
 * whose URL is a zip, from that zip ({@link ReleaseZips}).
 */
final class GitHubPull {
    /**
     * Per-file GitHub downloads are bound by round trips, not by CPU or disk: this many times the concurrency
     * setting run at once.
     */
    static final int LATENCY_BOUND_FANOUT = 4;

    private final Settings settings;
    private final Cache cache;
    private final Supplier<HttpTransport> http;
    private final AtomicLong requests;
    private final CopyListener listener;
    private final ReleaseZips zips;

    GitHubPull(Settings settings, Cache cache, Supplier<HttpTransport> http, AtomicLong requests, CopyListener listener) {
        this.settings = settings;
        this.cache = cache;
        this.http = http;
        this.requests = requests;
        this.listener = listener;
        this.zips = new ReleaseZips(settings, cache, http, requests);
    }

    /**
     * Writes each key's verified content to its file: each downloaded file is written to its workspace file in the
     * download's pass, the rest is copied out of the cache; with a scratch directory ({@code --no-cache}), downloaded
     * files go there and are renamed to their files, and none enters the cache; linking ({@code --link}), downloaded
     * files go into the cache alone and every file is linked to its blob.
     */
    long materialize(Synced s, Map<String, Path> dests, Placer out) throws IOException {
        AtomicLong bytes = new AtomicLong();
        List<Parallel.Task> tasks = new ArrayList<>();
        Map<String, Digest> digests;
        Path scratch = out.scratch();
        out.check(s.registry(), dests.keySet(), settings.concurrency(), s.label());
        if (scratch == null && out.links()) {
            digests = ensure(s, dests.keySet(), null, null);
        } else if (scratch == null) {
            Map<String, Digest> hashes = new LinkedHashMap<>();
            for (String k : dests.keySet()) {
                FileEntry e = s.registry().files().get(k);
                if (e != null && e.hash() != null) hashes.put(k, e.hash());
            }
            TeeSinks tee = new TeeSinks(hashes, dests, bytes);
            digests = new LinkedHashMap<>(ensure(s, dests.keySet(), tee::sink, null));
            digests.entrySet().removeIf(f -> tee.wrote(f.getValue(), dests.get(f.getKey())));
        } else {
            NoCacheStore noCache = new NoCacheStore(scratch, Set.of());
            digests = new LinkedHashMap<>(ensure(s, dests.keySet(), null, noCache));
            Map<Digest, List<Path>> moved = new LinkedHashMap<>();
            for (Map.Entry<String, Digest> f : digests.entrySet()) {
                if (noCache.has(f.getValue())) moved.computeIfAbsent(f.getValue(), d -> new ArrayList<>()).add(dests.get(f.getKey()));
            }
            digests.values().removeIf(moved::containsKey);
            for (Map.Entry<Digest, List<Path>> m : moved.entrySet()) {
                tasks.add(() -> bytes.addAndGet(Workspace.moveOut(noCache.path(m.getKey()), m.getValue())));
            }
        }
        tasks.addAll(out.tasks(digests, dests, bytes, s.label()));
        Parallel.run(tasks, settings.concurrency());
        return bytes.get();
    }

    /**
     * Makes sure every file in {@code keys} is in the blob cache (or, with {@code noCache}, there) and returns key ->
     * digest. Hashed files already cached cost nothing; the rest go through the one copy, in parallel, each verified
     * against its hash while it streams (and shown to its sink, {@code sinks}: null or per hash), resumed from a
     * partial file if an earlier run was cut off. Release-zip registries fetch their zip once.
     */
    Map<String, Digest> ensure(Synced s, Collection<String> keys, Function<Digest, BlobSink> sinks, NoCacheStore noCache)
            throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        Map<String, List<String>> byZip = new LinkedHashMap<>();
        Map<Digest, UrlFiles.File> files = new LinkedHashMap<>();
        cache.registerFiles(s.registry(), keys); // one append for the files looked up below
        for (String key : keys) {
            FileEntry e = s.registry().files().get(key);
            if (e == null) throw new ConsumerException(s.label() + ": registry lists no file '" + key + "'");
            if (e.hash() != null && cache.has(e.hash())) {
                out.put(key, e.hash());
                continue;
            }
            if (ReleaseZips.isMember(key, e)) {
                byZip.computeIfAbsent(settings.github().rebase(e.url()), u -> new ArrayList<>()).add(key);
                continue;
            }
            if (settings.offline()) {
                throw ConsumerException.offline("offline: file '" + key + "' of " + s.label() + " is not in the cache");
            }
            String url = fileUrl(s, key, e);
            if (e.hash() == null) { // nothing to verify it against: stored by the digest of what arrived
                out.put(key, zips.download(url, "file '" + key + "' of " + s.label() + " (" + url + ")"));
                continue;
            }
            files.putIfAbsent(e.hash(), new UrlFiles.File(key, url));
            out.put(key, e.hash());
        }
        if (!files.isEmpty()) {
            CopyOptions o = CopyOptions.of(settings.registryOptions()).withListener(listener)
                    .withConcurrency(settings.concurrency() * LATENCY_BOUND_FANOUT).withSinks(sinks);
            if (noCache != null) UrlFiles.copy(http.get(), files, noCache, o, s.label(), requests);
            else UrlFiles.copy(http.get(), files, cache.blobs(), o, s.label(), requests);
        }
        out.putAll(zips.ensure(s, byZip));
        return out;
    }

    private String fileUrl(Synced s, String key, FileEntry e) throws ConsumerException {
        if (e.url() != null && !e.url().isBlank()) return settings.github().rebase(e.url());
        String p = e.path() != null && !e.path().isBlank() ? e.path() : key;
        // a pin (sha256 of a models.toml) is no git ref: its files come from the ref it was pinned from
        String ref = Digest.isDigest(s.ref()) && s.state().tag() != null ? s.state().tag() : s.ref();
        return settings.github().rawFile(GitHub.repoOf(s.source()), ref, p);
    }
}
