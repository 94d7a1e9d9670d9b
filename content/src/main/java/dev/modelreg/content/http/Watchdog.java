package dev.modelreg.content.http;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deadlines and the stall rule for every request in flight, enforced by one daemon thread that checks each watch
 * five times a second and disconnects the connection of a request that is over its deadline, or of a body that
 * moved too little over the last stall window. Disconnecting wakes a thread blocked in connect, a header read or a
 * body read or write (an interrupt would not); that thread then sees {@link #fired()} and reports a timeout.
 */
final class Watchdog {
    private static final long CHECK_MILLIS = 200;
    private static final Set<Watch> WATCHES = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private Watchdog() {}

    /** Starts watching {@code c}: it must be done (headers and small body) within {@code deadline}. */
    static Watch watch(HttpURLConnection c, Duration deadline) {
        Watch w = new Watch(c);
        w.deadline(deadline);
        WATCHES.add(w);
        start();
        return w;
    }

    private static synchronized void start() {
        if (thread != null) return;
        thread = new Thread(Watchdog::loop, "modelreg-http-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private static void loop() {
        while (true) {
            try {
                Thread.sleep(CHECK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watch w : WATCHES) w.check(now);
        }
    }

    /** One request's clock. Closing it stops the watch (the request is done, or its body was read to the end). */
    static final class Watch implements AutoCloseable {
        private final HttpURLConnection connection;
        private final AtomicLong bytes = new AtomicLong();
        private volatile long deadlineNanos;
        private volatile long windowNanos; // > 0: streaming, stall rule instead of deadline
        private volatile long minWindowBytes;
        private long windowStart;
        private long windowStartBytes;
        private volatile String fired;

        private Watch(HttpURLConnection connection) {
            this.connection = connection;
        }

        /** From now on, the request must be done within {@code d}. */
        synchronized void deadline(Duration d) {
            windowNanos = 0;
            deadlineNanos = System.nanoTime() + d.toNanos();
        }

        /** From now on a body streams: it must move {@code minPerSecond} on average over every {@code window}. */
        synchronized void streaming(Duration window, long minPerSecond) {
            windowStart = System.nanoTime();
            windowStartBytes = bytes.get();
            minWindowBytes = Math.max(1, minPerSecond * Math.max(1, window.toSeconds()));
            windowNanos = window.toNanos();
        }

        void progress(long n) {
            bytes.addAndGet(n);
        }

        /** Why the watchdog cut the connection ("deadline" or "stall"), or null. */
        String fired() {
            return fired;
        }

        private synchronized void check(long now) {
            if (fired != null) return;
            if (windowNanos > 0) {
                if (now - windowStart < windowNanos) return;
                long moved = bytes.get() - windowStartBytes;
                if (moved >= minWindowBytes) {
                    windowStart = now;
                    windowStartBytes = bytes.get();
                    return;
                }
                fire("stall");
            } else if (now - deadlineNanos > 0) {
                fire("deadline");
            }
        }

        private void fire(String why) {
            fired = why;
            WATCHES.remove(this);
            try {
                connection.disconnect();
            } catch (RuntimeException e) {
                // closing is only how the blocked thread is woken; it reports the timeout itself
            }
        }

        @Override
        public void close() {
            WATCHES.remove(this);
        }
    }
}
