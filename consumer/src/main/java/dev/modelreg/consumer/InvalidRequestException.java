package dev.modelreg.consumer;

/**
 * A request of the wrong shape for the operation, whatever the sources hold: a destination with a tag where each ref
 * takes its own, no ref to work on, two refs that would get the same tag. Its kind is {@link Kind#INVALID}; the
 * command line reports it as a usage error (exit 3), as it does a bad argument.
 */
public class InvalidRequestException extends ConsumerException {
    /** A request refused with a one-line {@code message} naming what is wrong with it. */
    public InvalidRequestException(String message) {
        super(Kind.INVALID, message);
    }
}
