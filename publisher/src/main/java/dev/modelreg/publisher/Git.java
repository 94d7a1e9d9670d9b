package dev.modelreg.publisher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    private static String run(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            String s = buf.toString(StandardCharsets.UTF_8).strip();
            return s.isEmpty() && !args[0].equals("rev-parse") ? null : s;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
