package dev.modelreg.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fails a read that has waited longer than the stall timeout for data: a registry or network that stops sending in
 * the middle of a blob must not hang a pull forever (java.net.http has no read timeout for streamed bodies). One
 * daemon watchdog thread checks every guarded stream each second and closes the stream under a reader that is stuck
 * (closing wakes a read blocked in java.net.http, an interrupt does not); the read then fails with
 * {@link ContentException.Kind#UNAVAILABLE}, naming the blob.
 */
final class StallGuardInputStream extends FilterInputStream {
    private static final Set<StallGuardInputStream> OPEN = ConcurrentHashMap.newKeySet();
    private static ScheduledExecutorService watchdog;

    private final long timeoutNanos;
    private final String what;
    private volatile Thread reader;
    private volatile long waitingSince;
    private volatile boolean stalled;

    StallGuardInputStream(InputStream in, Duration timeout, String what) {
        super(in);
        this.timeoutNanos = timeout.toNanos();
        this.what = what;
        OPEN.add(this);
        startWatchdog();
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) return;
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelreg-stall-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(StallGuardInputStream::check, 1, 1, TimeUnit.SECONDS);
    }

    private static void check() {
        long now = System.nanoTime();
        for (StallGuardInputStream s : OPEN) {
            Thread t = s.reader;
            if (t != null && now - s.waitingSince > s.timeoutNanos) {
                s.stalled = true;
                OPEN.remove(s);
                try {
                    s.in.close();
                } catch (IOException | RuntimeException e) {
                    // closing is how the blocked reader is woken; its own read reports the stall
                }
            }
        }
    }

    @Override
    public int read() throws IOException {
        begin();
        try {
            int b = in.read();
            if (stalled) throw stalledError(null);
            return b;
        } catch (IOException e) {
            throw translate(e);
        } finally {
            end();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        begin();
        try {
            int n = in.read(b, off, len);
            if (stalled) throw stalledError(null);
            return n;
        } catch (IOException e) {
            throw translate(e);
        } finally {
            end();
        }
    }

    private void begin() throws ContentException {
        if (stalled) throw stalledError(null);
        waitingSince = System.nanoTime();
        reader = Thread.currentThread();
    }

    private void end() {
        reader = null;
    }

    private IOException translate(IOException e) {
        return stalled && !(e instanceof ContentException) ? stalledError(e) : e;
    }

    private ContentException stalledError(IOException cause) {
        return new ContentException(ContentException.Kind.UNAVAILABLE, what + ": no data for "
                + Duration.ofNanos(timeoutNanos).toSeconds() + " s, giving up (MODELREG_STALL_TIMEOUT)", cause);
    }

    @Override
    public void close() throws IOException {
        OPEN.remove(this);
        super.close();
    }
}
