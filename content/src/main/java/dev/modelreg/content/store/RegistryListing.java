package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.auth.RegistryClient;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a registry lists: the repositories of its catalog ({@code GET /v2/_catalog}), and a repository's tags with what
 * each tag's manifest says (one manifest GET per tag, a bounded number at once). Bounded like the tag list
 * (spec/README.md 14); a registry that does not offer the catalog (GHCR, Docker Hub) is told plainly.
 */
public final class RegistryListing {
    /** Manifest GETs at once for {@link #tags}. */
    public static final int PARALLEL = 8;

    private RegistryListing() {}

    /**
     * A tag and its manifest: digest and media type, and from the manifest's annotations the creation time and title
     * (null when absent); {@code size} is the manifest's config and layers (an index: its manifests) in bytes.
     */
    public record Tag(String tag, Digest digest, String mediaType, long size, String created, String title) {}

    /** The repositories of {@code registry} (a host[:port]), in the registry's order, duplicates dropped. */
    public static List<String> catalog(String registry, RegistryOptions o) throws IOException {
        boolean plain = o.plainHttp() != null ? o.plainHttp() : RegistryClient.isLoopback(registry) && o.caFile() == null;
        String scheme = plain ? "http" : "https";
        RegistryClient client = new RegistryClient(HttpTransport.of(o.http()), registry, scheme, o.credentials(), null);
        URI base = URI.create(scheme + "://" + registry + "/v2/");
        Set<String> scopes = Set.of("registry:catalog:*");
        return TagList.read(base, base.resolve("_catalog?n=1000"), registry, r -> {
            Response resp = send(client, r, scopes, registry);
            int status = resp.status();
            if (status == 401 || status == 403 || status == 404 || status == 405) {
                ContentException.Kind kind = resp.error().kind();
                resp.close();
                throw refused(registry, kind, status);
            }
            return resp;
        }, "repositories", "catalog", "repository name", n -> isRepository(registry, n), "");
    }

    /** Sends a catalog request; an authentication the registry asks for and this client cannot give is a refusal. */
    private static Response send(RegistryClient client, Request r, Set<String> scopes, String registry) throws ContentException {
        try {
            return client.send(r, scopes);
        } catch (ContentException e) {
            if (e.kind() == ContentException.Kind.UNAUTHORIZED) throw refused(registry, e.kind(), 401);
            if (e.kind() == ContentException.Kind.DENIED) throw refused(registry, e.kind(), 403);
            throw e;
        }
    }

    private static ContentException refused(String registry, ContentException.Kind kind, int status) {
        return new ContentException(kind, registry + " does not offer a repository listing to this client (GET /v2/_catalog"
                + " answered " + status + "): name a repository instead (modelreg tags " + registry + "/REPOSITORY)");
    }

    private static boolean isRepository(String registry, String name) {
        try {
            new OciReference(registry, name, null, null);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The tags of {@code store}'s repository ({@link RegistryStore#listTags}, bounded), each with its manifest read
     * by one GET (at most {@link Limits#MAX_MANIFEST_BYTES}, hashed: the digest is the bytes', never a header's),
     * {@link #PARALLEL} at once, in the registry's order.
     */
    public static List<Tag> tags(RegistryStore store, RegistryOptions o) throws IOException {
        List<String> tags = store.listTags();
        RegistryClient client = new RegistryClient(HttpTransport.of(o.http()), store.registry(), store.scheme(),
                o.credentials(), store.repository());
        URI base = URI.create(store.scheme() + "://" + store.registry() + "/v2/" + store.repository() + "/");
        Set<String> scopes = Set.of(RegistryClient.pull(store.repository()));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, tags.size())), r -> {
            Thread t = new Thread(r, "modelreg-tags");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Tag>> futures = new ArrayList<>();
            for (String t : tags) futures.add(pool.submit(() -> tag(client, base, scopes, store.name(), t)));
            List<Tag> out = new ArrayList<>();
            for (Future<Tag> f : futures) out.add(get(f));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Tag get(Future<Tag> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        }
    }

    private static Tag tag(RegistryClient client, URI base, Set<String> scopes, String name, String tag) throws IOException {
        String what = "tag '" + tag + "'";
        byte[] bytes;
        String type;
        Request get = Request.get(base.resolve("manifests/" + tag), what, name).withHeader("Accept", MediaTypes.MANIFEST_ACCEPT);
        try (Response r = client.send(get, scopes)) {
            if (r.status() != 200) throw r.error();
            bytes = r.bytes(Limits.MAX_MANIFEST_BYTES);
            type = r.header("Content-Type");
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(bytes, name + " " + what);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
        if (m.get("mediaType") instanceof String t) type = t;
        else if (type != null && type.indexOf(';') >= 0) type = type.substring(0, type.indexOf(';')).trim();
        long size = size(m.get("config")) + sizes(m.get("layers")) + sizes(m.get("manifests"));
        Map<?, ?> a = m.get("annotations") instanceof Map<?, ?> x ? x : Map.of();
        return new Tag(tag, Digest.sha256Of(bytes), type, size, text(a.get(Annotations.CREATED)), text(a.get(Annotations.TITLE)));
    }

    private static long sizes(Object list) {
        long n = 0;
        if (list instanceof List<?> l) for (Object o : l) n += size(o);
        return n;
    }

    /** A descriptor's size, 0 when it has none (or not a sane one: this is a listing, not a copy). */
    private static long size(Object descriptor) {
        if (descriptor instanceof Map<?, ?> d && d.get("size") instanceof Number s && s.longValue() >= 0) return s.longValue();
        return 0;
    }

    /** An annotation's value, at most 200 characters (not escaped: printing it is the caller's), or null. */
    private static String text(Object v) {
        if (!(v instanceof String s)) return null;
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
