package dev.modelreg.publisher;

import dev.modelreg.content.proc.BoundedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * What git knows about a directory, asked through the {@code git} command (absent git or not a checkout: null).
 * Used for the manifest's created time and revision, and the path of the indexed directory inside its repository.
 */
final class Git {
    private Git() {}

    /** Commit time of HEAD as an ISO-8601 string, or null. */
    static String headCommitTime(Path dir) {
        return run(dir, "log", "-1", "--format=%cI");
    }

    static String headRevision(Path dir) {
        return run(dir, "rev-parse", "HEAD");
    }

    /** The directory's path relative to its repository's top ("" at the top), or null outside a checkout. */
    static String prefix(Path dir) {
        String p = run(dir, "rev-parse", "--show-prefix");
        if (p == null) return null;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** https://github.com/OWNER/NAME when the origin remote is a GitHub repository, else null. */
    static String githubOrigin(Path dir) {
        String url = run(dir, "remote", "get-url", "origin");
        if (url == null) return null;
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^(?:https://|ssh://git@|git@)github\\.com[:/]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\\.git)?/?$")
                .matcher(url);
        return m.matches() ? "https://github.com/" + m.group(1) + "/" + m.group(2) : null;
    }

    static String currentBranch(Path dir) {
        return run(dir, "symbolic-ref", "--quiet", "--short", "HEAD");
    }

    /** How long one git command may take, with its output: past it, git and what it started are killed. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private static String run(Path dir, String... args) {
        return run("git", LIMIT, dir, args);
    }

    /**
     * {@code git -C DIR ARGS} ({@code git} the program to run), bounded ({@link BoundedProcess}): at most
     * {@code limit} and 64 KiB of output, else null, as for a failure; stderr is dropped.
     */
    static String run(String git, Duration limit, Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(git, "-C", dir.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        try {
            BoundedProcess.Result r = BoundedProcess.run(cmd, new HashMap<>(System.getenv()), new byte[0], 64 << 10, limit);
            if (r.end() != BoundedProcess.End.FINISHED || r.exitCode() != 0) return null;
            String s = new String(r.stdout(), StandardCharsets.UTF_8).strip();
            return s.isEmpty() && !args[0].equals("rev-parse") ? null : s;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
