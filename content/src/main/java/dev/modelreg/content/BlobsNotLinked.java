package dev.modelreg.content;

import java.util.List;
import java.util.Set;

/**
 * A registry refused a manifest because it could not see a blob the manifest references in this repository (400
 * with MANIFEST_BLOB_UNKNOWN, BLOB_UNKNOWN or DIGEST_INVALID). Worth one more look rather than a failure: while
 * another push of the same blobs commits them, distribution 2.8 rewrites each blob's repository link (truncate, then
 * write) and a manifest PUT that reads the link meanwhile gets DIGEST_INVALID; an upload that never linked gives
 * MANIFEST_BLOB_UNKNOWN. {@link Copy} re-checks the manifest's blobs, uploads the missing ones and tries again.
 * Kind and message are the registry's refusal, unchanged.
 */
public final class BlobsNotLinked extends ContentException {
    /** The codes that mean "a referenced blob is not (yet) visible in this repository". */
    private static final Set<String> CODES = Set.of("MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN", "DIGEST_INVALID");

    public BlobsNotLinked(ContentException refusal) {
        super(refusal.kind(), refusal.getMessage(), refusal.getCause(), false);
    }

    /** True if a manifest PUT answered {@code status} with these error codes is this refusal. */
    public static boolean is(int status, List<String> codes) {
        return status == 400 && codes.stream().anyMatch(CODES::contains);
    }
}
