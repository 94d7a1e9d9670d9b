package dev.modelreg.testkit;

import com.sun.net.httpserver.HttpExchange;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A registry that lies: a loopback HTTP server speaking just enough of the OCI distribution API ({@code GET /v2/},
 * {@code HEAD}/{@code GET /v2/NAME/manifests/REF} by tag or digest, {@code GET /v2/NAME/blobs/DIGEST}) to serve
 * crafted content: sizes it does not send, bodies that run past what it declared, bytes under a digest they do not
 * have, media types that are not what the body is, tars with links, devices and escaping names ({@link Tar}). Every
 * request is counted, and every byte it manages to send, so a test can prove a client stopped before it fetched.
 * Any repository name is served the same content.
 */
public final class HostileRegistry implements AutoCloseable {
    /** A response body: its length (-1: sent chunked, so no Content-Length tells the client when it ends). */
    public record Body(long length, Supplier<InputStream> open) {
        public static Body of(byte[] bytes) {
            return new Body(bytes.length, () -> new ByteArrayInputStream(bytes));
        }

        /** {@code bytes} without a Content-Length. */
        public static Body chunked(byte[] bytes) {
            return new Body(-1, () -> new ByteArrayInputStream(bytes));
        }

        /** {@code n} bytes of {@code b}, generated as they are sent (never held), chunked when {@code chunked}. */
        public static Body repeat(byte b, long n, boolean chunked) {
            return new Body(chunked ? -1 : n, () -> new InputStream() {
                long left = n;

                @Override
                public int read() {
                    if (left <= 0) return -1;
                    left--;
                    return b & 0xff;
                }

                @Override
                public int read(byte[] buf, int off, int len) {
                    if (left <= 0) return -1;
                    int k = (int) Math.min(len, left);
                    Arrays.fill(buf, off, off + k, b);
                    left -= k;
                    return k;
                }
            });
        }
    }

    /**
     * A manifest as served: the {@code Content-Type}, the {@code Docker-Content-Digest} (null: none sent), the
     * {@code Content-Length} a HEAD answers (any lie), and what a GET sends.
     */
    public record Served(String contentType, Digest digest, long headLength, Body body) {}

    private final StubServer server;
    private final Map<String, Served> manifests = new ConcurrentHashMap<>();
    private final Map<String, Body> blobs = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> referrerPages = new ConcurrentHashMap<>();
    private final AtomicLong referrersRequests = new AtomicLong();
    private final AtomicLong manifestRequests = new AtomicLong();
    private final AtomicLong blobRequests = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();

    private HostileRegistry() {
        this.server = StubServer.http("127.0.0.1", this::handle);
    }

    public static HostileRegistry start() {
        return new HostileRegistry();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return server.host();
    }

    /** {@code HOST/REPOSITORY:TAG} (or {@code @DIGEST}): what a client pulls. */
    public String ref(String repository, String tagOrDigest) {
        return host() + "/" + repository + (Digest.isDigest(tagOrDigest) ? "@" : ":") + tagOrDigest;
    }

    // ---- content

    /** Serves {@code bytes} under their own digest; returns it. */
    public Digest blob(byte[] bytes) {
        Digest d = Digest.sha256Of(bytes);
        blobs.put(d.toString(), Body.of(bytes));
        return d;
    }

    /** Serves {@code body} under {@code digest}, whatever it holds. */
    public void blob(Digest digest, Body body) {
        blobs.put(digest.toString(), body);
    }

    /** Serves {@code bytes} as an OCI manifest, honestly, at {@code tag} and at its digest; returns its descriptor. */
    public Descriptor manifest(String tag, byte[] bytes) {
        Digest d = Digest.sha256Of(bytes);
        manifest(tag, new Served(MediaTypes.OCI_MANIFEST, d, bytes.length, Body.of(bytes)));
        return Descriptor.of(MediaTypes.OCI_MANIFEST, d, bytes.length);
    }

    /** Serves {@code s} at {@code tag} and, when it has one, at its digest. */
    public void manifest(String tag, Served s) {
        manifests.put(tag, s);
        if (s.digest() != null) manifests.put(s.digest().toString(), s);
    }

    /**
     * Answers the referrers API ({@code GET /v2/NAME/referrers/SUBJECT}) for {@code subject} with {@code pages}: the
     * first at that path, page {@code i} at {@code ?page=i}, each but the last with a {@code Link: <...>; rel="next"}.
     * A subject with no pages gets 404, as from a registry without the API.
     */
    public void referrers(Digest subject, List<byte[]> pages) {
        referrerPages.put(subject.toString(), List.copyOf(pages));
    }

    /** Requests to the referrers API so far. */
    public long referrersRequests() {
        return referrersRequests.get();
    }

    /** The canonical bytes of a model-set manifest with {@code config} and {@code layers}. */
    public static byte[] manifestBytes(Descriptor config, List<Descriptor> layers) {
        return new Manifest(MediaTypes.ARTIFACT_TYPE, config, layers, Map.of()).toBytes();
    }

    /** The canonical bytes of an OCI image index listing {@code entries}. */
    public static byte[] indexBytes(List<Descriptor> entries) {
        List<Object> ms = new java.util.ArrayList<>();
        for (Descriptor d : entries) ms.add(Manifest.descriptorJson(d));
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("schemaVersion", 2L);
        doc.put("mediaType", MediaTypes.OCI_INDEX);
        doc.put("manifests", ms);
        return dev.modelreg.spec.Json.writeBytes(doc);
    }

