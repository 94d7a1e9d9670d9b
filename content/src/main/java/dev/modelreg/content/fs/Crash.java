package dev.modelreg.content.fs;

/**
 * Named crash points for the crash tests (a failpoint, as etcd and TiKV have): when the environment variable
 * {@code MODELREG_TEST_CRASH_AT} names a point, the process halts there at once with exit code 137, as kill -9
 * would leave it (no shutdown hooks, no finally blocks, no flush). Unset, a point costs one field read.
 * The points are listed in README.md, "Reliability".
 */
public final class Crash {
    private Crash() {}

    private static final String AT = System.getenv("MODELREG_TEST_CRASH_AT");

    /** Halts the process here if the crash tests asked for {@code name}. */
    public static void point(String name) {
        if (AT != null && AT.equals(name)) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Halts the process here if the crash tests asked for {@code prefix + n} (the name is built only when they did). */
    public static void point(String prefix, int n) {
        if (AT != null && AT.equals(prefix + n)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
