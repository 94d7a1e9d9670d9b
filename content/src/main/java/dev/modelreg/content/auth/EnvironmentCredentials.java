package dev.modelreg.content.auth;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one credential resolver. For a registry host it looks, in this order, and takes the first credential found:
 * <ol>
 *   <li>{@code MODELREG_REGISTRY_USER} and {@code MODELREG_REGISTRY_PASSWORD} (any registry);</li>
 *   <li>{@code GITHUB_TOKEN}, for {@code ghcr.io} (and for downloads from {@code github.com} and
 *       {@code api.github.com}) only;</li>
 *   <li>the docker config {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}:
 *       {@code credHelpers[host]} (a {@code docker-credential-NAME} helper), else {@code credsStore} (the helper for
 *       every host), else {@code auths[host]}; a helper runs whether or not {@code auths} exists;</li>
 *   <li>the containers auth file {@code $REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json},
 *       and {@code $HOME/.config/containers/auth.json}, read the same way.</li>
 * </ol>
 * Keys of {@code auths} match the host with or without a scheme and a {@code /v1/} or {@code /v2/} path, or a
 * repository prefix of it ({@code host/org}, the longest wins). Nothing is read until a registry asks for
 * credentials; files are read once. Secrets never appear in a message.
 */
public final class EnvironmentCredentials implements CredentialSource {
    private static final java.util.Set<String> GITHUB_HOSTS = java.util.Set.of("ghcr.io", "github.com", "api.github.com");

    private final Map<String, String> env;
    private final CredentialHelpers helpers;

    private EnvironmentCredentials(Map<String, String> env, Duration helperLimit) {
        this.env = Map.copyOf(env);
        this.helpers = new CredentialHelpers(this.env, helperLimit);
    }

    public static EnvironmentCredentials of(Map<String, String> env) {
        return new EnvironmentCredentials(env, CredentialHelpers.DEFAULT_LIMIT);
    }

    /** With credential helpers bounded by {@code helperLimit} instead of 30 s (for tests). */
    static EnvironmentCredentials of(Map<String, String> env, Duration helperLimit) {
        return new EnvironmentCredentials(env, helperLimit);
    }

    Duration helperLimit() {
        return helpers.limit();
    }

    @Override
    public Lookup find(String host, String repository) throws ContentException {
        List<String> looked = new ArrayList<>();
        String user = blank(env.get("MODELREG_REGISTRY_USER"));
        String pass = blank(env.get("MODELREG_REGISTRY_PASSWORD"));
        looked.add("MODELREG_REGISTRY_USER/MODELREG_REGISTRY_PASSWORD");
        if (user != null && pass != null) return new Lookup(new Credential(user, pass, "MODELREG_REGISTRY_USER"), looked);
        if (GITHUB_HOSTS.contains(hostOnly(host))) {
            looked.add("GITHUB_TOKEN");
            String token = blank(env.get("GITHUB_TOKEN"));
            if (token != null) return new Lookup(new Credential("modelreg", token, "GITHUB_TOKEN"), looked);
        }
        for (Path file : files()) {
            looked.add(file.toString());
            Credential c = fromFile(file, host, repository);
            if (c != null) return new Lookup(c, looked);
        }
        return new Lookup(null, looked);
    }

    /** The config files in lookup order (whether or not they exist). */
    List<Path> files() {
        List<Path> out = new ArrayList<>();
        String home = blank(env.get("HOME"));
        Path homeDir = Path.of(home != null ? home : System.getProperty("user.home"));
        String dockerConfig = blank(env.get("DOCKER_CONFIG"));
        out.add(dockerConfig != null ? Path.of(dockerConfig, "config.json") : homeDir.resolve(".docker").resolve("config.json"));
        String authFile = blank(env.get("REGISTRY_AUTH_FILE"));
        String runtime = blank(env.get("XDG_RUNTIME_DIR"));
        if (authFile != null) out.add(Path.of(authFile));
        else if (runtime != null) out.add(Path.of(runtime, "containers", "auth.json"));
        Path userAuth = homeDir.resolve(".config").resolve("containers").resolve("auth.json");
        if (!out.contains(userAuth)) out.add(userAuth);
        return out;
    }

    private Credential fromFile(Path file, String host, String repository) throws ContentException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ContentException(ContentException.Kind.INVALID, "cannot read credentials file " + file + ": "
                    + e.getMessage());
        }
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(bytes, file.toString());
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID, invalidJson(file.toString(), e));
        }
        String h = hostOnly(host);
        if (doc.get("credHelpers") instanceof Map<?, ?> helperMap) {
            Object helper = helperMap.get(host);
            if (helper == null) helper = helperMap.get(h);
            if (helper instanceof String name && !name.isBlank()) {
                Credential c = helpers.get(name, host, file, "credHelpers");
                if (c != null) return c;
            }
        }
        if (doc.get("credsStore") instanceof String store && !store.isBlank()) {
            Credential c = helpers.get(store, host, file, "credsStore");
            if (c != null) return c;
        }
        if (doc.get("auths") instanceof Map<?, ?> auths) return fromAuths(auths, host, repository, file);
        return null;
    }

    private static Credential fromAuths(Map<?, ?> auths, String host, String repository, Path file) throws ContentException {
        String want = host.toLowerCase(Locale.ROOT);
        String wantRepo = repository == null ? want : want + "/" + repository;
        String bestKey = null;
        Map<?, ?> best = null;
        for (Map.Entry<?, ?> e : auths.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> entry)) continue;
            String key = normalizeKey(String.valueOf(e.getKey()));
            boolean matches = key.equals(want) || (repository != null && (wantRepo.equals(key) || wantRepo.startsWith(key + "/")));
            if (matches && (bestKey == null || key.length() > bestKey.length())) {
                bestKey = key;
                best = entry;
            }
        }
        if (best == null) return null;
        String where = file + " (auths: " + bestKey + ")";
        if (best.get("auth") instanceof String auth && !auth.isBlank()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException x) {
                throw new ContentException(ContentException.Kind.INVALID, where + ": 'auth' is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) throw new ContentException(ContentException.Kind.INVALID, where + ": 'auth' is not USER:PASSWORD");
            return new Credential(decoded.substring(0, colon), decoded.substring(colon + 1), where);
        }
        if (best.get("username") instanceof String u && best.get("password") instanceof String p && !u.isEmpty()) {
            return new Credential(u, p, where);
        }
        return null;
    }

    private static final java.util.regex.Pattern JSON_LOCATION = java.util.regex.Pattern.compile("\\(line \\d+, column \\d+\\)$");

    /**
     * {@code WHAT: invalid JSON (line L, column C)}: where a document holding secrets is malformed, without the
     * parser's own words, which quote the text at fault (an unquoted password or {@code auth} value).
     */
    static String invalidJson(String what, IllegalArgumentException e) {
        java.util.regex.Matcher at = JSON_LOCATION.matcher(String.valueOf(e.getMessage()));
        return what + ": invalid JSON" + (at.find() ? " " + at.group() : "");
    }

    /** {@code https://host:5000/v1/} -> {@code host:5000}; {@code host/org} stays; lowercased. */
    static String normalizeKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) k = k.substring(scheme + 3);
        while (k.endsWith("/")) k = k.substring(0, k.length() - 1);
        if (k.endsWith("/v1") || k.endsWith("/v2")) k = k.substring(0, k.length() - 3);
        return k;
    }

    private static String hostOnly(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") || h.indexOf(':') < 0 ? h : h.substring(0, h.indexOf(':'));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "EnvironmentCredentials" + Text.printable(files().toString());
    }
}
