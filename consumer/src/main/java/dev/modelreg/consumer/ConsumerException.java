package dev.modelreg.consumer;

import dev.modelreg.spec.ModelregException;

/**
 * A consumer failure (a {@link ModelregException}) with a one-line message naming the thing at fault (source, ref,
 * model, file) and its {@link Kind}, from which the command line picks its exit code. Without a kind it is the kind
 * of the failure it wraps ({@link ModelregException#kindOf}), else {@link Kind#INVALID}.
 */
public class ConsumerException extends ModelregException {
    public ConsumerException(String message) {
        super(Kind.INVALID, message);
    }

    public ConsumerException(String message, Throwable cause) {
        super(kindOf(cause), message, cause);
    }

    public ConsumerException(Kind kind, String message) {
        super(kind, message);
    }

    public ConsumerException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A not-found failure (a source, ref, model or file that is not there). */
    static ConsumerException notFound(String message) {
        return new ConsumerException(Kind.NOT_FOUND, message);
    }

    /** Offline, and what is needed is not in the cache: the network would have been needed. */
    static ConsumerException offline(String message) {
        return new ConsumerException(Kind.UNAVAILABLE, message);
    }
}
