package dev.modelreg.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the process's stderr is attached to: a progress display is drawn only on a terminal. */
final class Terminal {
    private Terminal() {}

    /**
     * True when stderr is a terminal: on Linux, file descriptor 2 links to a tty or pseudo-terminal device; elsewhere,
     * a console is attached. {@code TERM=dumb} is never one.
     */
    static boolean stderrIsTerminal(Map<String, String> env) {
        String term = env.get("TERM");
        if ("dumb".equals(term)) return false;
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (Exception e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /** True when the locale says UTF-8 (block characters render); else the display is ASCII. */
    static boolean utf8(Map<String, String> env) {
        for (String v : new String[] {env.get("LC_ALL"), env.get("LC_CTYPE"), env.get("LANG")}) {
            if (v != null && !v.isEmpty()) return v.toUpperCase(Locale.ROOT).replace("-", "").contains("UTF8");
        }
        return false;
    }

    /**
     * The terminal's width in columns: {@code $COLUMNS} when it is a positive number, else what {@code stty size}
     * says of {@code /dev/tty}, else 80.
     */
    static int width(Map<String, String> env) {
        String c = env.get("COLUMNS");
        if (c != null && c.strip().matches("[0-9]{1,4}") && Integer.parseInt(c.strip()) > 0) return Integer.parseInt(c.strip());
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(2, TimeUnit.SECONDS)) {
                String[] rowsCols = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip().split(" ");
                if (rowsCols.length == 2 && rowsCols[1].matches("[0-9]{1,4}") && Integer.parseInt(rowsCols[1]) > 0) {
                    return Integer.parseInt(rowsCols[1]);
                }
            } else {
                p.destroyForcibly();
            }
        } catch (Exception e) {
            // no terminal to ask
        }
        return 80;
    }
}
