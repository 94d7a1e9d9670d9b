package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Expected;
import dev.modelreg.content.Ingest;
import dev.modelreg.content.RangeFetcher;
import dev.modelreg.content.http.Failures;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * GitHub release registries whose file URLs name a zip (spec/README.md, GitHub mode): the zip is fetched once into the
 * blob cache (it has no hash to check; its members do), recorded in the ref's state, and each wanted member enters the
 * cache verified against its models.toml hash. Both go through the one copy: the zip as a blob whose digest is learned
 * as it arrives ({@link Copy#unhashed}), its members from the zip read in place ({@link ZipMembers}) as from any store.
 */
final class ReleaseZips {
    private final Settings settings;
    private final Cache cache;
    private final Supplier<HttpTransport> http;
    private final AtomicLong requests;

    ReleaseZips(Settings settings, Cache cache, Supplier<HttpTransport> http, AtomicLong requests) {
        this.settings = settings;
        this.cache = cache;
        this.http = http;
        this.requests = requests;
    }

    /** True for a file served from a zip: its URL names a zip and the file itself is not one. */
    static boolean isMember(String key, FileEntry e) {
        return e.url() != null && e.url().toLowerCase(Locale.ROOT).endsWith(".zip")
                && !key.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /**
     * Brings the members {@code byZip} (zip URL -> keys) into the cache: each zip from the cache when the ref's state
     * recorded it (hashed again first when a member has no hash of its own: the zip's digest is all that vouches for
     * it), else downloaded and recorded. Returns key -> digest.
     */
    Map<String, Digest> ensure(Synced s, Map<String, List<String>> byZip) throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        RefState state = s.state();
        for (Map.Entry<String, List<String>> z : byZip.entrySet()) {
            Map<String, Digest> keys = new LinkedHashMap<>();
            for (String k : z.getValue()) keys.put(k, s.registry().files().get(k).hash());
            Digest zip = state.zips().containsKey(z.getKey()) ? Digest.parse(state.zips().get(z.getKey())) : null;
            if (zip == null || !cached(zip, keys.containsValue(null), z.getKey())) {
                if (settings.offline()) {
                    throw ConsumerException.offline("offline: release zip " + z.getKey() + " of " + s.label() + " is not in the cache");
                }
                zip = download(z.getKey(), "release zip of " + s.label() + " (" + z.getKey() + ")");
                state = state.withZip(z.getKey(), zip);
                cache.writeState(s.source().key(), s.ref(), state);
            }
            out.putAll(extract(zip, z.getKey(), keys, s.label()));
        }
        return out;
    }

    /** Whether the cache holds the zip; {@code verified}: and it still hashes to its digest (a damaged one is removed). */
    private boolean cached(Digest zip, boolean verified, String url) throws IOException {
        return verified ? cache.blobs().verify(zip, Expected.MAX_UNSIZED, "release zip " + url) : cache.has(zip);
    }

    /**
     * A release zip (or a file the registry lists no hash for) has no hash to check: stored by the digest of what
     * arrived, through the one copy (retried whole when cut off: a partial of unknown name cannot be resumed).
     */
    Digest download(String url, String what) throws IOException {
        Ingest.Source get = offset -> {
            requests.incrementAndGet();
            Response r = http.get().send(Request.get(URI.create(url), what, null).streamed());
            if (!r.ok()) {
                r.close();
                throw new ConsumerException(Failures.kindOf(r.status()), what + ": " + GitHub.error(r.status()));
            }
            return new RangeFetcher.Fetched(r.body(), 0);
        };
        return Copy.unhashed(get, what, cache.blobs(), Expected.MAX_UNSIZED, CopyOptions.of(settings.registryOptions()));
    }

    /** The members {@code keys} (key -> hash, or null) of the cached zip, into the cache: key -> digest. */
    private Map<String, Digest> extract(Digest zip, String url, Map<String, Digest> keys, String label) throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        CopyOptions o = CopyOptions.of(settings.registryOptions());
        try (ZipMembers members = ZipMembers.open(cache.blob(zip), url, label, keys)) {
            Copy.files(members, members.hashes(), cache.blobs(), Expected.MAX_UNSIZED, o);
            for (Map.Entry<String, Digest> k : keys.entrySet()) {
                String key = k.getKey();
                out.put(key, k.getValue() != null ? k.getValue() : Copy.unhashed(offset -> new RangeFetcher.Fetched(
                        members.open(key), 0), members.describe(key), cache.blobs(), Expected.MAX_UNSIZED, o));
            }
        } catch (ContentException x) {
            throw new ConsumerException(x.getMessage(), x);
        }
        return out;
    }
}
