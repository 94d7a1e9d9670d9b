package dev.modelreg.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves GitHub's URL shapes from a local directory on 127.0.0.1 (a real HTTP server, files read live from disk,
 * so a test may add or change files while it runs):
 * <ul>
 *   <li>raw content {@code GET /{owner}/{repo}/{ref}/{path}} from {@code root/raw/{owner}/{repo}/{ref}/{path}}
 *       (refs may contain '/': the URL path maps straight onto the directory tree); missing: 404 {@code 404: Not Found};</li>
 *   <li>release downloads {@code GET /{owner}/{repo}/releases/download/{tag}/{asset}} from
 *       {@code root/releases/{owner}/{repo}/{tag}/{asset}}: like github.com, a 302 redirect to another path
 *       ({@code /_objects/...}) that serves the bytes, so clients must follow redirects; missing: 404 {@code Not Found};</li>
 *   <li>zipballs {@code GET /repos/{owner}/{repo}/zipball/{ref}} built from the raw tree of that ref: like
 *       api.github.com, a 302 redirect to {@code /_codeload/{owner}/{repo}/legacy.zip/{ref}}; the archive has one top
 *       folder {@code {owner}-{repo}-{ref}/} ('/' in the ref becomes '-'; real GitHub uses a short commit id there,
 *       so clients should strip the first path element whatever it is); missing ref: 404 with GitHub's JSON body.</li>
 * </ul>
 * All three base URLs point here: see {@link #env()}. Files are served with {@code Range} support (one
 * {@code bytes=N-} or {@code bytes=N-M} range: 206 with {@code Content-Range}), like raw.githubusercontent.com and
 * GitHub's object storage; {@link #throttle} caps how fast file bodies are sent.
 */
