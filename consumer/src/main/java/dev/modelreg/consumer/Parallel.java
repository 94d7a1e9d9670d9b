package dev.modelreg.consumer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs fetch tasks with bounded parallelism; the first failure cancels the rest and is rethrown as is. */
final class Parallel {
    private Parallel() {}

    interface Task {
        void run() throws IOException;
    }

    static void run(List<Task> tasks, int concurrency) throws IOException {
        if (tasks.isEmpty()) return;
        if (tasks.size() == 1 || concurrency <= 1) {
            for (Task t : tasks) t.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, tasks.size()), r -> {
            Thread t = new Thread(r, "modelreg-fetch");
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
                    throw new IOException("interrupted", e);
                }
            }
        } finally {
            // wait for cancelled tasks to clean up their temp files before the caller sees the failure
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
