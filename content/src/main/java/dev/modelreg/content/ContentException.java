package dev.modelreg.content;

import java.io.IOException;

/** The one checked error of the content layer; {@link #kind()} says what went wrong, the message says it in one line. */
public class ContentException extends IOException {
    public enum Kind {
        NOT_FOUND,
        DIGEST_MISMATCH,
        SIZE_MISMATCH,
        UNAUTHORIZED,
        DENIED,
        INVALID,
        UNAVAILABLE
    }

    private final Kind kind;

    public ContentException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ContentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ContentException notFound(String message) {
        return new ContentException(Kind.NOT_FOUND, message);
    }
}
