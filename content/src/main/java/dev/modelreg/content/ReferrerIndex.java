package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Making referrers findable in a store that does not find them itself (OCI distribution spec 1.1, "Pushing Manifests
 * with Subject"): a registry that answers the referrers API indexes a manifest with a {@code subject} when it stores
 * it, and nothing is written; anywhere else (a registry without the API such as distribution 2.8, a layout, an
 * archive) the image index tagged {@code ALG-HEX} of the subject ({@link Referrers#tagOf}) lists them: the one there is
 * read (verified, bounded), the referrers it lacks are appended to its entries (each with the referrer's
 * artifactType and annotations, as the API lists them), and the new index is pushed and tagged. A referrer it lists
 * already is not written again, so a second run writes nothing. Two writers adding referrers of one subject at once
 * may lose one's entry (the scheme has no lock); the next run adds it back.
 */
public final class ReferrerIndex {
    private ReferrerIndex() {}

    /** The {@code subject} a manifest or index names, or null; a malformed one is INVALID naming {@code what}. */
    public static Descriptor subjectOf(byte[] manifest, String what) throws ContentException {
        Map<String, Object> m = object(manifest, what);
        Object s = m.get("subject");
        if (s == null) return null;
        try {
            return Manifest.descriptorFrom(s, what + " subject");
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** A referrer's artifactType as the referrers API gives it: its {@code artifactType}, else its config's mediaType. */
    static String artifactTypeOf(byte[] manifest, String what) throws ContentException {
        Map<String, Object> m = object(manifest, what);
        if (m.get("artifactType") instanceof String s && !s.isEmpty()) return s;
        return m.get("config") instanceof Map<?, ?> c && c.get("mediaType") instanceof String s ? s : "";
    }

    /** The entry of referrer {@code d} (of bytes {@code manifest}) in a referrers index. */
    static Map<String, Object> entryOf(Descriptor d, byte[] manifest, String what) throws ContentException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("mediaType", d.mediaType());
        e.put("digest", d.digest().toString());
        e.put("size", d.size());
        String type = artifactTypeOf(manifest, what);
        if (!type.isEmpty()) e.put("artifactType", type);
        if (object(manifest, what).get("annotations") instanceof Map<?, ?> a && !a.isEmpty()) {
            Map<String, Object> sorted = new TreeMap<>();
            a.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            e.put("annotations", sorted);
        }
        return e;
    }

    /**
     * Makes {@code referrers} of {@code subject}, stored in {@code dst} already ({@code bytes}: each one's manifest),
     * findable there: nothing where {@code dst} answers the referrers API, else the referrers tag's index gets the
     * ones it lacks. Returns the number of entries added.
     */
    public static int link(Target dst, Digest subject, List<Descriptor> referrers, Map<Digest, byte[]> bytes)
            throws IOException {
        if (dst instanceof ReferrersApi api && api.referrersIndex(subject) != null) return 0;
        String tag = Referrers.tagOf(subject);
        String what = dst.name() + ": referrers tag '" + tag + "'";
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Object> entries = new ArrayList<>();
        Set<Digest> present = new HashSet<>();
        try {
            Descriptor current = dst.resolve(tag);
            byte[] b = Manifests.read(dst, current, what + " (" + current.digest() + ")");
            doc = object(b, what);
            for (Referrers.Referrer r : Referrers.parse(b, what)) present.add(r.descriptor().digest());
            if (doc.get("manifests") instanceof List<?> l) entries.addAll(l);
        } catch (ContentException e) {
            if (e.kind() != ContentException.Kind.NOT_FOUND) throw e;
        }
        int added = 0;
        for (Descriptor r : referrers) {
            if (!present.add(r.digest())) continue;
            entries.add(entryOf(r, bytes.get(r.digest()), "manifest " + r.digest()));
            added++;
        }
        if (added == 0) return 0;
        if (entries.size() > Limits.MAX_REFERRERS) {
            throw ContentException.invalid(what + " would list " + entries.size() + " referrers, more than the limit of "
                    + Limits.MAX_REFERRERS);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schemaVersion", 2L);
        out.put("mediaType", MediaTypes.OCI_INDEX);
        out.put("manifests", entries);
        doc.forEach(out::putIfAbsent);
        byte[] index = Json.writeBytes(out);
        Descriptor d = Descriptor.of(MediaTypes.OCI_INDEX, Digest.sha256Of(index), index.length);
        dst.push(d, new ByteArrayInputStream(index));
        dst.tag(d, tag);
        return added;
    }

    private static Map<String, Object> object(byte[] manifest, String what) throws ContentException {
        try {
            return Json.parseObject(manifest, what);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }
}
