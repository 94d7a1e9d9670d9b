package dev.modelreg.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes: a contract with scripts (README "Exit codes", {@code modelreg --help}). A failure's code follows from
 * its {@link Failure#of kind}; {@code verify} alone exits {@link #MISMATCH} when the workspace differs.
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** A failure of no kind below: invalid input (a bad reference, models.toml or manifest), a local file error. */
    public static final int ERROR = 1;
    /** {@code verify}: the workspace does not match the registry. */
    public static final int MISMATCH = 2;
    /** The command line is wrong: an unknown option, a missing argument, a bad value. */
    public static final int USAGE = 3;
    /** What was named is not there: a source, ref, tag, digest, model, file or directory. */
    public static final int NOT_FOUND = 4;
    /** Credentials missing or rejected (HTTP 401), or access denied (HTTP 403). */
    public static final int AUTH = 5;
    /** Integrity: content whose digest, size or sha256 is not what the manifest or models.toml says. */
    public static final int INTEGRITY = 6;
    /** The network: unreachable, timed out, HTTP 429/5xx; or offline and not in the cache. */
    public static final int UNAVAILABLE = 7;
    /** A conflict: a tag is not where the command expected it ({@code --expect-digest}, {@code --no-clobber}); not moved. */
    public static final int CONFLICT = 8;
    /** Interrupted by SIGINT (Ctrl-C): 128 + 2. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM: 128 + 15. */
    public static final int TERMINATED = 143;

    /** The table shown by {@code --help} (code -> meaning). */
    static Map<String, String> table() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("0", "success");
        m.put("1", "error: invalid input, a local file error, anything below does not cover");
        m.put("2", "verify: the workspace does not match");
        m.put("3", "usage: a bad command line");
        m.put("4", "not found: source, ref, tag, digest, model, file");
        m.put("5", "authentication or authorization failed (401/403)");
        m.put("6", "integrity: a digest, size or hash mismatch");
        m.put("7", "unavailable: network, timeout, 429/5xx; offline and not cached");
        m.put("8", "conflict: a tag is not where --expect-digest or --no-clobber expected it");
        m.put("130/143", "interrupted (SIGINT/SIGTERM)");
        return m;
    }
}
