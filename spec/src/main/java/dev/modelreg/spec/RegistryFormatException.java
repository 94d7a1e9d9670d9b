package dev.modelreg.spec;

/**
 * A models.toml (or bootstrap file) that cannot be read, kind {@link Kind#INVALID}; the message names the file and,
 * where known, the line and column.
 */
public class RegistryFormatException extends ModelregException {
    public RegistryFormatException(String message) {
        super(Kind.INVALID, message);
    }
}
