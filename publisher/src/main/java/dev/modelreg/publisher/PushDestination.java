package dev.modelreg.publisher;

import dev.modelreg.spec.Reference;

/** Where a push goes: the store (no tag) and the tag (null if none). */
record PushDestination(Reference target, String tag) {
    static PushDestination of(Reference ref) throws PublishException {
        if (ref == null) throw PublishException.invalid("no destination: want REGISTRY/REPOSITORY[:TAG], oci-layout:DIR[:TAG] or oci-archive:FILE[:TAG]");
        if (ref.digest() != null) throw PublishException.invalid("push needs a tag, not a digest: '" + ref + "'");
        return new PushDestination(ref.withTag(null), ref.tag());
    }
}
