package dev.modelreg.content.auth;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.proc.BoundedProcess;
import dev.modelreg.spec.ModelregException.Kind;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs docker credential helpers ({@code docker-credential-NAME get}, the protocol of docker/docker-credential-helpers):
 * the server name on stdin, {@code {"ServerURL","Username","Secret"}} on stdout. The helper is looked up in the
 * {@code PATH} of the environment given (not the JVM's). The whole exchange is bounded ({@link BoundedProcess}): at
 * most {@link #DEFAULT_LIMIT} (its exit and the end of its output), at most 64 KiB on stdout, stderr drained and
 * dropped; past a bound the helper and the processes it started are killed. "Not found" answers give no credential;
 * any other failure is one error naming the helper once (never its output, which may hold the secret). Each helper
 * runs at most once per server: its answer, or its failure, is kept.
 */
final class CredentialHelpers {
    static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final Duration limit;
    private final Map<String, Object> answers = new HashMap<>();

    CredentialHelpers(Map<String, String> env) {
        this(env, DEFAULT_LIMIT);
    }

    /** {@code limit}: how long one run of a helper may take (tests shorten it). */
    CredentialHelpers(Map<String, String> env, Duration limit) {
        this.env = env;
        this.limit = limit;
    }

    Duration limit() {
        return limit;
    }

    /**
     * The credential the helper {@code helper}, named by {@code key} ({@code credHelpers} or {@code credsStore}) of
     * {@code file}, has for {@code server}, or null if it has none.
     */
    synchronized Credential get(String helper, String server, Path file, String key) throws ContentException {
        String id = helper + "\n" + server;
        Object known = answers.get(id);
        if (known instanceof ContentException e) throw new ContentException(e.kind(), e.getMessage());
        if (known != null || answers.containsKey(id)) return (Credential) known;
        try {
            Credential c = run(helper, server, file, key);
            answers.put(id, c);
            return c;
        } catch (ContentException e) {
            answers.put(id, e);
            throw e;
        }
    }

    private Credential run(String helper, String server, Path file, String key) throws ContentException {
        String where = Text.printable(file.toString());
        if (!helper.matches("[A-Za-z0-9._-]+")) {
            throw new ContentException(Kind.INVALID, where + ": " + key + " names an invalid credential helper '"
                    + Text.printable(helper) + "'");
        }
        String exe = "docker-credential-" + helper;
        String named = "credential helper " + exe + " (" + key + " in " + where + ")";
        Path bin = which(exe);
        if (bin == null) throw new ContentException(Kind.UNAUTHORIZED, named + " is not in PATH");
        BoundedProcess.Result r;
        try {
            r = BoundedProcess.run(List.of(bin.toString(), "get"), env, server.getBytes(StandardCharsets.UTF_8),
                    Limits.MAX_HELPER_ANSWER_BYTES, limit);
        } catch (IOException e) {
            throw new ContentException(Kind.UNAUTHORIZED, named + " cannot be run: " + Text.oneLine(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContentException(Kind.UNAVAILABLE, named + ": interrupted while it ran");
        }
        switch (r.end()) {
            case TIMED_OUT -> throw new ContentException(Kind.UNAVAILABLE, named + " did not answer within " + seconds()
                    + "; stopped it and the processes it started");
            case OUTPUT_HELD -> throw new ContentException(Kind.UNAVAILABLE, named + " exited, but a process it started"
                    + " still held its output open after " + seconds() + "; stopped them");
            case TOO_MUCH_OUTPUT -> throw new ContentException(Kind.INVALID, named + " printed more than "
                    + (Limits.MAX_HELPER_ANSWER_BYTES >> 10) + " KiB; stopped it");
            case FINISHED -> { }
        }
        if (r.exitCode() != 0) {
            String text = new String(r.stdout(), StandardCharsets.UTF_8);
            if (text.toLowerCase(Locale.ROOT).contains("credentials not found")) return null;
            throw new ContentException(Kind.UNAUTHORIZED, named + " failed for " + server + " (exit " + r.exitCode() + ")");
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(r.stdout(), "output of " + exe);
        } catch (IllegalArgumentException e) {
            m = Map.of();
        }
        if (!(m.get("Username") instanceof String user) || !(m.get("Secret") instanceof String secret)) {
            throw new ContentException(Kind.INVALID, named + " printed something that is not its JSON answer"
                    + " (an object with the strings Username and Secret)");
        }
        return secret.isEmpty() ? null : new Credential(user, secret, file + " (" + key + ": " + helper + ")");
    }

    private String seconds() {
        return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }

    private Path which(String exe) {
        String path = env.get("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }
}
