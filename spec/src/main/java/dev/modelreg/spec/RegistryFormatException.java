package dev.modelreg.spec;

/**
 * A models.toml (or bootstrap file) that cannot be read, kind {@link Kind#INVALID}; the message names the file and,
 * where known, the line and column.
 */
public class RegistryFormatException extends ModelregException {
    public RegistryFormatException(String message) {
        super(Kind.INVALID, message);
    }

    /** With the cause: the {@link java.nio.file.NoSuchFileException} of a file that is not there is NOT_FOUND. */
    public RegistryFormatException(String message, Throwable cause) {
        super(cause instanceof java.nio.file.NoSuchFileException ? Kind.NOT_FOUND : Kind.INVALID, message, cause);
    }
}
