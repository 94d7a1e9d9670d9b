package dev.modelreg.cli;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of the command line takes from the process around it: the environment its commands read (cache, config,
 * credentials, HOME, COLUMNS), the working directory relative paths on the command line are resolved against, and
 * whether its out and err are the process's own streams (only then can they be a terminal: a progress display, a
 * confirmation prompt). {@link Main} runs with {@link #ofProcess()}; a test runs the CLI in its own process with
 * {@link #of} and writers of its own.
 *
 * @param env            the environment variables
 * @param workDir        the working directory: the empty path for the process's own (relative paths stay relative,
 *                       as the user typed them), else an absolute directory
 * @param processStreams true when out and err are the process's stdout and stderr
 */
public record Context(Map<String, String> env, Path workDir, boolean processStreams) {
    public Context {
        env = Map.copyOf(env);
    }

    /** The process's environment and working directory, with its own stdout and stderr. */
    public static Context ofProcess() {
        return new Context(System.getenv(), Path.of(""), true);
    }

    /** A run in this process with the environment {@code env} in {@code workDir}, writing to writers of its caller. */
    public static Context of(Map<String, String> env, Path workDir) {
        return new Context(env, workDir.toAbsolutePath().normalize(), false);
    }

    /** True when {@link #workDir} is the process's own working directory (the empty path). */
    boolean processWorkDir() {
        return workDir.toString().isEmpty();
    }

    /** {@code p} as the command line means it: a relative path is relative to {@link #workDir}. */
    Path resolve(Path p) {
        return workDir.resolve(p);
    }

    /** A path given as text, resolved as {@link #resolve(Path)} does; unchanged in the process's working directory. */
    String resolve(String path) {
        return path == null || processWorkDir() ? path : workDir.resolve(path).toString();
    }

    /**
     * A path given as text that may also name something other than a local path (make-registry's --path is a
     * sub-path of a downloaded repository when no such local directory exists): resolved when it is a local directory.
     */
    String localDirectory(String path) {
        if (path == null || processWorkDir()) return path;
        Path p = workDir.resolve(path);
        return Files.isDirectory(p) ? p.toString() : path;
    }

    /** The console (an interactive terminal on stdin and stdout), or null. */
    Console console() {
        return processStreams ? System.console() : null;
    }

    /** True when err is a terminal (a progress display is drawn on it). */
    boolean stderrIsTerminal() {
        return processStreams && Terminal.stderrIsTerminal(env);
    }
}
