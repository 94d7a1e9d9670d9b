package dev.modelreg.publisher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Downloads a zip (a repository zipball or a release asset) and unpacks it safely. */
final class Downloads {
    private Downloads() {}

    /** GETs {@code url} into {@code target} (streamed, following redirects); non-200 is a one-line error. */
    static void download(String url, Path target, Map<String, String> env) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url)).GET().header("User-Agent", "modelreg");
        String token = env.get("GITHUB_TOKEN");
        String host = URI.create(url).getHost();
        if (token != null && !token.isBlank() && host != null && (host.equals("github.com") || host.endsWith(".github.com"))) {
            rb.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("GET " + url + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException("GET " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("GET " + url + ": HTTP " + resp.statusCode());
            }
            Path tmp = dev.modelreg.content.AtomicFiles.tempFile(target.getParent(), "download-", ".partial");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Unpacks {@code zip} into {@code dest}. With {@code stripTop}, the single top-level folder of every member
     * (a GitHub zipball's {@code owner-repo-sha/}) is removed. Members that would land outside {@code dest}
     * (absolute paths, "..") are an error naming the member.
     */
    static void unzip(Path zip, Path dest, boolean stripTop, String what) throws IOException {
        Path base = dest.toAbsolutePath().normalize();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            String top = stripTop ? singleTop(zf, what) : null;
            Enumeration<? extends ZipEntry> en = zf.entries();
            byte[] buf = new byte[64 * 1024];
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                String name = e.getName().replace('\\', '/');
                if (top != null) {
                    name = name.substring(top.length());
                    if (name.isEmpty()) continue;
                }
                Path out = base.resolve(name).normalize();
                if (!out.startsWith(base) || name.startsWith("/") || out.equals(base)) {
                    if (out.equals(base) && e.isDirectory()) continue;
                    throw new IOException(what + ": member '" + e.getName() + "' would be written outside the target directory");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zf.getInputStream(e); var os = Files.newOutputStream(out)) {
                    for (int r; (r = in.read(buf)) >= 0; ) os.write(buf, 0, r);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(what + ": not a valid zip file (" + e.getMessage() + ")", e);
        }
    }

    private static String singleTop(ZipFile zf, String what) throws IOException {
        String top = null;
        Enumeration<? extends ZipEntry> en = zf.entries();
        while (en.hasMoreElements()) {
            String name = en.nextElement().getName().replace('\\', '/');
            int slash = name.indexOf('/');
            if (slash <= 0) throw new IOException(what + ": expected a single top-level folder, found '" + name + "'");
            String t = name.substring(0, slash + 1);
            if (top == null) top = t;
            else if (!top.equals(t)) {
                throw new IOException(what + ": expected a single top-level folder, found '" + top + "' and '" + t + "'");
            }
        }
        if (top == null) throw new IOException(what + ": the zip file is empty");
        return top;
    }
}
