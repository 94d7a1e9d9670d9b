package dev.modelreg.cli;

import dev.modelreg.content.CopyListener;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Text;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one live progress display of push, pull, copy, sync and mirror, attached to the copy's hooks: one line on stderr
 * ({@link ProgressFrame}: bytes, rate, elapsed time, ETA, blobs moved of blobs to move), redrawn every
 * {@link #TICK_MILLIS} once a transfer has run for {@link #DELAY_MILLIS} (quick commands draw nothing). When every
 * planned blob has moved, it shows what the command does next ({@code phase}: committing, writing the archive) with
 * the time still running and the rate frozen at the transfer's. A line of the command's own ({@link #println}) erases
 * the frame first and redraws it below; {@link #close} leaves the last frame, then a new line, so whatever follows
 * starts on a line of its own. {@link #NONE} (no display) when stderr is not a terminal, with {@code --json} or with
 * {@code --quiet}.
 */
class Progress implements CopyListener, AutoCloseable {
    static final long DELAY_MILLIS = 300;
    static final long TICK_MILLIS = 200;
    /** Erase the line the cursor is on: carriage return, then clear to its end. */
    static final String ERASE = "\r\033[K";

    /** No display: every hook does nothing, lines are printed as they are. */
    static final Progress NONE = new Progress("", null, null, System::nanoTime, 80, false);

    private final String task;
    private final String phase;
    private final PrintStream out;
    private final LongSupplier clock;
    private final boolean utf8;
    private final long start;
    private int width;
    /** Where the terminal's width is read ($COLUMNS) when {@link #width} is 0. */
    private Map<String, String> env = Map.of();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicInteger blobs = new AtomicInteger();
    private final AtomicInteger blobsDone = new AtomicInteger();
    private volatile boolean unsized;
    private volatile long firstTransfer;
    private volatile long lastCopied;
    private boolean drawn;
    private boolean closed;
    private Thread ticker;

    /** A display of {@code task} on {@code out}; {@code width} 0: the terminal's (asked at the first frame). */
    Progress(String task, String phase, PrintStream out, LongSupplier clock, int width, boolean utf8) {
        this.task = task;
        this.phase = phase;
        this.out = out;
        this.clock = clock;
        this.width = width;
        this.utf8 = utf8;
        this.start = clock.getAsLong();
    }

    /** A display for {@code task} on stderr (showing {@code phase} after the transfers), or {@link #NONE}. */
    static Progress of(String task, String phase, boolean json, boolean quiet, Context context) {
        if (json || quiet || !context.stderrIsTerminal()) return NONE;
        Progress p = new Progress(task, phase, System.err, System::nanoTime, 0, Terminal.utf8(context.env()));
        p.env = context.env();
        return p.ticking();
    }

    /** Starts the thread that draws a frame every {@link #TICK_MILLIS} (a daemon; {@link #close} ends it). */
    private Progress ticking() {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(TICK_MILLIS);
                    tick();
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "modelreg-progress");
        t.setDaemon(true);
        ticker = t;
        t.start();
        return this;
    }

    @Override
    public void planned(int n, long bytes) {
        blobs.addAndGet(n);
        total.addAndGet(bytes);
    }

    /** The destination has it: not a blob to move (nor its bytes). */
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
        if (offset > 0) done.addAndGet(offset); // resumed: those bytes are there
    }

    @Override
    public void transferred(long n) {
        done.addAndGet(n);
        if (firstTransfer == 0) firstTransfer = clock.getAsLong();
    }

    @Override
    public void copied(Digest digest, long size) {
        lastCopied = clock.getAsLong();
        blobsDone.incrementAndGet();
    }

    /** Draws a frame if the display is due (a transfer began {@link #DELAY_MILLIS} ago) and not closed. */
    synchronized void tick() {
        if (out == null || closed || firstTransfer == 0) return;
        if (!drawn && clock.getAsLong() - firstTransfer < DELAY_MILLIS * 1_000_000L) return;
        if (width <= 0) width = Terminal.width(env);
        write("\r" + frame(false).render(width, utf8) + "\033[K");
        drawn = true;
    }

    /** The numbers now, as a frame. */
    ProgressFrame frame(boolean last) {
        int planned = blobs.get();
        int moved = Math.min(blobsDone.get(), planned);
        boolean transferring = moved < planned;
        long now = clock.getAsLong();
        long first = firstTransfer;
        // the transfer's time: until the last blob was in (an upload is not done when its bytes are in a socket buffer)
        long moving = first == 0 ? 0 : (transferring ? now : Math.max(first, lastCopied)) - first;
        long t = unsized ? -1 : total.get();
        long d = t >= 0 ? Math.min(done.get(), t) : done.get();
        String ph = transferring || last || phase == null ? null : Text.printable(phase);
        return new ProgressFrame(task, d, t, moved, planned, now - start, moving, ph, last);
    }

    /** Prints a line of the command's own on {@code err}, below the frame (erased first, drawn again after it). */
    void println(PrintWriter err, String line) {
        if (out == null) {
            err.println(line);
            err.flush();
            return;
        }
        synchronized (this) {
            if (drawn) write(ERASE);
            err.println(line);
            err.flush();
            if (drawn) write("\r" + frame(false).render(width, utf8) + "\033[K");
        }
    }

    /** Ends the display: the last frame (the whole transfer: bytes, mean rate, elapsed time, blobs), then a new line. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = ticker;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (drawn) write("\r" + frame(true).render(width, utf8) + "\033[K\n");
            drawn = false;
        }
    }

    private void write(String s) {
        out.flush();
        byte[] b = s.getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
        out.flush();
    }
}
