package dev.modelreg.content;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one bounded-parallelism runner (copies, copy-outs, hashing): runs tasks on at most {@code concurrency} daemon
 * threads; the first failure cancels the rest and is rethrown as it is, after the cancelled tasks have finished
 * (so their temp files are gone, or kept for resuming, before the caller sees the failure).
 */
public final class Parallel {
    private Parallel() {}

    public interface Task {
        void run() throws IOException;
    }

    public static void run(List<? extends Task> tasks, int concurrency) throws IOException {
        if (tasks.isEmpty()) return;
        if (tasks.size() == 1 || concurrency <= 1) {
            for (Task t : tasks) t.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, tasks.size()), r -> {
            Thread t = new Thread(r, "modelreg-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Task t : tasks) {
                fs.add(pool.submit(() -> {
                    t.run();
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    fs.forEach(x -> x.cancel(true));
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) throw io;
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error er) throw er;
                    throw new IOException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fs.forEach(x -> x.cancel(true));
                    throw new InterruptedIOException("interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
