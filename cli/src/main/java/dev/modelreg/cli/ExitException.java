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

    /**
     * A one-line message for any exception: its own message, else its type, never a stack trace. The JDK's file
     * errors, whose message is a bare path (or a bare reason), say what went wrong with which file.
     */
    static String messageOf(Throwable t) {
        Throwable c = t;
        while (c.getMessage() == null && c.getCause() != null) c = c.getCause();
        String m = c instanceof java.nio.file.FileSystemException f ? fileMessage(f)
                : c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    private static String fileMessage(java.nio.file.FileSystemException f) {
        String file = f.getFile() == null ? "" : f.getFile();
        String other = f.getOtherFile() == null ? "" : " (to " + f.getOtherFile() + ")";
        String what = f.getReason() != null ? f.getReason()
                : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : f instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                : f instanceof java.nio.file.NotLinkException ? "not a symbolic link"
                : f.getClass().getSimpleName();
        return file.isEmpty() ? what + other : file + ": " + what + other;
    }
}
