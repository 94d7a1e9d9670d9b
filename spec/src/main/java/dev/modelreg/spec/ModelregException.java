package dev.modelreg.spec;

import java.io.IOException;

/**
 * The one failure type of modelreg's libraries: every failure of spec, content, publisher and consumer is one of
 * these (or a subclass), with a {@link #kind()} that says what went wrong and a one-line message naming what is at
 * fault (the endpoint, the file, the source and ref). {@link #isTransient()} marks failures that may pass when
 * tried again (a reset connection, a stall, HTTP 429/502/503/504). The command line's exit codes follow from the kind.
 */
public class ModelregException extends IOException {
    /** What went wrong. */
    public enum Kind {
        /** The content, tag, repository, source, ref, model or file is not there (HTTP 404, a missing file). */
        NOT_FOUND,
        /** Content whose digest is not what was asked for. */
        DIGEST_MISMATCH,
        /** Content whose size is not what was asked for. */
        SIZE_MISMATCH,
        /** Authentication needed and missing, or credentials rejected (HTTP 401). */
        UNAUTHORIZED,
        /** Authenticated, but not allowed (HTTP 403). */
        DENIED,
        /** Malformed input or a refused request: a bad reference, models.toml or manifest, an unexpected HTTP status. */
        INVALID,
        /** The peer could not be reached or did not answer in time, or answered 429/5xx; or offline and not cached. */
        UNAVAILABLE,
        /**
         * The state is not what the request was based on: a tag that points elsewhere than the digest it was expected
         * at, or exists where it was expected not to (a promotion from a stale view). Nothing was changed.
         */
        CONFLICT
    }

    private final Kind kind;
    private final boolean transientFailure;

    public ModelregException(Kind kind, String message) {
        this(kind, message, null, false);
    }

    public ModelregException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    public ModelregException(Kind kind, String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.kind = kind == null ? Kind.INVALID : kind;
        this.transientFailure = transientFailure;
    }

    public Kind kind() {
        return kind;
    }

    /** True if trying again may succeed (the same request on a new connection, or a resumed download). */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The kind of the first {@code ModelregException} in {@code t}'s cause chain, else {@link Kind#INVALID}. */
    public static Kind kindOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ModelregException x) return x.kind();
        }
        return Kind.INVALID;
    }
}
