package dev.modelreg.cli;

import dev.modelreg.content.CopyListener;
import dev.modelreg.spec.Digest;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one live progress display of push, pull, copy, sync and mirror, attached to the copy's hooks: bytes, rate,
 * ETA and blobs done, drawn on stderr by the progressbar library (me.tongfei:progressbar) once a transfer has run
 * for {@link #DELAY_MILLIS} (quick commands draw nothing). {@link #NONE} (no display) when stderr is not a terminal,
 * with {@code --json} or with {@code --quiet}.
 */
class Progress implements CopyListener, AutoCloseable {
    static final long DELAY_MILLIS = 300;
    private static final long MIB = 1 << 20;

    /** No display: every hook does nothing. */
    static final Progress NONE = new Progress(null, null) {
        @Override
        public void transferred(long n) {}
    };

    private final String task;
    private final PrintStream err;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicInteger blobs = new AtomicInteger();
    private final AtomicInteger blobsDone = new AtomicInteger();
    private volatile boolean unsized;
    private volatile long firstTransfer;
    private ProgressBar bar;

    private Progress(String task, PrintStream err) {
        this.task = task;
        this.err = err;
    }

    /** A display for {@code task} on stderr, or {@link #NONE}. */
    static Progress of(String task, boolean json, boolean quiet) {
        if (json || quiet || !Terminal.stderrIsTerminal()) return NONE;
        return new Progress(task, System.err);
    }

    @Override
    public void planned(int n, long bytes) {
        blobs.addAndGet(n);
        total.addAndGet(bytes);
    }

    @Override
    public void skipped(Digest digest, long size) {
        blobs.decrementAndGet();
        total.addAndGet(-Math.max(0, size));
    }

    @Override
    public void mounted(Digest digest, long size) {
        skipped(digest, size);
    }

    @Override
    public void started(Digest digest, long size, long offset) {
        if (size < 0) unsized = true;
        if (offset > 0) done.addAndGet(offset);
    }

    @Override
    public void copied(Digest digest, long size) {
        blobsDone.incrementAndGet();
        draw();
    }

    @Override
    public void transferred(long n) {
        done.addAndGet(n);
        if (firstTransfer == 0) firstTransfer = System.nanoTime();
        draw();
    }

    private synchronized void draw() {
        if (err == null) return;
        if (bar == null) {
            if (firstTransfer == 0 || System.nanoTime() - firstTransfer < DELAY_MILLIS * 1_000_000L) return;
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(unsized ? -1 : total.get())
                    .setUnit("MiB", MIB)
                    .showSpeed()
                    .setUpdateIntervalMillis(100)
                    .setStyle(Terminal.utf8() ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .build();
        }
        bar.maxHint(unsized ? -1 : Math.max(total.get(), done.get()));
        bar.stepTo(done.get());
        bar.setExtraMessage(" " + blobsDone.get() + "/" + blobs.get() + " blobs");
    }

    /** Ends the display (its last state stays on screen, followed by a new line). */
    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.maxHint(unsized ? -1 : Math.max(total.get(), done.get()));
            bar.stepTo(done.get());
            bar.setExtraMessage(" " + blobsDone.get() + "/" + blobs.get() + " blobs");
            bar.close();
            bar = null;
        }
    }
}
