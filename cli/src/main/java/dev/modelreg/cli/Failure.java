package dev.modelreg.cli;

import dev.modelreg.consumer.InvalidRequestException;
import dev.modelreg.spec.ModelregException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ParameterException;

/**
 * What a failed command reports: a kind (the {@code error.kind} of the {@code --json} error document), its exit code
 * and a one-line message. The kind comes from the libraries' {@link ModelregException.Kind} wherever the failure
 * carries one (itself or a cause), else from the exception's type.
 */
public record Failure(String kind, int exitCode, String message) {
    /** The message of an OutOfMemoryError. */
    static final String OUT_OF_MEMORY = "out of memory (give the JVM more, e.g. MODELREG_JAVA_OPTS=-Xmx512m)";

    public static Failure of(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return new Failure("error", ExitCodes.ERROR, OUT_OF_MEMORY);
        }
        if (t instanceof Error) { // a bug of ours, not bad input: say what it was, once
            return new Failure("error", ExitCodes.ERROR, "internal error: " + t.getClass().getName()
                    + (t.getMessage() != null ? ": " + ExitException.messageOf(t) : "") + " (run with -v for the stack trace)");
        }
        String message = ExitException.messageOf(t);
        if (t instanceof ExitException x) return new Failure(kindOfCode(x.code()), x.code(), message);
        if (t instanceof ParameterException) {
            return new Failure("usage", ExitCodes.USAGE, message.replace("option option '", "option '"));
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidRequestException) return usage(message); // a request of the wrong shape (exit 3)
            if (c instanceof ModelregException x) return of(x.kind(), message);
            if (c instanceof NoSuchFileException) return new Failure("not_found", ExitCodes.NOT_FOUND, message);
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) return new Failure("io", ExitCodes.ERROR, message);
        if (t instanceof IllegalArgumentException) {
            return new Failure("invalid", ExitCodes.ERROR, message);
        }
        return new Failure("error", ExitCodes.ERROR, message);
    }

    /** A bad command line (exit 3) with its one-line message. */
    static Failure usage(String message) {
        return new Failure("usage", ExitCodes.USAGE, message);
    }

    static Failure of(ModelregException.Kind kind, String message) {
        return switch (kind) {
            case NOT_FOUND -> new Failure("not_found", ExitCodes.NOT_FOUND, message);
            case UNAUTHORIZED -> new Failure("unauthorized", ExitCodes.AUTH, message);
            case DENIED -> new Failure("denied", ExitCodes.AUTH, message);
            case DIGEST_MISMATCH, SIZE_MISMATCH -> new Failure("integrity", ExitCodes.INTEGRITY, message);
            case UNAVAILABLE -> new Failure("unavailable", ExitCodes.UNAVAILABLE, message);
            case INVALID -> new Failure("invalid", ExitCodes.ERROR, message);
            case CONFLICT -> new Failure("conflict", ExitCodes.CONFLICT, message);
        };
    }

    private static String kindOfCode(int code) {
        return switch (code) {
            case ExitCodes.USAGE -> "usage";
            case ExitCodes.NOT_FOUND -> "not_found";
            case ExitCodes.AUTH -> "unauthorized";
            case ExitCodes.INTEGRITY -> "integrity";
            case ExitCodes.UNAVAILABLE -> "unavailable";
            case ExitCodes.MISMATCH -> "mismatch";
            case ExitCodes.CONFLICT -> "conflict";
            case ExitCodes.INTERRUPTED, ExitCodes.TERMINATED -> "interrupted";
            default -> "error";
        };
    }

    /** The {@code --json} document of this failure: {@code {"error": {"kind", "message", "exitCode"}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", kind);
        e.put("message", message);
        e.put("exitCode", (long) exitCode);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e);
        return m;
    }
}
