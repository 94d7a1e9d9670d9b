package dev.modelreg.spec;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where modelreg keeps a user's files, one rule for each of them (spec/README.md 7 and 9): a {@code MODELREG_*}
 * variable, else the XDG variable, else {@code $HOME}, else the JVM's {@code user.home} (the password database's
 * home, used only by a process started without {@code HOME}). The environment comes first because containers, CI
 * runners and {@code sudo -u} give a process a {@code HOME} that is not the account's. An XDG variable that is not
 * an absolute path is ignored, as the XDG base directory specification says. Unix paths; Windows callers use
 * {@code APPDATA} (see {@link BootstrapConfig#userOverlayPath}).
 */
public final class UserDirs {
    private UserDirs() {}

    /** {@code $HOME}, else {@code user.home}. */
    public static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h != null && !h.isBlank() ? h : System.getProperty("user.home"));
    }

    /** {@code $XDG_CACHE_HOME}, else {@code HOME/.cache}. */
    public static Path cacheHome(Map<String, String> env) {
        return xdg(env, "XDG_CACHE_HOME", ".cache");
    }

    /** {@code $XDG_CONFIG_HOME}, else {@code HOME/.config}. */
    public static Path configHome(Map<String, String> env) {
        return xdg(env, "XDG_CONFIG_HOME", ".config");
    }

    /** The cache root: {@code $MODELREG_CACHE} (a relative one against the working directory), else {@code cacheHome/modelreg}. */
    public static Path cache(Map<String, String> env) {
        String c = env.get("MODELREG_CACHE");
        if (c != null && !c.isBlank()) return Path.of(c).toAbsolutePath();
        return cacheHome(env).resolve("modelreg");
    }

    private static Path xdg(Map<String, String> env, String var, String underHome) {
        String v = env.get(var);
        if (v != null && !v.isBlank() && Path.of(v).isAbsolute()) return Path.of(v);
        return home(env).resolve(underHome);
    }
}
