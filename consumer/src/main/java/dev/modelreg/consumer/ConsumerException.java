package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.ContentException.Kind;

/**
 * A consumer failure with a one-line message naming the thing at fault (source, ref, model, file), and the kind of
 * failure (the content layer's {@link Kind}s), from which the command line picks its exit code. Without a kind it is
 * the kind of the {@link ContentException} or {@code ConsumerException} it wraps, else {@link Kind#INVALID}.
 */
public class ConsumerException extends RuntimeException {
    private final Kind kind;

    public ConsumerException(String message) {
        this(Kind.INVALID, message, null);
    }

    public ConsumerException(String message, Throwable cause) {
        this(kindOf(cause), message, cause);
    }

    public ConsumerException(Kind kind, String message) {
        this(kind, message, null);
    }

    public ConsumerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** A not-found failure (a source, ref, model or file that is not there). */
    static ConsumerException notFound(String message) {
        return new ConsumerException(Kind.NOT_FOUND, message);
    }

    /** Offline, and what is needed is not in the cache: the network would have been needed. */
    static ConsumerException offline(String message) {
        return new ConsumerException(Kind.UNAVAILABLE, message);
    }

    /** The kind of the first {@link ContentException} or {@code ConsumerException} in {@code t}'s cause chain. */
    public static Kind kindOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ContentException x) return x.kind();
            if (c instanceof ConsumerException x) return x.kind();
            if (c.getCause() == c) break;
        }
        return Kind.INVALID;
    }
}
