package dev.modelreg.e2e;

import dev.modelreg.cli.Cli;
import dev.modelreg.cli.Context;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code modelreg ARGS} run in this JVM: the command line {@code Main} runs (the same factory, {@link Cli}, and the
 * same writers, {@link Cli#writer}), given the environment and working directory a process would have had
 * ({@link Context#of}), on a thread of its own. What only a process has stays out: the exit (the code is returned),
 * the signal handlers, the handler of an Error in a worker thread, crash points and JVM options (a test that needs
 * one of them runs a process: {@link Modelreg#run} decides). One difference shows: a relative path on the command line
 * is resolved against the run's directory as it is parsed, so a message that echoes it shows it absolute, where a
 * process shows it as typed ({@link InProcessParityTest} runs the same commands both ways and compares).
 *
 * @see dev.modelreg.cli.Main
 */
final class InProcess {
    private InProcess() {}

    /** Runs {@code args} in {@code workDir} with exactly {@code env} as its environment, for at most {@code limit}. */
    static Modelreg.Run run(Path workDir, Map<String, String> env, Duration limit, String... args)
            throws InterruptedException {
        String what = "modelreg " + String.join(" ", args);
        for (String a : args) {
            for (String prefix : new String[] {"oci-layout:", "oci-archive:"}) {
                if (a.startsWith(prefix)) requireAbsolute(a.substring(prefix.length()), a, what);
            }
        }
        for (String v : new String[] {"MODELREG_CACHE", "MODELREG_CONFIG"}) requireAbsolute(env.get(v), v, what);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        FutureTask<Integer> task = new FutureTask<>(() -> {
            PrintWriter o = Cli.writer(out);
            PrintWriter e = Cli.writer(err);
            try {
                return Cli.run(args.clone(), o, e, Context.of(env, workDir));
            } finally {
                o.flush();
                e.flush();
            }
        });
        Thread thread = new Thread(task, what);
        thread.setDaemon(true);
        thread.start();
        int code;
        try {
            code = task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError(what + " (in-process) did not finish in " + limit.toSeconds() + " s");
        } catch (ExecutionException e) { // what a process would have died of, with a stack trace on stderr
            throw new AssertionError(what + " (in-process) threw\nstderr: " + err.toString(StandardCharsets.UTF_8), e.getCause());
        } finally {
            if (thread.isAlive()) thread.interrupt();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new Modelreg.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), ms);
    }

    /**
     * A local reference ({@code oci-layout:DIR}, {@code oci-archive:FILE}) on the command line, or a cache or config
     * path in the environment, is read against this JVM's working directory, not the run's: tests give them absolute.
     * (Path options and parameters are resolved against the run's directory by the command line itself.)
     */
    private static void requireAbsolute(String path, String what, String run) {
        if (path != null && !path.isEmpty() && !path.startsWith("/")) {
            throw new AssertionError(run + ": " + what + " is relative; give an absolute path to run it in-process");
        }
    }
}
