package dev.modelreg.consumer;

import dev.modelreg.spec.Digest;

/** Splits an OCI reference into the repository part and the tag or digest: the "REF" argument of pull. */
final class OciRefs {
    private OciRefs() {}

    record Split(String base, String ref) {}

    /** {@code REGISTRY/REPO:TAG}, {@code REGISTRY/REPO@DIGEST}, {@code oci-layout:DIR[:TAG|@DIGEST]}; no tag -> latest. */
    static Split split(String s) {
        int at = s.lastIndexOf('@');
        if (at > 0 && Digest.isDigest(s.substring(at + 1))) {
            return new Split(s.substring(0, at), s.substring(at + 1));
        }
        boolean layout = s.startsWith("oci-layout:");
        String rest = layout ? s.substring("oci-layout:".length()) : s;
        int colon = rest.lastIndexOf(':');
        int slash = rest.lastIndexOf('/');
        if (colon > slash && colon > 0) {
            String base = (layout ? "oci-layout:" : "") + rest.substring(0, colon);
            // host:port with no repository path is not a tag separator
            if (!layout && rest.indexOf('/') < 0) return new Split(s, "latest");
            return new Split(base, rest.substring(colon + 1));
        }
        if (rest.isEmpty()) throw new ConsumerException("invalid reference '" + s + "'");
        return new Split(s, "latest");
    }
}
