package dev.modelreg.content;

import java.util.Map;

/**
 * How a big blob is downloaded over several connections at once ({@link RangedDownload}): blobs larger than
 * {@code threshold} bytes are fetched as {@code Range} requests of at most {@code chunk} bytes, {@code connections} at
 * a time. CDNs cap each connection's rate; several ranged connections add up (as aria2 and hf_transfer do).
 *
 * @param threshold   blobs of more bytes than this are split (MODELREG_RANGED_MIN_MIB, default 64 MiB)
 * @param connections ranges fetched at once per blob; 1 turns ranged downloads off (MODELREG_RANGED_CONNECTIONS, default 8)
 * @param chunk       the largest range asked for in one request (32 MiB)
 */
public record RangeOptions(long threshold, int connections, long chunk) {
    public static final long MIB = 1L << 20;
    public static final RangeOptions DEFAULTS = new RangeOptions(64 * MIB, 8, 32 * MIB);
    public static final RangeOptions OFF = new RangeOptions(Long.MAX_VALUE, 1, 32 * MIB);

    public RangeOptions {
        if (threshold < 0) throw new IllegalArgumentException("ranged threshold must be >= 0, got " + threshold);
        if (connections < 1 || connections > 32) throw new IllegalArgumentException("ranged connections must be 1..32, got " + connections);
        if (chunk < 64 * 1024) throw new IllegalArgumentException("ranged chunk must be >= 64 KiB, got " + chunk);
    }

    /** MODELREG_RANGED_MIN_MIB (0..1048576) and MODELREG_RANGED_CONNECTIONS (1..32) over {@link #DEFAULTS}. */
    public static RangeOptions fromEnvironment(Map<String, String> env) {
        RangeOptions o = DEFAULTS;
        String t = env.get("MODELREG_RANGED_MIN_MIB");
        if (t != null && !t.isBlank()) o = new RangeOptions(number("MODELREG_RANGED_MIN_MIB", t, 0, 1 << 20) * MIB, o.connections, o.chunk);
        String c = env.get("MODELREG_RANGED_CONNECTIONS");
        if (c != null && !c.isBlank()) o = new RangeOptions(o.threshold, (int) number("MODELREG_RANGED_CONNECTIONS", c, 1, 32), o.chunk);
        return o;
    }

    /** True if a blob of {@code size} bytes, of which {@code have} are already here, is fetched in ranges. */
    public boolean applies(long size, long have) {
        return connections > 1 && size > threshold && size - have > chunk;
    }

    public RangeOptions withThreshold(long bytes) {
        return new RangeOptions(bytes, connections, chunk);
    }

    public RangeOptions withConnections(int n) {
        return new RangeOptions(threshold, n, chunk);
    }

    public RangeOptions withChunk(long bytes) {
        return new RangeOptions(threshold, connections, bytes);
    }

    private static long number(String name, String v, long min, long max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + ": want an integer " + min + ".." + max + ", got '" + v + "'");
    }
}
