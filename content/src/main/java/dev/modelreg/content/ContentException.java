package dev.modelreg.content;

import java.io.IOException;

/**
 * The one checked error of the content layer and its transport; {@link #kind()} says what went wrong, the message
 * says it in one line (naming the endpoint and the content). {@link #isTransient()} marks failures that may pass
 * when tried again (a reset connection, a stall, 429, 502, 503, 504): the transport and the copy retry those.
 */
public class ContentException extends IOException {
    public enum Kind {
        /** The content, tag or repository is not there (HTTP 404, a missing file). */
        NOT_FOUND,
        /** Content whose digest is not what was asked for. */
        DIGEST_MISMATCH,
        /** Content whose size is not what was asked for. */
        SIZE_MISMATCH,
        /** Authentication needed and missing, or credentials rejected (HTTP 401). */
        UNAUTHORIZED,
        /** Authenticated, but not allowed (HTTP 403). */
        DENIED,
        /** Malformed input or a refused request: a bad reference, a bad manifest, an HTTP status we do not expect. */
        INVALID,
        /** The peer could not be reached or did not answer in time, or answered 429/5xx. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final boolean transientFailure;

    public ContentException(Kind kind, String message) {
        this(kind, message, null, false);
    }

    public ContentException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    public ContentException(Kind kind, String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.kind = kind;
        this.transientFailure = transientFailure;
    }

    public Kind kind() {
        return kind;
    }

    /** True if trying again may succeed (the same request on a new connection, or a resumed download). */
    public boolean isTransient() {
        return transientFailure;
    }

    public static ContentException notFound(String message) {
        return new ContentException(Kind.NOT_FOUND, message);
    }

    public static ContentException invalid(String message) {
        return new ContentException(Kind.INVALID, message);
    }
}
