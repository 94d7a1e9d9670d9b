package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A registry repository's tag list ({@code GET /v2/NAME/tags/list}), read page by page within bounds. */
final class TagList {
    private TagList() {}

    /** Sends a request of the tag list, with the repository's pull scope. */
    interface Sender {
        Response send(Request r) throws ContentException;
    }

    /**
     * The tags of repository {@code name} at {@code base} ({@code GET tags/list?n=1000}, following
     * {@code Link: <...>; rel="next"} on the same origin), in the registry's order, duplicates dropped. Bounded: more
     * than {@link Limits#MAX_TAGS} tags or {@link Limits#MAX_TAG_PAGES} pages is refused (INVALID), each page is at
     * most {@link Limits#MAX_MANIFEST_BYTES}. A repository the registry does not know is NOT_FOUND.
     */
    static List<String> read(URI base, String name, Sender send) throws IOException {
        return read(base, base.resolve("tags/list?n=1000"), name, send, "tags", "tag list", "tag", OciReference::isTag,
                ": name the tags to copy");
    }

    /**
     * A paged list of names, {@code key} of each page's JSON object, from {@code first} on (following
     * {@code Link: <...>; rel="next"} on the origin of {@code base}), in the registry's order, duplicates dropped,
     * each name {@code valid} (else: an invalid {@code one}); bounded as the tag list ({@link Limits#MAX_TAGS} names, {@link Limits#MAX_TAG_PAGES}
     * pages, each at most {@link Limits#MAX_MANIFEST_BYTES}; {@code hint} ends the refusal of a longer one).
     */
    static List<String> read(URI base, URI first, String name, Sender send, String key, String list, String one,
                             java.util.function.Predicate<String> valid, String hint) throws IOException {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        URI next = first;
        for (int page = 0; next != null; page++) {
            if (page >= Limits.MAX_TAG_PAGES) {
                throw ContentException.invalid(name + ": the " + list + " has more than " + Limits.MAX_TAG_PAGES
                        + " pages (the limit)" + hint);
            }
            String what = list + " (page " + (page + 1) + ")";
            Map<String, Object> doc;
            String link;
            try (Response r = send.send(Request.get(next, what, name))) {
                if (r.status() != 200) throw r.error();
                link = r.header("Link");
                try {
                    doc = Json.parseObject(r.bytes(Limits.MAX_MANIFEST_BYTES), name + " " + what);
                } catch (IllegalArgumentException e) {
                    throw ContentException.invalid(e.getMessage());
                }
            }
            Object t = doc.get(key);
            if (t != null && !(t instanceof List<?>)) throw ContentException.invalid(name + " " + what + ": '" + key + "' is not a list");
            if (t instanceof List<?> l) {
                for (Object o : l) {
                    if (!(o instanceof String s) || !valid.test(s)) {
                        throw ContentException.invalid(name + " " + what + ": invalid " + one + " '" + Text.printable(String.valueOf(o)) + "'");
                    }
                    out.add(s);
                    if (out.size() > Limits.MAX_TAGS) {
                        throw ContentException.invalid(name + " lists more than " + Limits.MAX_TAGS + " " + key + " (the limit)" + hint);
                    }
                }
            }
            next = nextPage(base, name, link, what);
        }
        return new ArrayList<>(out);
    }

    /** The {@code rel="next"} target of a Link header, resolved against this repository's origin; null at the end. */
    static URI nextPage(URI base, String name, String link, String what) throws ContentException {
        if (link == null || !link.contains("rel=\"next\"")) return null;
        int lt = link.indexOf('<');
        int gt = link.indexOf('>', lt + 1);
        if (lt < 0 || gt < 0) throw ContentException.invalid(name + " " + what + ": bad Link header '" + Text.printable(link) + "'");
        URI u;
        try {
            u = base.resolve(link.substring(lt + 1, gt).trim());
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(name + " " + what + ": bad Link header '" + Text.printable(link) + "'");
        }
        if (!HttpTransport.sameOrigin(base, u)) {
            throw ContentException.invalid(name + " " + what + ": Link to another host (" + Text.printable(u.toString()) + "): refused");
        }
        return u;
    }
}