public final class GitHubFixture implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 500;
    private volatile long bytesPerSecond;

    private GitHubFixture(Path root, HttpServer server, ExecutorService executor) {
        this.root = root;
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code root} (created if missing) on 127.0.0.1 with an ephemeral port. */
    public static GitHubFixture start(Path root) {
        try {
            Files.createDirectories(root.resolve("raw"));
            Files.createDirectories(root.resolve("releases"));
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            AtomicInteger n = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "github-fixture-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            GitHubFixture f = new GitHubFixture(root.toAbsolutePath().normalize(), server, executor);
            server.createContext("/", f::handle);
            server.setExecutor(executor);
            server.start();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the GitHub fixture on 127.0.0.1", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** MODELREG_GITHUB_URL, MODELREG_GITHUB_RAW_URL and MODELREG_GITHUB_API_URL, all {@link #baseUrl()}. */
    public Map<String, String> env() {
        return Map.of("MODELREG_GITHUB_URL", baseUrl(),
                "MODELREG_GITHUB_RAW_URL", baseUrl(),
                "MODELREG_GITHUB_API_URL", baseUrl());
    }

    public Path root() {
        return root;
    }

    /** {@code root/raw/{owner}/{repo}/{ref}}: the checkout of one ref. */
    public Path rawDir(String owner, String repo, String ref) {
        return under(root.resolve("raw"), owner + "/" + repo + "/" + ref);
    }

    /** {@code root/releases/{owner}/{repo}/{tag}}: the assets of one release. */
    public Path releaseDir(String owner, String repo, String tag) {
        return under(root.resolve("releases"), owner + "/" + repo + "/" + tag);
    }

    /** Writes (or replaces) a raw file; served from the next request on. */
    public Path putRaw(String owner, String repo, String ref, String path, byte[] content) {
        return write(under(rawDir(owner, repo, ref), path), content);
    }

    /** Writes (or replaces) a release asset; served from the next request on. */
    public Path putRelease(String owner, String repo, String tag, String asset, byte[] content) {
        return write(under(releaseDir(owner, repo, tag), asset), content);
    }

    public String rawUrl(String owner, String repo, String ref, String path) {
        return baseUrl() + "/" + owner + "/" + repo + "/" + ref + "/" + path;
    }

    public String releaseUrl(String owner, String repo, String tag, String asset) {
        return baseUrl() + "/" + owner + "/" + repo + "/releases/download/" + tag + "/" + asset;
    }

    public String zipballUrl(String owner, String repo, String ref) {
        return baseUrl() + "/repos/" + owner + "/" + repo + "/zipball/" + ref;
    }

    /** The requests served so far (method, raw path without query, status), in the order they were answered. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** The next {@code count} requests fail with {@code status} (e.g. 500, 503) and an empty body. */
    public void failNext(int count, int status) {
        this.failStatus = status;
        this.failNext.set(count);
    }

    /** From now on file bodies are sent at most {@code perSecond} bytes per second (0: unthrottled). */
    public void throttle(long perSecond) {
        this.bytesPerSecond = perSecond;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String rawPath = ex.getRequestURI().getRawPath();
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(ex, failStatus, "text/plain", new byte[0]);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                respond(ex, 405, "text/plain; charset=utf-8", "405: Method Not Allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            List<String> seg = segments(ex.getRequestURI().getPath());
            if (seg == null || seg.size() < 3) {
                notFound(ex, "text/plain; charset=utf-8", "404: Not Found");
            } else if (seg.get(0).equals("repos") && seg.size() >= 5 && seg.get(3).equals("zipball")) {
                String ref = join(seg.subList(4, seg.size()));
                if (Files.isDirectory(rawDir(seg.get(1), seg.get(2), ref))) {
                    redirect(ex, "/_codeload/" + seg.get(1) + "/" + seg.get(2) + "/legacy.zip/" + ref);
                } else {
                    notFound(ex, "application/json; charset=utf-8", "{\"message\":\"Not Found\",\"documentation_url\":"
                            + "\"https://docs.github.com/rest/repos/contents#download-a-repository-archive-zip\",\"status\":\"404\"}");
                }
            } else if (seg.get(0).equals("_codeload") && seg.size() >= 5 && seg.get(3).equals("legacy.zip")) {
                String owner = seg.get(1);
                String repo = seg.get(2);
                String ref = join(seg.subList(4, seg.size()));
                Path dir = rawDir(owner, repo, ref);
                if (!Files.isDirectory(dir)) {
                    notFound(ex, "text/plain; charset=utf-8", "404: Not Found");
                    return;
                }
                String top = owner + "-" + repo + "-" + ref.replace('/', '-');
                ex.getResponseHeaders().set("Content-Type", "application/zip");
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=" + top + ".zip");
                send(ex, 200, method.equals("HEAD") ? -1 : 0);
                if (!method.equals("HEAD")) {
                    try (OutputStream out = ex.getResponseBody()) {
                        Zipball.write(dir, top, out);
                    }
                }
            } else if (seg.size() >= 6 && seg.get(2).equals("releases") && seg.get(3).equals("download")) {
                String tag = join(seg.subList(4, seg.size() - 1));
                String asset = seg.get(seg.size() - 1);
                if (Files.isRegularFile(under(releaseDir(seg.get(0), seg.get(1), tag), asset))) {
                    redirect(ex, "/_objects/" + seg.get(0) + "/" + seg.get(1) + "/" + tag + "/" + asset);
                } else {
                    notFound(ex, "text/plain; charset=utf-8", "Not Found");
                }
            } else if (seg.get(0).equals("_objects") && seg.size() >= 5) {
                serveFile(ex, under(root.resolve("releases"), join(seg.subList(1, seg.size()))), "application/octet-stream", "Not Found");
            } else {
                serveFile(ex, under(root.resolve("raw"), join(seg)), "text/plain; charset=utf-8", "404: Not Found");
            }
        } catch (IllegalArgumentException e) {
            notFound(ex, "text/plain; charset=utf-8", "404: Not Found");
        }
    }

    private void serveFile(HttpExchange ex, Path file, String contentType, String notFoundBody) throws IOException {
        if (!Files.isRegularFile(file)) {
            notFound(ex, "text/plain; charset=utf-8", notFoundBody);
            return;
        }
        long size = Files.size(file);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(size));
            send(ex, 200, -1, size);
            return;
        }
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
            String[] se = range.substring(6).split("-", -1);
            try {
                start = Long.parseLong(se[0].trim());
                if (se.length > 1 && !se[1].isBlank()) end = Math.min(end, Long.parseLong(se[1].trim()));
            } catch (NumberFormatException e) {
                start = 0;
            }
            if (start >= size || start > end) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                send(ex, 416, -1, 0);
                return;
            }
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = end - start + 1;
        send(ex, status, length == 0 ? -1 : length, length);
        try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
            in.skipNBytes(start);
            byte[] buf = new byte[8192];
            long left = length;
            long t0 = System.nanoTime();
            long sent = 0;
            while (left > 0) {
                long rate = bytesPerSecond;
                int n = in.read(buf, 0, (int) Math.min(left, rate > 0 ? Math.max(1, Math.min(buf.length, rate / 20)) : buf.length));
                if (n < 0) break;
                out.write(buf, 0, n);
                left -= n;
                sent += n;
                if (rate > 0) {
                    out.flush();
                    long wait = t0 + (long) (sent * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) sleep(wait);
                }
            }
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void redirect(HttpExchange ex, String path) throws IOException {
        ex.getResponseHeaders().set("Location", baseUrl() + path);
        send(ex, 302, -1);
    }

    private void notFound(HttpExchange ex, String contentType, String body) throws IOException {
        respond(ex, 404, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        send(ex, status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Records the request, then sends the headers: a client never sees an answer before it is in requests(). */
    private void send(HttpExchange ex, int status, long length) throws IOException {
        send(ex, status, length, Math.max(0, length));
    }

    /** {@link #send(HttpExchange, int, long)}, recording {@code bodyBytes} as the response's size. */
    private void send(HttpExchange ex, int status, long length, long bodyBytes) throws IOException {
        synchronized (requests) {
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), status, bodyBytes));
        }
        ex.sendResponseHeaders(status, length);
    }

    /** Decoded path segments, or null if any is empty, "." or ".." (never served). */
    private static List<String> segments(String path) {
        if (path == null || !path.startsWith("/")) return null;
        List<String> out = new ArrayList<>();
        for (String s : path.substring(1).split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) return null;
            out.add(s);
        }
        return out;
    }

    private static String join(List<String> parts) {
        return String.join("/", parts);
    }

    /** {@code base.resolve(relative)} if it stays under base, else IllegalArgumentException. */
    private static Path under(Path base, String relative) {
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base.normalize()) || p.equals(base.normalize()) || relative.startsWith("/")) {
            throw new IllegalArgumentException("path escapes " + base + ": " + relative);
        }
        return p;
    }

    private static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".put-", ".tmp");
            Files.write(tmp, content);
            return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
