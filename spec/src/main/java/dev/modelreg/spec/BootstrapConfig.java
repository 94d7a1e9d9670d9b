package dev.modelreg.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The configured sources: the bundled bootstrap file plus the user overlay, or one file given explicitly. See
 * spec/README.md, "Bootstrap and overlay". A modflow-devtools bootstrap file reads unchanged; unknown fields
 * are ignored.
 *
 * @param sources source key -> source, in file order (bundled first, then sources the overlay adds)
 * @param mirrors the {@code [mirrors]} rules of the user's file (overlay or --config), {@link Mirrors#NONE} if none
 */
public record BootstrapConfig(Map<String, SourceConfig> sources, Mirrors mirrors) {
    /** Class-path location of the bundled bootstrap file. */
    public static final String BUNDLED_RESOURCE = "/dev/modelreg/spec/bootstrap.toml";
    /** How the bundled file is named in error messages. */
    public static final String BUNDLED_ORIGIN = "bundled bootstrap.toml";
    /** Environment variable naming a config file to use alone (like --config). */
    public static final String CONFIG_ENV = "MODELREG_CONFIG";

    public BootstrapConfig {
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        mirrors = mirrors == null ? Mirrors.NONE : mirrors;
    }

    /** Sources without mirror rules. */
    public BootstrapConfig(Map<String, SourceConfig> sources) {
        this(sources, Mirrors.NONE);
    }

    /** The same config with {@code m} as its mirror rules. */
    public BootstrapConfig withMirrors(Mirrors m) {
        return new BootstrapConfig(sources, m);
    }

    /** The bundled bootstrap file's bytes. */
    public static byte[] bundledBytes() {
        try (InputStream in = BootstrapConfig.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + BUNDLED_RESOURCE);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled sources alone (no overlay). */
    public static BootstrapConfig bundled() throws RegistryFormatException {
        return parse(bundledBytes(), BUNDLED_ORIGIN);
    }

    /** One bootstrap file's sources. Missing {@code [sources]} gives no sources. */
    public static BootstrapConfig parse(byte[] bytes, String origin) throws RegistryFormatException {
        Map<String, Object> toml = TomlText.parse(bytes, origin);
        Object v = toml.get("sources");
        Mirrors mirrors = Mirrors.fromToml(toml.get("mirrors"), origin);
        Map<String, SourceConfig> sources = new LinkedHashMap<>();
        if (v == null) return new BootstrapConfig(sources, mirrors);
        if (!(v instanceof Map<?, ?> t)) {
            throw new RegistryFormatException(origin + ": [sources] must be a table");
        }
        for (Map.Entry<?, ?> e : t.entrySet()) {
            String key = (String) e.getKey();
            sources.put(key, SourceConfig.fromToml(key, e.getValue(), origin));
        }
        return checked(sources, origin).withMirrors(mirrors);
    }

    /**
     * The bundled sources with the overlay applied: an overlay {@code [sources.X]} replaces the bundled X table
     * whole (fields it omits take their defaults, not the bundled values); new keys are added after the bundled
     * ones. A missing overlay file (or null) means no overlay.
     */
    public static BootstrapConfig load(byte[] bundled, String bundledOrigin, Path overlayOrNull) throws RegistryFormatException {
        BootstrapConfig base = parse(bundled, bundledOrigin);
        if (overlayOrNull == null || !Files.exists(overlayOrNull)) return base;
        String origin = overlayOrNull.toString();
        BootstrapConfig overlay = parse(read(overlayOrNull), origin);
        Map<String, SourceConfig> merged = new LinkedHashMap<>(base.sources);
        merged.putAll(overlay.sources);
        Map<String, Mirrors.Rule> rules = new LinkedHashMap<>(base.mirrors.rules());
        rules.putAll(overlay.mirrors.rules());
        return checked(merged, origin).withMirrors(new Mirrors(rules));
    }

    /** {@link #load(byte[], String, Path)} with the bundled bytes named {@link #BUNDLED_ORIGIN} in errors. */
    public static BootstrapConfig load(byte[] bundled, Path overlayOrNull) throws RegistryFormatException {
        return load(bundled, BUNDLED_ORIGIN, overlayOrNull);
    }

    /** One config file alone (--config FILE or MODELREG_CONFIG): no bundled sources, no overlay. */
    public static BootstrapConfig fromFile(Path file) throws RegistryFormatException {
        return parse(read(file), file.toString());
    }

    /**
     * The sources a command uses: {@code configFlagOrNull} alone if given, else the file named by
     * MODELREG_CONFIG alone if set, else the bundled sources plus the user overlay.
     */
    public static BootstrapConfig resolve(Path configFlagOrNull, Map<String, String> env, String osName) throws RegistryFormatException {
        if (configFlagOrNull != null) return fromFile(configFlagOrNull);
        String fromEnv = env.get(CONFIG_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return fromFile(Path.of(fromEnv));
        return load(bundledBytes(), BUNDLED_ORIGIN, userOverlayPath(env, osName));
    }

    /**
     * Where the user overlay lives: {@code %APPDATA%\modelreg\models.toml} on Windows, else
     * {@code $XDG_CONFIG_HOME/modelreg/models.toml} (an unset, empty or relative XDG_CONFIG_HOME means
     * {@code $HOME/.config}, see {@link UserDirs}).
     */
    public static Path userOverlayPath(Map<String, String> env, String osName) {
        boolean windows = osName != null && osName.toLowerCase(Locale.ROOT).startsWith("windows");
        if (windows) {
            String appData = env.get("APPDATA");
            if (appData != null && !appData.isBlank()) return Path.of(appData, "modelreg", "models.toml");
            return Path.of(home(env, "USERPROFILE"), "AppData", "Roaming", "modelreg", "models.toml");
        }
        return UserDirs.configHome(env).resolve("modelreg").resolve("models.toml");
    }

    private static String home(Map<String, String> env, String var) {
        String h = env.get(var);
        return h != null && !h.isBlank() ? h : System.getProperty("user.home");
    }

    private static byte[] read(Path file) throws RegistryFormatException {
        try {
            return LocalFiles.read(file, "config file", Limits.MAX_REGISTRY_BYTES);
        } catch (IllegalArgumentException e) {
            throw new RegistryFormatException(e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) { // not found (exit 4 on the command line), as a missing directory
            throw new RegistryFormatException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Source names must be unique: a model name must lead to one source. */
    private static BootstrapConfig checked(Map<String, SourceConfig> sources, String origin) throws RegistryFormatException {
        Map<String, String> keyOfName = new LinkedHashMap<>();
        for (SourceConfig s : sources.values()) {
            String other = keyOfName.putIfAbsent(s.name(), s.key());
            if (other != null) {
                throw new RegistryFormatException(origin + ": source '" + s.key() + "': field 'name' '" + s.name()
                        + "' is already the name of source '" + other + "'");
            }
        }
        return new BootstrapConfig(sources);
    }

    /** The source with this key, else the one with this name; null if none. */
    public SourceConfig source(String keyOrName) {
        SourceConfig byKey = sources.get(keyOrName);
        if (byKey != null) return byKey;
        for (SourceConfig s : sources.values()) {
            if (s.name().equals(keyOrName)) return s;
        }
        return null;
    }

    /** The source whose name, followed by '/', prefixes the model name (the longest such name); null if none. */
    public SourceConfig sourceForModel(String modelName) {
        SourceConfig best = null;
        for (SourceConfig s : sources.values()) {
            boolean prefixes = modelName.startsWith(s.name() + "/");
            if (prefixes && (best == null || s.name().length() > best.name().length())) best = s;
        }
        return best;
    }
}
