package dev.modelreg.content;

import dev.modelreg.spec.ModelregException;

/**
 * A failure of the content layer and its transport (a {@link ModelregException}): {@link #kind()} says what went
 * wrong, the message says it in one line (naming the endpoint and the content). {@link #isTransient()} failures (a
 * reset connection, a stall, 429, 502, 503, 504) are retried by the transport and the copy.
 */
public class ContentException extends ModelregException {
    public ContentException(Kind kind, String message) {
        super(kind, message);
    }

    public ContentException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    public ContentException(Kind kind, String message, Throwable cause, boolean transientFailure) {
        super(kind, message, cause, transientFailure);
    }

    public static ContentException notFound(String message) {
        return new ContentException(Kind.NOT_FOUND, message);
    }

    public static ContentException invalid(String message) {
        return new ContentException(Kind.INVALID, message);
    }
}
