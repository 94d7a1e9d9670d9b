package dev.modelreg.cli;

/** A failure that carries its exit code; its message is the one line shown to the user. */
public final class ExitException extends RuntimeException {
    private final int code;

    public ExitException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** A one-line message for any exception: its own message, else its type, never a stack trace. */
    static String messageOf(Throwable t) {
        Throwable c = t;
        while (c.getMessage() == null && c.getCause() != null) c = c.getCause();
        String m = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }
}
