package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Expected;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.content.http.Backoff;
import dev.modelreg.content.http.Failures;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * GitHub release registries whose file URLs name a zip (spec/README.md, GitHub mode): the zip is fetched once into the
 * blob cache (it has no hash to check; its members do), recorded in the ref's state, and each wanted member enters the
 * cache verified against its models.toml hash.
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
     * recorded it, else downloaded and recorded. Returns key -> digest.
     */
    Map<String, Digest> ensure(Synced s, Map<String, List<String>> byZip) throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        RefState state = s.state();
        for (Map.Entry<String, List<String>> z : byZip.entrySet()) {
            Digest zip = state.zips().containsKey(z.getKey()) ? Digest.parse(state.zips().get(z.getKey())) : null;
            if (zip == null || !cache.has(zip)) {
                if (settings.offline()) {
                    throw ConsumerException.offline("offline: release zip " + z.getKey() + " of " + s.label() + " is not in the cache");
                }
                zip = download(z.getKey(), "release zip of " + s.label() + " (" + z.getKey() + ")");
                state = state.withZip(z.getKey(), zip);
                cache.writeState(s.source().key(), s.ref(), state);
            }
            out.putAll(extract(cache.blob(zip), z.getKey(), z.getValue(), s));
        }
        return out;
    }

    /** A release zip (or a file the registry lists no hash for) has no hash to check: stored by the digest of what arrived. */
    Digest download(String url, String what) throws IOException {
        for (int attempt = 0; ; attempt++) {
            requests.incrementAndGet();
            try (Response r = http.get().send(Request.get(URI.create(url), what, null).streamed())) {
                if (!r.ok()) throw new ConsumerException(Failures.kindOf(r.status()), what + ": " + GitHub.error(r.status()));
                return cache.blobs().add(r.body(), Expected.MAX_UNSIZED, what);
            } catch (ContentException e) {
                // cut off midway: fetched again, whole (its digest is not known in advance: no partial to resume)
                if (!e.isTransient() || attempt >= settings.registryOptions().http().retries()) throw e;
                Backoff.sleep(Backoff.delay(attempt), what);
            }
        }
    }

    private Map<String, Digest> extract(Path zipFile, String url, List<String> keys, Synced s) throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        try (ZipFile zf = new ZipFile(zipFile.toFile())) {
            Map<String, ZipEntry> byName = new LinkedHashMap<>();
            zf.stream().filter(x -> !x.isDirectory()).forEach(x -> byName.put(x.getName(), x));
            for (String key : keys) {
                ZipEntry ze = byName.get(key);
                if (ze == null) {
                    for (Map.Entry<String, ZipEntry> n : byName.entrySet()) {
                        if (n.getKey().endsWith("/" + key)) {
                            ze = n.getValue();
                            break;
                        }
                    }
                }
                if (ze == null) throw ConsumerException.notFound(s.label() + ": file '" + key + "' is not in release zip " + url);
                FileEntry e = s.registry().files().get(key);
                String what = "file '" + key + "' of " + s.label() + " (from " + url + ")";
                try (InputStream in = zf.getInputStream(ze)) {
                    if (e.hash() != null && ze.getSize() >= 0) {
                        cache.blobs().push(Descriptor.of("application/octet-stream", e.hash(), ze.getSize()), in);
                        out.put(key, e.hash());
                    } else {
                        Digest got = cache.blobs().add(in, Expected.MAX_UNSIZED, what);
                        if (e.hash() != null && !got.equals(e.hash())) {
                            throw VerifyingInputStream.mismatch(what, e.hash(), got, ze.getSize());
                        }
                        out.put(key, got);
                    }
                } catch (ContentException x) {
                    throw new ConsumerException(x.getMessage(), x);
                }
            }
        }
        return out;
    }
}
