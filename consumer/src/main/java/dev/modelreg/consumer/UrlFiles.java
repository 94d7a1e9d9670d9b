package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Expected;
import dev.modelreg.content.ResumablePusher;
import dev.modelreg.content.Storage;
import dev.modelreg.content.DigestFetcher;
import dev.modelreg.content.RangeFetcher;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files fetched from their URLs as a source for the one copy: the files of a GitHub-mode ref, and the files a manifest
 * stores outside the registry (spec/README.md 3.14). A file is found by the hash its models.toml lists, fetched from
 * its URL over the transport (no credentials: the URL is any server's), from an offset with {@code Range} when a
 * download is resumed (a server that ignores it sends the whole file and the copy starts over; a 416 saying the file
 * ends where the partial does leaves nothing to fetch, and the partial is verified as the whole file). A file with a
 * size is refused when the answer's {@code Content-Length} says another before a byte is read. Statuses other than
 * 200/206 fail in modflow-devtools' words ({@code HTTP Error 404: Not Found}), naming the file and its URL.
 */
final class UrlFiles implements DigestFetcher {
    /** A file key, the URL it comes from and its size (null: not known). */
    record File(String key, String url, Long size) {
        File(String key, String url) {
            this(key, url, null);
        }
    }

    private final HttpTransport http;
    private final Map<Digest, File> files;
    private final String label;
    private final AtomicLong requests = new AtomicLong();

    UrlFiles(HttpTransport http, Map<Digest, File> files, String label) {
        this.http = http;
        this.files = files;
        this.label = label;
    }

    long requests() {
        return requests.get();
    }

    @Override
    public RangeFetcher.Fetched fetch(Digest digest, long offset) throws IOException {
        File f = files.get(digest);
        if (f == null) throw ContentException.notFound("no file with hash " + digest.hex() + " in " + label);
        String what = "file '" + f.key() + "' of " + label + " (" + Text.printable(f.url()) + ")";
        URI uri;
        try {
            uri = URI.create(f.url());
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(what + ": not a valid URL");
        }
        Request r = Request.get(uri, what, null).streamed();
        if (offset > 0) r = r.withHeader("Range", "bytes=" + offset + "-");
        requests.incrementAndGet();
        Response resp = http.send(r);
        try {
            if (offset > 0 && resp.status() == 206) {
                if (resp.rangeStart(-1) != offset) {
                    throw ContentException.invalid(what + ": answered a resume from byte " + offset + " with the range '"
                            + Text.printable(resp.header("Content-Range")) + "'");
                }
                checkLength(f, resp, offset, what);
                return new RangeFetcher.Fetched(resp.body(), offset);
            }
            if (offset > 0 && resp.status() == 416 && ("bytes */" + offset).equals(trim(resp.header("Content-Range")))) {
                // the file is exactly as long as the partial (a transfer cut off at its very end, or a Content-Length
                // that promised more): nothing is left to fetch, and the partial is verified as the whole file
                resp.close();
                return new RangeFetcher.Fetched(java.io.InputStream.nullInputStream(), offset);
            }
            if (resp.status() != 200) {
                // the transport's kind and retry verdict for the status, in modflow-devtools' words
                ContentException kind = resp.error();
                throw new ContentException(kind.kind(), what + ": " + GitHub.error(resp.status()), null, kind.isTransient());
            }
            checkLength(f, resp, 0, what);
            return new RangeFetcher.Fetched(resp.body(), 0);
        } catch (IOException | RuntimeException e) {
            resp.close();
            throw e;
        }
    }

    /** A declared length that is not what is left of a file with a known size: refused before its bytes are read. */
    private static void checkLength(File f, Response resp, long offset, String what) throws ContentException {
        long declared = resp.contentLength();
        if (f.size() != null && declared >= 0 && declared != f.size() - offset) {
            throw new ContentException(ContentException.Kind.SIZE_MISMATCH, what + ": size mismatch: the server"
                    + " declares " + (offset + declared) + " bytes, models.toml says " + f.size(), null, false);
        }
    }

    /**
     * Copies {@code files} (hash -> key, URL, size) from their URLs into {@code dst} through the one copy, verified
     * against their hashes (and sizes, when known), with {@code o}'s sinks and listener; counts the requests.
     */
    static <S extends Storage & ResumablePusher> void copy(HttpTransport http, Map<Digest, File> files, S dst,
            CopyOptions o, String label, AtomicLong requests) throws IOException {
        UrlFiles src = new UrlFiles(http, files, label);
        Map<Digest, Long> sizes = new HashMap<>();
        files.forEach((d, f) -> {
            if (f.size() != null) sizes.put(d, f.size());
        });
        try {
            Copy.files(src, files.keySet(), sizes, dst, Expected.MAX_UNSIZED, o);
        } finally {
            requests.addAndGet(src.requests());
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    @Override
    public String name() {
        return label;
    }

    @Override
    public String describe(Digest digest) {
        File f = files.get(digest);
        return f == null ? DigestFetcher.super.describe(digest) : "file '" + f.key() + "' of " + label + " (" + Text.printable(f.url()) + ")";
    }
}
