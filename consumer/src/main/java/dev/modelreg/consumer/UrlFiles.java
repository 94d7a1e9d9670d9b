package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestFetcher;
import dev.modelreg.content.RangeFetcher;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files of a GitHub-mode ref as a source for the one copy: a file is found by the hash its models.toml lists,
 * fetched from its URL over the transport, from an offset with {@code Range} when a download is resumed (a server
 * that ignores it sends the whole file and the copy starts over; a 416 saying the file ends where the partial does
 * leaves nothing to fetch, and the partial is verified as the whole file). Statuses other than 200/206 fail in
 * modflow-devtools' words ({@code HTTP Error 404: Not Found}), naming the file and its URL.
 */
final class GitHubFiles implements DigestFetcher {
    /** A file key and the URL it comes from. */
    record File(String key, String url) {}

    private final HttpTransport http;
    private final Map<Digest, File> files;
    private final String label;
    private final AtomicLong requests = new AtomicLong();

    GitHubFiles(HttpTransport http, Map<Digest, File> files, String label) {
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
            return new RangeFetcher.Fetched(resp.body(), 0);
        } catch (IOException | RuntimeException e) {
            resp.close();
            throw e;
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
