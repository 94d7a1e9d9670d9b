package dev.modelreg.content;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifests that name a manifest as their {@code subject} (signatures, SBOMs, attestations), found the ways of
 * the OCI distribution spec 1.1: the referrers API where the store has it, else the referrers tag scheme (an image
 * index tagged {@code ALG-HEX}, which clients maintain on registries without the API, such as distribution 2.8); in
 * a layout or archive also the untagged entries of its index.json whose manifests name the subject (what oras-go's
 * OCI store writes). How a store finds them is its capability ({@link ReferrerLister}); a store without it is asked
 * for the tag. Read only and bounded: an index within the manifest limit, verified against its digest, at most
 * {@link Limits#MAX_REFERRERS} entries. Writing them is {@link ReferrerIndex}; walking referrers of referrers is
 * {@link #tree}.
 */
public final class Referrers {
    private Referrers() {}

    /** How the list was found: the API, the tag scheme, a layout's or archive's index.json entries, or none of them. */
    public enum Via { API, TAG, INDEX, NONE }

    /** One referrer: its descriptor and artifactType (from the index entry; "" when the entry has none). */
    public record Referrer(Descriptor descriptor, String artifactType) {}

    /**
     * @param apiSupported true: the store answered the referrers API; false: it does not support it (404); null: the
     *                     store has no API (an OCI layout or archive)
     * @param tag          the referrers tag the scheme uses for this subject
     */
    public record Found(Via via, Boolean apiSupported, String tag, List<Referrer> referrers) {}

    /** A referrer with the referrers found for it in turn ({@link #tree}). */
    public record Node(Referrer referrer, List<Node> referrers) {}

    /** The referrers tag of the OCI distribution spec 1.1: {@code ALG-HEX} (HEX cut to 64 characters). */
    public static String tagOf(Digest subject) {
        String hex = subject.hex();
        return subject.algorithm() + "-" + (hex.length() > 64 ? hex.substring(0, 64) : hex);
    }

    /** Whether {@code tag} has the shape of a referrers tag ({@code sha256-} and 64 lower-case hex digits). */
    public static boolean isReferrersTag(String tag) {
        return tag.length() == 71 && tag.startsWith(Digest.SHA256 + "-") && Digest.isDigest(Digest.SHA256 + ":" + tag.substring(7));
    }

    /** The subject a referrers tag names ({@link #isReferrersTag}). */
    public static Digest subjectOfTag(String tag) {
        return Digest.parse(Digest.SHA256 + ":" + tag.substring(7));
    }

    /** The referrers of {@code subject} in {@code t}: its own way ({@link ReferrerLister}), else the tag scheme. */
    public static Found of(ReadOnlyTarget t, Digest subject) throws IOException {
        return t instanceof ReferrerLister l ? l.referrers(subject) : byTag(t, subject, null);
    }

    /**
     * The referrers of {@code subject} in {@code t}, and theirs, breadth first: the tree under it (each referrer's
     * entry as its subject's list gave it). Bounded as a copy's walk is ({@link Limits#MAX_REFERRERS} per list, at
     * most {@link Limits#MAX_GRAPH_MANIFESTS} in all, {@link Limits#MAX_GRAPH_DEPTH} levels); a referrer listed twice
     * in the tree (a loop) is INVALID.
     */
    public static List<Node> tree(ReadOnlyTarget t, Descriptor subject) throws IOException {
        Map<Digest, List<Node>> children = new LinkedHashMap<>();
        List<Node> top = new ArrayList<>();
        children.put(subject.digest(), top);
        ReferrerWalk.walk(t, subject, d -> false, d -> of(t, d), (s, r, level) -> {
            List<Node> mine = new ArrayList<>();
            children.put(r.descriptor().digest(), mine);
            children.get(s).add(new Node(r, mine));
        });
        return top;
    }

    /** The tag scheme alone: the index tagged {@link #tagOf} in {@code t}, if any; {@code api} as the store found it. */
    public static Found byTag(ReadOnlyTarget t, Digest subject, Boolean api) throws IOException {
        String tag = tagOf(subject);
        Descriptor d;
        try {
            d = t.resolve(tag);
        } catch (ContentException e) {
            if (e.kind() == ContentException.Kind.NOT_FOUND) return new Found(Via.NONE, api, tag, List.of());
            throw e;
        }
        String what = t.name() + ": referrers tag '" + tag + "' (" + d.digest() + ")";
        return new Found(Via.TAG, api, tag, parse(Manifests.read(t, d, what), what));
    }

    /**
     * A layout's or archive's referrers of {@code subject}: its referrers tag, and the untagged manifests among
     * {@code entries} (its index.json) whose {@code subject} is it, each read verified; those read come to at most
     * {@link Limits#MAX_GRAPH_MANIFEST_BYTES}.
     */
    public static Found inIndex(ReadOnlyTarget t, Digest subject, List<Descriptor> entries) throws IOException {
        Found tagged = byTag(t, subject, null);
        List<Referrer> out = new ArrayList<>(tagged.referrers());
        long read = 0;
        boolean found = false;
        for (Descriptor e : entries) {
            if (e.annotation(Annotations.REF_NAME) != null || !MediaTypes.OCI_MANIFEST.equals(e.mediaType())) continue;
            if (out.stream().anyMatch(r -> r.descriptor().digest().equals(e.digest()))) continue;
            read += e.size();
            String what = t.name() + ": index.json entry " + e.digest();
            if (read > Limits.MAX_GRAPH_MANIFEST_BYTES) {
                throw ContentException.invalid(what + ": the untagged manifests of " + t.name() + " come to more than "
                        + Limits.MAX_GRAPH_MANIFEST_BYTES + " bytes, the limit for listing referrers");
            }
            byte[] b = Manifests.read(t, e, what);
            Descriptor s = ReferrerIndex.subjectOf(b, what);
            if (s == null || !s.digest().equals(subject)) continue;
            if (out.size() >= Limits.MAX_REFERRERS) {
                throw ContentException.invalid(t.name() + ": the referrers of " + subject + " are more than "
                        + Limits.MAX_REFERRERS + ", the limit");
            }
            out.add(new Referrer(e, ReferrerIndex.artifactTypeOf(b, what)));
            found = true;
        }
        Via via = tagged.via() == Via.TAG ? Via.TAG : found ? Via.INDEX : Via.NONE;
        return new Found(via, null, tagged.tag(), out);
    }

    /** The entries of a referrers index: descriptors with their artifactType, at most {@link Limits#MAX_REFERRERS}. */
    public static List<Referrer> parse(byte[] index, String what) throws ContentException {
        try {
            Map<String, Object> m = Json.parseObject(index, what);
            Object mt = m.get("mediaType");
            if (mt != null && !MediaTypes.OCI_INDEX.equals(mt)) {
                throw new IllegalArgumentException(what + ": not an image index (mediaType " + Text.printable(String.valueOf(mt)) + ")");
            }
            List<Referrer> out = new ArrayList<>();
            if (!(m.get("manifests") instanceof List<?> l)) return out;
            Limits.checkCount(l.size(), Limits.MAX_REFERRERS, what, "referrers");
            for (int i = 0; i < l.size(); i++) {
                Descriptor d = Manifest.descriptorFrom(l.get(i), what + " entry " + i);
                Object at = l.get(i) instanceof Map<?, ?> e ? e.get("artifactType") : null;
                out.add(new Referrer(d, at instanceof String s ? s : ""));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }
}
