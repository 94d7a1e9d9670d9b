package dev.modelreg.content.store;

import dev.modelreg.content.BlobsNotLinked;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.Mounter;
import dev.modelreg.content.RangeFetcher;
import dev.modelreg.content.ReferrerLister;
import dev.modelreg.content.Referrers;
import dev.modelreg.content.ReferrersApi;
import dev.modelreg.content.Repository;
import dev.modelreg.content.RequestCounter;
import dev.modelreg.content.TagLister;
import dev.modelreg.content.auth.RegistryClient;
import dev.modelreg.content.http.Backoff;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One repository of an OCI distribution registry, spoken to over the one transport ({@link HttpTransport}) with
 * the distribution auth flow ({@link RegistryClient}). Blobs stream in both directions (GET, resumable with
 * {@code Range}; monolithic POST + PUT upload with Content-Length = descriptor size), manifests travel as raw bytes
 * (never re-serialized), tags resolve with one HEAD. Errors are {@link ContentException}s naming the registry,
 * repository and digest.
 */
public final class RegistryStore implements Repository, RangeFetcher, Mounter, TagLister, ReferrersApi, ReferrerLister,
        RequestCounter {
    private final OciReference repo;
    private final String scheme;
    private final URI base;
    private final RegistryClient client;
    private final Set<String> pull;
    private final Set<String> push;
    /** How many times a blob HEAD answered 500 is asked again ({@link #exists}). */
    static final int LINK_RETRIES = 2;
    private final Map<Digest, byte[]> pushedManifests = new ConcurrentHashMap<>();
    /** Set once the registry answered the referrers API with 404: it has none, and is not asked again. */
    private volatile boolean noReferrersApi;

    private RegistryStore(OciReference repo, String scheme, RegistryClient client) {
        this.repo = repo;
        this.scheme = scheme;
        this.base = URI.create(scheme + "://" + repo.registry() + "/v2/" + repo.repository() + "/");
        this.client = client;
        this.pull = Set.of(RegistryClient.pull(repo.repository()));
        this.push = Set.of(RegistryClient.push(repo.repository()));
    }

    /** A store for {@code ref}'s registry and repository (its tag or digest, if any, is not used here). */
    public static RegistryStore connect(OciReference ref, RegistryOptions o) {
        boolean plain = o.plainHttp() != null ? o.plainHttp() : RegistryClient.isLoopback(ref.registry()) && o.caFile() == null;
        String scheme = plain ? "http" : "https";
        RegistryClient client = new RegistryClient(HttpTransport.of(o.http()), ref.registry(), scheme, o.credentials(),
                ref.repository());
        return new RegistryStore(new OciReference(ref.registry(), ref.repository(), null, null), scheme, client);
    }

    /** A store for a parsed registry {@link Reference}. */
    public static RegistryStore connect(Reference ref, RegistryOptions o) {
        return connect(ref.registry(), o);
    }

    @Override
    public String registry() {
        return repo.registry();
    }

    @Override
    public String repository() {
        return repo.repository();
    }

    /** http or https. */
    public String scheme() {
        return scheme;
    }

    @Override
    public String name() {
        return repo.name();
    }

    /** How many requests this store sent to the registry (a request answered 401 and sent again counts twice). */
    @Override
    public long requestCount() {
        return client.requestCount();
    }

    /**
     * One HEAD. A blob HEAD answered 500 is asked again (at most {@link #LINK_RETRIES} times, after the backoff):
     * distribution 2.8 answers 500 ("invalid checksum digest format") while another upload of the same blob is
     * rewriting the blob's link in this repository, which two pushes sharing blobs do all the time.
     */
    @Override
    public boolean exists(Descriptor d) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Request r = Request.head(d.isManifest() ? manifestUri(d.digest().toString()) : blobUri(d.digest()), what(d), name());
            if (d.isManifest()) r = r.withHeader("Accept", accept(d));
            try (Response resp = send(r, pull)) {
                if (resp.status() == 200) return true;
                if (resp.status() == 404) return false;
                if (resp.status() != 500 || d.isManifest() || attempt >= LINK_RETRIES) throw resp.error();
            }
            Backoff.sleep(Backoff.delay(attempt), what(d));
        }
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        return fetch(d, 0).in();
    }

    /** GET of the blob; from {@code offset} with a {@code Range} header when offset > 0 (a 200 answer starts at 0). */
    @Override
    public Fetched fetch(Descriptor d, long offset) throws IOException {
        Request r = Request.get(d.isManifest() ? manifestUri(d.digest().toString()) : blobUri(d.digest()), what(d), name()).streamed();
        if (d.isManifest()) r = r.withHeader("Accept", accept(d));
        boolean ranged = offset > 0 && offset < d.size();
        if (ranged) r = r.withHeader("Range", "bytes=" + offset + "-");
        Response resp = send(r, pull);
        try {
            if (ranged && resp.status() == 206) {
                long length = resp.contentLength();
                if (resp.rangeStart(d.size()) != offset || (length >= 0 && length != d.size() - offset)) {
                    throw new ContentException(ContentException.Kind.INVALID, name() + " answered " + what(d)
                            + " from byte " + offset + " with the range '" + Text.printable(resp.header("Content-Range")) + "'");
                }
                return new Fetched(resp.body(), offset);
            }
            return whole(resp, d);
        } catch (IOException | RuntimeException e) {
            resp.close();
            throw e;
        }
    }

    /** A 200 answer to a blob GET (with or without a Range asked for): the whole blob, of its declared size. */
    private Fetched whole(Response resp, Descriptor d) throws IOException {
        if (resp.status() != 200) throw resp.error();
        long length = resp.contentLength();
        if (length >= 0 && length != d.size()) {
            throw new ContentException(ContentException.Kind.SIZE_MISMATCH, name() + " sends " + length
                    + " bytes for " + what(d) + ", whose size is " + d.size());
        }
        return new Fetched(resp.body(), 0);
    }

    /** GET of the bytes [from, end) of a blob with {@code Range: bytes=from-(end-1)}; a 200 answer is the whole blob. */
    @Override
    public Fetched fetch(Descriptor d, long from, long end) throws IOException {
        if (from < 0 || end <= from || end > d.size()) throw new IllegalArgumentException("range " + from + "-" + end + " of " + d.size());
        Request r = Request.get(blobUri(d.digest()), what(d), name()).streamed().withHeader("Range", "bytes=" + from + "-" + (end - 1));
        Response resp = send(r, pull);
        try {
            if (resp.status() == 206) {
                long length = resp.contentLength();
                if (!resp.isRange(from, end - 1, d.size()) || (length >= 0 && length != end - from)) {
                    throw new ContentException(ContentException.Kind.INVALID, name() + " answered bytes " + from + "-" + (end - 1)
                            + " of " + what(d) + " with the range '" + Text.printable(resp.header("Content-Range")) + "'");
                }
                return new Fetched(resp.body(), from, true);
            }
            return whole(resp, d);
        } catch (IOException | RuntimeException e) {
            resp.close();
            throw e;
        }
    }

    /**
     * Manifests (by media type) are read fully (verified, within {@link Limits#MAX_MANIFEST_BYTES}) and PUT by digest
     * as raw bytes; other blobs are streamed: POST an upload session, then PUT the stream with {@code ?digest=}. The
     * stream is verified on our side as it is sent (a stream the copy verifies already is not hashed again) and the
     * registry checks the digest too.
     */
    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        try (content) {
            if (expected.isManifest()) {
                pushManifest(expected, Manifests.read(content, expected, what(expected) + " for " + name()),
                        expected.digest().toString());
            } else {
                BlobUpload.run(base, name(), expected, content, r -> send(r, push));
            }
        }
    }

    /**
     * Cross-repository mount: asks the registry to link blob {@code d} from {@code fromRepository} (same registry)
     * into this repository without sending bytes. True if mounted (201); false if the registry opened an upload
     * instead (202, which is cancelled) or refused.
     */
    @Override
    public boolean mount(Descriptor d, String fromRepository) throws IOException {
        URI uri = base.resolve("blobs/uploads/?mount=" + enc(d.digest().toString()) + "&from=" + enc(fromRepository));
        Set<String> scopes = new LinkedHashSet<>(push);
        scopes.add(RegistryClient.pull(fromRepository));
        try (Response resp = send(Request.send("POST", uri, new byte[0], "mount of " + what(d) + " from " + fromRepository, name()), scopes)) {
            if (resp.status() == 201) return true;
            if (resp.status() == 403) throw resp.error();
            if (resp.status() == 202 && resp.header("Location") != null) {
                try {
                    send(Request.send("DELETE", base.resolve(resp.header("Location")), null, "cancel upload", name()), push).close();
                } catch (ContentException | IllegalArgumentException ignored) {
                    // an abandoned upload session expires on its own
                }
            }
            return false;
        }
    }

    /** One HEAD /manifests/REF (GET + hashing only if the registry sends no Docker-Content-Digest). */
    @Override
    public Descriptor resolve(String reference) throws IOException {
        boolean byDigest = Digest.isDigest(reference);
        if (!byDigest && !OciReference.isTag(reference)) {
            throw new ContentException(ContentException.Kind.INVALID, "invalid reference '" + Text.printable(reference)
                    + "' for " + name() + " (want a tag or sha256:<hex>)");
        }
        String what = byDigest ? "manifest " + reference : "tag '" + reference + "'";
        URI uri = manifestUri(reference);
        try (Response head = send(Request.head(uri, what, name()).withHeader("Accept", MediaTypes.MANIFEST_ACCEPT), pull)) {
            if (head.status() != 200) throw head.error();
            String type = mediaType(head.header("Content-Type"));
            String digest = head.header("Docker-Content-Digest");
            long length = head.contentLength();
            if (digest != null && length >= 0 && type != null) {
                Digest dg = parseDigest(digest, what);
                Manifests.checkSize(length, name() + ": " + what + (byDigest ? "" : " (manifest " + dg + ")"));
                Descriptor d = Descriptor.of(type, dg, length);
                if (byDigest && !d.digest().toString().equals(reference)) {
                    throw new ContentException(ContentException.Kind.DIGEST_MISMATCH,
                            name() + ": asked for manifest " + reference + ", registry answered " + d.digest());
                }
                return d;
            }
        }
        // No digest header: fetch the bytes and hash them ourselves.
        try (Response get = send(Request.get(uri, what, name()).withHeader("Accept", MediaTypes.MANIFEST_ACCEPT), pull)) {
            if (get.status() != 200) throw get.error();
            byte[] bytes = get.bytes(Limits.MAX_MANIFEST_BYTES);
            Digest got = Digest.sha256Of(bytes);
            if (byDigest && !got.toString().equals(reference)) {
                throw new ContentException(ContentException.Kind.DIGEST_MISMATCH,
                        name() + ": manifest " + reference + ": digest mismatch: got " + got);
            }
            String t = mediaType(get.header("Content-Type"));
            return Descriptor.of(t != null ? t : Manifests.sniffMediaType(bytes, name() + " " + what), got, bytes.length);
        }
    }

    /** The repository's tags, in the registry's order, within bounds ({@link TagList}). */
    @Override
    public List<String> listTags() throws IOException {
        return TagList.read(base, name(), r -> send(r, pull));
    }

    /**
     * {@code GET /v2/NAME/referrers/DIGEST}: the index (its first page, bounded by the manifest limit), or null on
     * 404 (no referrers API; not asked again by this store).
     */
    @Override
    public byte[] referrersIndex(Digest subject) throws IOException {
        RegistryReferrers.Page p = firstReferrersPage(subject);
        return p == null ? null : p.bytes();
    }

    /** The referrers of {@code subject}: every page of the API ({@link RegistryReferrers}), else the tag scheme. */
    @Override
    public Referrers.Found referrers(Digest subject) throws IOException {
        RegistryReferrers.Page p = firstReferrersPage(subject);
        return p == null ? Referrers.byTag(this, subject, false) : RegistryReferrers.all(p, subject, name(), this::referrersPage);
    }

    private RegistryReferrers.Page firstReferrersPage(Digest subject) throws IOException {
        if (noReferrersApi) return null;
        RegistryReferrers.Page p = referrersPage(base.resolve("referrers/" + subject), "referrers of manifest " + subject);
        if (p == null) noReferrersApi = true;
        return p;
    }

    private RegistryReferrers.Page referrersPage(URI uri, String what) throws IOException {
        return RegistryReferrers.page(base, name(), uri, what, r -> send(r, pull));
    }

    /** Every tag ({@link #listTags()}) resolved to its manifest (one HEAD each); the repository is {@link #name()}. */
    @Override
    public List<ImageIndex.Named> refs() throws IOException {
        List<ImageIndex.Named> out = new ArrayList<>();
        for (String t : listTags()) out.add(new ImageIndex.Named(name(), t, resolve(t)));
        return out;
    }

    /**
     * PUT /manifests/TAG with the manifest's exact bytes (fetched from this repository unless this store just pushed
     * them; in that case a HEAD first, and nothing is sent if the tag already points at the manifest).
     */
    @Override
    public void tag(Descriptor manifest, String tag) throws IOException {
        try {
            Reference.checkTag(tag, name());
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
        byte[] bytes = pushedManifests.get(manifest.digest());
        if (bytes == null) {
            // Not pushed by this store: one HEAD tells whether the tag is already right (a no-op re-push).
            try {
                if (resolve(tag).digest().equals(manifest.digest())) return;
            } catch (ContentException e) {
                if (e.kind() != ContentException.Kind.NOT_FOUND) throw e;
            }
            bytes = Manifests.read(fetch(manifest), manifest, what(manifest) + " in " + name());
        }
        pushManifest(manifest, bytes, tag);
    }

    @Override
    public String toString() {
        return name();
    }

    // ---- requests

    private Response send(Request r, Set<String> scopes) throws ContentException {
        return client.send(r, scopes);
    }

    private void pushManifest(Descriptor d, byte[] bytes, String reference) throws IOException {
        String what = reference.equals(d.digest().toString()) ? what(d) : "tag '" + reference + "' -> " + d.digest();
        Request r = Request.send("PUT", manifestUri(reference), bytes, what, name()).withHeader("Content-Type", d.mediaType());
        try (Response resp = send(r, push)) {
            if (resp.status() != 201 && resp.status() != 200) {
                ContentException e = resp.error();
                throw BlobsNotLinked.is(resp.status(), resp.errorCodes()) ? new BlobsNotLinked(e) : e;
            }
        }
        if (pushedManifests.size() < 64) pushedManifests.put(d.digest(), bytes);
    }

    // ---- helpers

    private URI blobUri(Digest d) {
        return base.resolve("blobs/" + d);
    }

    private URI manifestUri(String reference) {
        return base.resolve("manifests/" + reference);
    }

    private static String what(Descriptor d) {
        return (d.isManifest() ? "manifest " : "blob ") + d.digest();
    }

    private static String accept(Descriptor d) {
        return d.mediaType() + ", " + MediaTypes.MANIFEST_ACCEPT;
    }

    private Digest parseDigest(String text, String what) throws ContentException {
        try {
            return Digest.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID, name() + ": " + what + ": bad Docker-Content-Digest '"
                    + Text.printable(text) + "'");
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        String t = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
        return t.isEmpty() ? null : t;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
