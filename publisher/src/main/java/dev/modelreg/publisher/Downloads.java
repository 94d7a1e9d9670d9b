package dev.modelreg.publisher;

import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.Expected;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.auth.CredentialSource;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Downloads a zip (a repository zipball or a release asset) over the one transport and unpacks it safely. */
final class Downloads {
    private Downloads() {}

    /**
     * GETs {@code url} into {@code target} (streamed, redirects by the transport's rules); non-200 is a one-line
     * error. A GitHub token found by {@code credentials} for the URL's host is sent over https only (and, by the
     * transport's rule, never to another host a redirect leads to).
     */
    static void download(String url, Path target, HttpTransport http, CredentialSource credentials) throws IOException {
        URI uri = URI.create(url);
        Request r = Request.get(uri, "download " + url, null).streamed();
        if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
            CredentialSource.Lookup l = credentials.find(uri.getHost(), null);
            if (l.found()) r = r.withHeader("Authorization", l.credential().bearerHeader());
        }
        try (Response resp = http.send(r)) {
            if (resp.status() != 200) throw new IOException("GET " + url + ": HTTP " + resp.status());
            InputStream in = resp.body();
            AtomicFiles.write(target, out -> copyBounded(in, out, url));
        }
    }

    private static void copyBounded(InputStream in, OutputStream out, String url) throws IOException {
        byte[] buf = new byte[256 << 10];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
            if (total > Expected.MAX_UNSIZED) {
                throw new ContentException(ContentException.Kind.SIZE_MISMATCH, "GET " + url + ": more than the limit of "
                        + Expected.MAX_UNSIZED + " bytes");
            }
            out.write(buf, 0, n);
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
                try (InputStream in = zf.getInputStream(e); var os = SafeFiles.newOutputStream(out)) {
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
