package dev.modelreg.publisher;

import dev.modelreg.spec.ModelregException;

/**
 * A publisher failure (a {@link ModelregException}): a request that cannot be published as given, with a one-line
 * message naming what is at fault (the directory, the file, the option, the destination) and its {@link Kind}
 * ({@link Kind#INVALID} for bad input: a missing model name prefix, a tree with no models, a bad creation time, a
 * destination that names a digest). Failures of the transfer itself are the content layer's kinds.
 */
public class PublishException extends ModelregException {
    /** A failure of {@code kind} with a one-line {@code message}, caused by {@code cause} (or null). */
    public PublishException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** Bad input: {@link Kind#INVALID}. */
    static PublishException invalid(String message) {
        return new PublishException(Kind.INVALID, message, null);
    }
}
