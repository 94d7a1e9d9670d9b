package dev.modelreg.content.auth;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Text;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs docker credential helpers ({@code docker-credential-NAME get}, the protocol of docker/docker-credential-helpers):
 * the server name on stdin, {@code {"ServerURL","Username","Secret"}} on stdout. The helper is looked up in the
 * {@code PATH} of the environment given (not the JVM's), runs at most 30 s, and its output is bounded. "Not found"
 * answers give no credential; any other failure is an error naming the helper (never its output's secret).
 */
final class CredentialHelpers {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_OUTPUT = 64 << 10;

    private final Map<String, String> env;
    private final Map<String, Credential> cache = new ConcurrentHashMap<>();
    private final Map<String, Boolean> none = new ConcurrentHashMap<>();

    CredentialHelpers(Map<String, String> env) {
        this.env = env;
    }

    /** The helper's credential for {@code server}, or null if it has none. */
    Credential get(String helper, String server, String source) throws ContentException {
        String key = helper + "\n" + server;
        Credential cached = cache.get(key);
        if (cached != null || none.containsKey(key)) return cached;
        Credential c = run(helper, server, source);
        if (c == null) none.put(key, Boolean.TRUE);
        else cache.put(key, c);
        return c;
    }

    private Credential run(String helper, String server, String source) throws ContentException {
        if (!helper.matches("[A-Za-z0-9._-]+")) {
            throw new ContentException(ContentException.Kind.INVALID, source + ": invalid credential helper name '"
                    + Text.printable(helper) + "'");
        }
        String exe = "docker-credential-" + helper;
        Path bin = which(exe);
        if (bin == null) {
            throw new ContentException(ContentException.Kind.UNAUTHORIZED, "credential helper " + exe + " (" + source
                    + ") is not in PATH");
        }
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "get").redirectErrorStream(false);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ContentException(ContentException.Kind.UNAUTHORIZED, "cannot run credential helper " + exe + ": "
                    + Text.oneLine(String.valueOf(e.getMessage())));
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(server.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a helper that exits without reading stdin answers anyway
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readNBytes(MAX_OUTPUT + 1);
            }
            p.getErrorStream().transferTo(OutputStream.nullOutputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ContentException(ContentException.Kind.UNAVAILABLE, "credential helper " + exe
                        + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) return null;
                throw new ContentException(ContentException.Kind.UNAUTHORIZED, "credential helper " + exe
                        + " failed for " + server + " (exit " + p.exitValue() + ")");
            }
            if (out.length > MAX_OUTPUT) {
                throw new ContentException(ContentException.Kind.INVALID, "credential helper " + exe + ": output too large");
            }
            Map<String, Object> m;
            try {
                m = Json.parseObject(out, "output of " + exe);
            } catch (IllegalArgumentException e) {
                throw new ContentException(ContentException.Kind.INVALID, "credential helper " + exe
                        + " printed something that is not its JSON answer");
            }
            if (!(m.get("Username") instanceof String user) || !(m.get("Secret") instanceof String secret) || secret.isEmpty()) {
                return null;
            }
            return new Credential(user, secret, source);
        } catch (IOException e) {
            throw new ContentException(ContentException.Kind.UNAVAILABLE, "credential helper " + exe + ": "
                    + Text.oneLine(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContentException(ContentException.Kind.UNAVAILABLE, "interrupted while running " + exe);
        } finally {
            p.destroyForcibly();
        }
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
