package dev.modelreg.consumer;

import dev.modelreg.spec.Digest;

/** Splits an OCI reference into the repository part and the tag or digest: the "REF" argument of pull. */
final class OciRefs {
    private OciRefs() {}

    record Split(String base, String ref) {}

    /**
     * {@code REGISTRY/REPO:TAG}, {@code REGISTRY/REPO@DIGEST}, {@code oci-layout:DIR[:TAG|@DIGEST]},
     * {@code oci-archive:FILE[:TAG|@DIGEST]}; no tag -> latest.
     */
    static Split split(String s) {
        int at = s.lastIndexOf('@');
        if (at > 0 && Digest.isDigest(s.substring(at + 1))) {
            return new Split(s.substring(0, at), s.substring(at + 1));
        }
        String prefix = s.startsWith("oci-layout:") ? "oci-layout:" : s.startsWith("oci-archive:") ? "oci-archive:" : null;
        boolean local = prefix != null;
        String rest = local ? s.substring(prefix.length()) : s;
        int colon = rest.lastIndexOf(':');
        int slash = rest.lastIndexOf('/');
        if (colon > slash && colon > 0) {
            String base = (local ? prefix : "") + rest.substring(0, colon);
            // host:port with no repository path is not a tag separator
            if (!local && rest.indexOf('/') < 0) return new Split(s, "latest");
            return new Split(base, rest.substring(colon + 1));
        }
        if (rest.isEmpty()) throw new ConsumerException("invalid reference '" + s + "'");
        return new Split(s, "latest");
    }

    /** True for the local ends, whose text may contain '@' in a path: {@code oci-layout:} and {@code oci-archive:}. */
    static boolean isLocal(String s) {
        return s.startsWith("oci-layout:") || s.startsWith("oci-archive:");
    }
}
