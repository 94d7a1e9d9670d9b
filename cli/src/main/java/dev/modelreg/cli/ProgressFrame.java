package dev.modelreg.cli;

import java.util.Locale;

/**
 * One frame of the progress display, as text (no cursor movement): what {@link Progress} draws, a pure function of
 * the numbers so a test can check frames exactly. While bytes move:
 * <pre>pull  42% [████████▍           ] 12.3/29.0 MiB  4.1 MiB/s  0:03 ETA 0:04  1/3 blobs</pre>
 * after the transfers, while the command finishes ({@code phase}, e.g. writing an archive), the phase instead of the ETA;
 * the last frame shows neither. An unknown total (a GitHub-mode file) shows bytes without a bar. The rate is the
 * bytes over the time they took to move ({@code transferNanos}), so a phase after them does not lower it; the elapsed
 * time is the command's.
 *
 * @param total -1 when unknown
 */
record ProgressFrame(String task, long done, long total, int blobsDone, int blobs, long elapsedNanos,
                     long transferNanos, String phase, boolean last) {
    static final int BAR = 20;
    private static final String[] EIGHTHS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

    /**
     * The frame in at most {@code width - 1} columns (the last column would wrap on some terminals): on a narrower
     * terminal the ETA or phase goes first, then the bar, then the end of the line.
     */
    String render(int width, boolean utf8) {
        String pct = total > 0 ? String.format(Locale.ROOT, "%3d%% ", percent()) : "";
        String bytes = total > 0 ? amount(done, total) + "/" + amount(total, total) + " " + unit(total)
                : amount(done, done) + " " + unit(done);
        String when = last ? "" : phase != null ? "  " + phase : total > 0 && done < total && speed() > 0 ? " ETA " + clock(eta()) : "";
        String rest = "  " + rate() + "  " + clock(elapsedNanos);
        String count = "  " + blobsDone + "/" + blobs + " blobs";
        String bar = total > 0 ? bar(utf8) + " " : "";
        for (String frame : new String[] {task + " " + pct + bar + bytes + rest + when + count,
                task + " " + pct + bar + bytes + rest + count, task + " " + pct + bytes + rest + count}) {
            if (frame.length() < width) return frame;
        }
        String frame = task + " " + pct + bytes + rest + count;
        return frame.substring(0, Math.max(0, width - 1));
    }

    int percent() {
        return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    }

    /** {@link #BAR} cells filled in eighths (UTF-8) or with {@code #} (ASCII), between brackets. */
    String bar(boolean utf8) {
        long eighths = total <= 0 ? 0 : Math.min(BAR * 8L, done * BAR * 8 / total);
        StringBuilder b = new StringBuilder("[");
        if (utf8) {
            b.append("█".repeat((int) (eighths / 8))).append(EIGHTHS[(int) (eighths % 8)]);
        } else {
            b.append("#".repeat((int) (eighths / 8)));
        }
        while (b.length() < BAR + 1) b.append(' ');
        return b.append(']').toString();
    }

    /** Bytes per second over the transfer time; 0 before a byte moved. */
    double speed() {
        return transferNanos <= 0 ? 0 : done * 1e9 / transferNanos;
    }

    private long eta() {
        return (long) ((total - done) / speed() * 1e9);
    }

    private String rate() {
        double s = speed();
        return amount((long) s, (long) s) + " " + unit((long) s) + "/s";
    }

    /** B below 1 KiB, KiB below 1 MiB, MiB below 1 GiB, else GiB: the unit of {@code scale}. */
    static String unit(long scale) {
        return scale < 1024 ? "B" : scale < 1 << 20 ? "KiB" : scale < 1L << 30 ? "MiB" : "GiB";
    }

    /** {@code n} in the unit of {@code scale}, one decimal (none for bytes). */
    static String amount(long n, long scale) {
        if (scale < 1024) return Long.toString(n);
        double d = scale < 1 << 20 ? 1024.0 : scale < 1L << 30 ? 1 << 20 : 1 << 30;
        return String.format(Locale.ROOT, "%.1f", n / d);
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String clock(long nanos) {
        long s = Math.max(0, nanos / 1_000_000_000L);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
