package dev.modelreg.cli;

/** Process exit codes. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** Any failure: bad input, network, verification. */
    public static final int ERROR = 1;
    /** Command line usage error (picocli's own), and {@code verify}: the workspace does not match. */
    public static final int USAGE_OR_MISMATCH = 2;
}
