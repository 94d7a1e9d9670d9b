package dev.modelreg.content;

/**
 * A stream that checks its own content against an expectation and fails at its end if it does not match
 * ({@link VerifyingInputStream}, and streams that wrap one). A consumer that would verify the same expectation reads
 * it as it is instead of hashing every byte a second time.
 */
public interface VerifiedStream {
    /** True if reading this stream to its end verifies exactly {@code e} (digest, and exact size when e has one). */
    boolean verifies(Expected e);
}
