package dev.modelreg.spec;

/** A models.toml (or bootstrap file) that cannot be read; the message names the file and, where known, the line and column. */
public class RegistryFormatException extends RuntimeException {
    public RegistryFormatException(String message) {
        super(message);
    }

    /** With the cause, e.g. the {@link java.nio.file.NoSuchFileException} of a file that is not there. */
    public RegistryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
