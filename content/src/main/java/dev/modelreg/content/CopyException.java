package dev.modelreg.content;

/**
 * A failure of {@link Copy} that says, as data, which side failed ({@link #origin()}) and what it was doing
 * ({@link #op()}), as oras-go's {@code copyerror.go} does. Kind, transience and message are those of the failure
 * (the message names the side and the content in words too); the failure itself is the cause. Every
 * {@link ContentException} a copy throws is one of these; a failure of the local file system that carries no kind
 * (a full disk) stays the plain {@link java.io.IOException} it was.
 */
public final class CopyException extends ContentException {
    /** The side of the copy that failed. */
    public enum Origin {
        SOURCE,
        DESTINATION
    }

    /** What the failing side was asked to do. */
    public enum Op {
        /** Resolve a tag or digest to a manifest. */
        RESOLVE,
        /** Read a manifest or a blob (bytes that arrive wrong are the source's failure too). */
        FETCH,
        /** Tell whether it has a blob or manifest. */
        EXISTS,
        /** Link a blob from another repository of the same registry. */
        MOUNT,
        /** Store a blob or a manifest. */
        PUSH,
        /** Point a tag at the copied root. */
        TAG,
        /** List the referrers of a manifest, or write the index that lists them where the store does not. */
        REFERRERS
    }

    private final Origin origin;
    private final Op op;

    private CopyException(Origin origin, Op op, ContentException failure, String message) {
        super(failure.kind(), message, failure, failure.isTransient());
        this.origin = origin;
        this.op = op;
    }

    public Origin origin() {
        return origin;
    }

    public Op op() {
        return op;
    }

    /**
     * {@code e} as a failure of {@code side} ({@code source NAME} or {@code destination NAME}) while {@code doing}
     * something to {@code subject}: {@code SIDE: DOING SUBJECT: MESSAGE}, or {@code SIDE: MESSAGE} when the message
     * names the subject already.
     */
    static CopyException of(Origin origin, Op op, String side, ContentException e, String doing, Object subject) {
        String m = e.getMessage();
        String msg = side + ": " + (m.contains(String.valueOf(subject)) ? m : doing + " " + subject + ": " + m);
        return new CopyException(origin, op, e, msg);
    }

    /** {@code e} (its message unchanged) as a failure of {@code origin} doing {@code op}; one already classified stays. */
    static CopyException at(Origin origin, Op op, ContentException e) {
        return e instanceof CopyException c ? c : new CopyException(origin, op, e, e.getMessage());
    }
}
