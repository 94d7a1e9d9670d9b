package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifests that name a manifest as their {@code subject} (signatures, SBOMs, attestations), found the two ways of
 * the OCI distribution spec 1.1: the referrers API where the store has it ({@link ReferrersApi}), else the referrers
 * tag scheme (an image index tagged {@code ALG-HEX}, which clients maintain on registries without the API, such as
 * distribution 2.8). Read only: an index within the manifest limit, verified against its digest; nothing is written.
 */
public final class Referrers {
    private Referrers() {}

    /** How the list was found: the API, the tag scheme (no API, or a layout or archive), or neither. */
    public enum Via { API, TAG, NONE }

    /** One referrer: its descriptor and artifactType (from the index entry; "" when the entry has none). */
    public record Referrer(Descriptor descriptor, String artifactType) {}

    /**
     * @param apiSupported true: the store answered the referrers API; false: it does not support it (404); null: the
     *                     store has no API (an OCI layout or archive)
     * @param tag          the referrers tag the scheme uses for this subject
     */
    public record Found(Via via, Boolean apiSupported, String tag, List<Referrer> referrers) {}

    /** The referrers tag of the OCI distribution spec 1.1: {@code ALG-HEX} (HEX cut to 64 characters). */
    public static String tagOf(Digest subject) {
        String hex = subject.hex();
        return subject.algorithm() + "-" + (hex.length() > 64 ? hex.substring(0, 64) : hex);
    }

    /** The referrers of {@code subject} in {@code t}: through the API when it has one and answers, else the tag scheme. */
    public static Found of(ReadOnlyTarget t, Digest subject) throws IOException {
        String tag = tagOf(subject);
        Boolean api = null;
        if (t instanceof ReferrersApi r) {
            byte[] index = r.referrersIndex(subject);
            if (index != null) return new Found(Via.API, true, tag, parse(index, t.name() + ": referrers of " + subject));
            api = false;
        }
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

    /** The entries of a referrers index: descriptors with their artifactType, at most {@link Limits#MAX_INDEX_ENTRIES}. */
    static List<Referrer> parse(byte[] index, String what) throws ContentException {
        try {
            Map<String, Object> m = Json.parseObject(index, what);
            Object mt = m.get("mediaType");
            if (mt != null && !MediaTypes.OCI_INDEX.equals(mt)) {
                throw new IllegalArgumentException(what + ": not an image index (mediaType " + dev.modelreg.spec.Text.printable(String.valueOf(mt)) + ")");
            }
            List<Referrer> out = new ArrayList<>();
            if (!(m.get("manifests") instanceof List<?> l)) return out;
            Limits.checkCount(l.size(), Limits.MAX_INDEX_ENTRIES, what, "manifests");
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
