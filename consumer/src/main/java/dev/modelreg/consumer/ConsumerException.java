package dev.modelreg.consumer;

/** A consumer failure with a one-line message naming the thing at fault (source, ref, model, file). */
public class ConsumerException extends RuntimeException {
    public ConsumerException(String message) {
        super(message);
    }

    public ConsumerException(String message, Throwable cause) {
        super(message, cause);
    }
}