    /** A config descriptor for {@code toml} (served too). */
    public Descriptor config(byte[] toml) {
        return Descriptor.of(MediaTypes.CONFIG, blob(toml), toml.length);
    }

    // ---- what clients did

    /** GET and HEAD requests for manifests (by tag or digest). */
    public long manifestRequests() {
        return manifestRequests.get();
    }

    /** GET and HEAD requests for blobs. */
    public long blobRequests() {
        return blobRequests.get();
    }

    /** Body bytes written to clients (what the socket took; a client that hung up stops it). */
    public long bytesSent() {
        return bytesSent.get();
    }

    public List<StubServer.Seen> seen() {
        return server.seen();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- the API

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        boolean head = x.getRequestMethod().equals("HEAD");
        if (!head && !x.getRequestMethod().equals("GET")) {
            StubServer.answer(x, 405, null);
            return;
        }
        if (path.equals("/v2/") || path.equals("/v2")) {
            StubServer.answer(x, 200, "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
            return;
        }
        int rf = path.lastIndexOf("/referrers/");
        if (path.startsWith("/v2/") && rf > 4) {
            referrersRequests.incrementAndGet();
            String q = x.getRequestURI().getRawQuery();
            List<byte[]> pages = referrerPages.get(path.substring(rf + "/referrers/".length()));
            int i = q != null && q.matches("page=[0-9]{1,6}") ? Integer.parseInt(q.substring(5)) : 0;
            if (pages == null || i >= pages.size()) {
                notFound(x, "NAME_UNKNOWN");
                return;
            }
            if (i + 1 < pages.size()) x.getResponseHeaders().set("Link", "<" + path + "?page=" + (i + 1) + ">; rel=\"next\"");
            StubServer.answer(x, 200, pages.get(i), "Content-Type", MediaTypes.OCI_INDEX);
            return;
        }
        int m = path.lastIndexOf("/manifests/");
        int b = path.lastIndexOf("/blobs/");
        if (path.startsWith("/v2/") && m > 4) {
            manifestRequests.incrementAndGet();
            Served s = manifests.get(path.substring(m + "/manifests/".length()));
            if (s == null) {
                notFound(x, "MANIFEST_UNKNOWN");
                return;
            }
            x.getResponseHeaders().set("Content-Type", s.contentType());
            if (s.digest() != null) x.getResponseHeaders().set("Docker-Content-Digest", s.digest().toString());
            if (head) {
                x.getResponseHeaders().set("Content-Length", String.valueOf(s.headLength()));
                x.sendResponseHeaders(200, -1);
            } else {
                send(x, s.body());
            }
        } else if (path.startsWith("/v2/") && b > 4) {
            blobRequests.incrementAndGet();
            Body body = blobs.get(path.substring(b + "/blobs/".length()));
            if (body == null) {
                notFound(x, "BLOB_UNKNOWN");
            } else if (head) {
                x.getResponseHeaders().set("Content-Length", String.valueOf(Math.max(0, body.length())));
                x.sendResponseHeaders(200, -1);
            } else {
                x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                send(x, body);
            }
        } else {
            notFound(x, "NAME_UNKNOWN");
        }
    }

    private void send(HttpExchange x, Body body) throws IOException {
        x.sendResponseHeaders(200, body.length() < 0 ? 0 : body.length() == 0 ? -1 : body.length());
        if (body.length() == 0) return;
        byte[] buf = new byte[64 << 10];
        try (InputStream in = body.open().get(); OutputStream out = x.getResponseBody()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                bytesSent.addAndGet(n);
            }
        } catch (IOException e) {
            // the client hung up: what it refused is the point
        }
    }

    private static void notFound(HttpExchange x, String code) throws IOException {
        StubServer.answer(x, 404, ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"not here\"}]}")
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    // ---- crafted tars

    /**
     * A tar written header by header (ustar), so any entry can be made: any name (absolute, {@code ..}), any type
     * (links, devices, FIFOs), a declared size that is not the content's, the same name twice.
     */
    public static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** A regular file. */
        public Tar file(String name, byte[] content) {
            return entry(name, '0', "", content.length, content);
        }

        /** Any entry: {@code declaredSize} goes in the header, {@code content} (then padding to a block) follows. */
        public Tar entry(String name, char type, String linkName, long declaredSize, byte[] content) {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, "0000644");
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, String.format("%011o", declaredSize));
            put(h, 136, 12, "00000000000");
            h[156] = (byte) type;
            put(h, 157, 100, linkName);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte c : h) sum += c & 0xff;
            put(h, 148, 6, String.format("%06o", sum));
            h[154] = 0; // six octal digits, NUL, space
            out.writeBytes(h);
            out.writeBytes(content);
            int pad = (int) ((512 - content.length % 512) % 512);
            out.writeBytes(new byte[pad]);
            return this;
        }

        /** The tar with its two end-of-archive blocks. */
        public byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(new byte[1024]);
            return all.toByteArray();
        }

        /** The tar as written so far, without end blocks (cut off). */
        public byte[] cut() {
            return out.toByteArray();
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > len) throw new IllegalArgumentException("'" + s + "' does not fit " + len + " bytes");
            System.arraycopy(b, 0, h, off, b.length);
        }
    }
}
