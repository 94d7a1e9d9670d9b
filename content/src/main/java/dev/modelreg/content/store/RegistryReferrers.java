package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Referrers;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry's referrers API ({@code GET /v2/NAME/referrers/DIGEST}, distribution spec 1.1 "Listing Referrers"), read
 * page by page within bounds: each page an image index of at most the manifest limit, {@code Link: <URL>; rel="next"}
 * followed on the same origin only, at most {@link Limits#MAX_TAG_PAGES} pages and {@link Limits#MAX_REFERRERS}
 * referrers in all.
 */
final class RegistryReferrers {
    private RegistryReferrers() {}

    /** A page: its bytes and the next page's URL (null: the last). */
    record Page(byte[] bytes, URI next) {}

    interface Sender {
        Response send(Request r) throws ContentException;
    }

    interface Pages {
        Page page(URI uri, String what) throws IOException;
    }

    /** One page at {@code uri}, or null when the registry answers 404 (on a first page: it has no referrers API). */
    static Page page(URI base, String name, URI uri, String what, Sender send) throws IOException {
        Request r = Request.get(uri, what, name).withHeader("Accept", MediaTypes.OCI_INDEX);
        try (Response resp = send.send(r)) {
            if (resp.status() == 404) return null;
            if (resp.status() != 200) throw resp.error();
            return new Page(resp.bytes(Limits.MAX_MANIFEST_BYTES), TagList.nextPage(base, name, resp.header("Link"), what));
        }
    }

    /** Every referrer from {@code first} on. */
    static Referrers.Found all(Page first, Digest subject, String name, Pages pages) throws IOException {
        String what = name + ": referrers of " + subject;
        List<Referrers.Referrer> all = new ArrayList<>(Referrers.parse(first.bytes(), what));
        Page p = first;
        for (int page = 2; p.next() != null; page++) {
            if (page > Limits.MAX_TAG_PAGES) {
                throw ContentException.invalid(what + " come in more than " + Limits.MAX_TAG_PAGES + " pages, the limit");
            }
            String at = what + " (page " + page + ")";
            p = pages.page(p.next(), at);
            if (p == null) throw ContentException.notFound(at + ": not found");
            all.addAll(Referrers.parse(p.bytes(), at));
            if (all.size() > Limits.MAX_REFERRERS) {
                throw ContentException.invalid(what + " are more than " + Limits.MAX_REFERRERS + ", the limit");
            }
        }
        return new Referrers.Found(Referrers.Via.API, true, Referrers.tagOf(subject), all);
    }
}
