package dev.modelreg.consumer;

import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.ResumablePusher;
import dev.modelreg.content.Storage;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files an artifact stores outside the registry (spec/README.md 3.14), fetched from the {@code url} of their
 * models.toml entries ({@code https://github.com} and the other GitHub hosts re-based as in GitHub mode, section 8)
 * into a local store through the one copy ({@link UrlFiles}): verified against their hash and size before they are
 * stored, resumed with {@code Range}, retried, under the transport's limits and redirect rules; no credentials are
 * sent, whoever the URL names.
 */
final class ExternalFetch {
    private ExternalFetch() {}

    /** Fetches {@code keys} (key -> hash) of {@code r} into {@code dst}; {@code label} names the artifact in errors. */
    static <S extends Storage & ResumablePusher> void run(Settings settings, ModelsToml r, Map<String, Digest> keys,
            S dst, CopyOptions o, String label, AtomicLong requests) throws IOException {
        if (keys.isEmpty()) return;
        if (settings.offline()) {
            String first = keys.keySet().iterator().next();
            throw ConsumerException.offline("offline: " + keys.size() + " of the files of " + label + " stored outside the"
                    + " registry are not in the cache, e.g. '" + Text.printable(first) + "' ("
                    + Text.printable(r.files().get(first).url()) + ")");
        }
        Map<Digest, UrlFiles.File> files = new LinkedHashMap<>();
        for (Map.Entry<String, Digest> k : keys.entrySet()) {
            FileEntry e = r.files().get(k.getKey());
            files.putIfAbsent(k.getValue(), new UrlFiles.File(k.getKey(), settings.github().rebase(e.url()), e.size()));
        }
        UrlFiles.copy(HttpTransport.of(settings.registryOptions().http()), files, dst,
                o.withConcurrency(settings.concurrency() * GitHubPull.LATENCY_BOUND_FANOUT), label, requests);
    }
}
