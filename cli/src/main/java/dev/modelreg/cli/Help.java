package dev.modelreg.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * What every command's {@code --help} (and {@code modelreg help COMMAND}) shows beyond its own options: the exit codes;
 * and how it is laid out: prose is wrapped at {@code $COLUMNS}, else the terminal's width (80 when there is none),
 * while the examples of a footer (its lines that start with two spaces) are printed as they are, never wrapped, so
 * each can be pasted into a shell (a long one continues on the next line after a {@code \}).
 */
final class Help {
    private Help() {}

    /** Narrower than this, picocli's option table does not fit: COLUMNS below it is taken as this. */
    static final int MIN_WIDTH = 60;

    /** Installs the help's layout at {@code width}, or the terminal's (picocli asks it when help is printed) when 0. */
    static void install(CommandLine cl, int width) {
        UsageMessageSpec u = cl.getCommandSpec().usageMessage();
        u.exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.table());
        if (width > 0) {
            u.autoWidth(false).width(width);
        } else {
            u.autoWidth(true);
        }
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, h -> description(h.commandSpec().usageMessage()));
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, h -> footer(h.commandSpec().usageMessage()));
        for (CommandLine sub : cl.getSubcommands().values()) install(sub, width);
    }

    /** {@code $COLUMNS} when it is a number (at least {@link #MIN_WIDTH}), else 0: the terminal's width. */
    static int width(Map<String, String> env) {
        String c = env.get("COLUMNS");
        if (c == null || !c.strip().matches("[0-9]{1,4}")) return 0;
        return Math.max(MIN_WIDTH, Integer.parseInt(c.strip()));
    }

    /** The description: each element a paragraph, wrapped at the usage width between words (never inside one). */
    static String description(UsageMessageSpec u) {
        StringBuilder b = new StringBuilder();
        for (String p : u.description()) for (String w : wrap(p.strip(), u.width())) b.append(w).append('\n');
        return b.toString();
    }

    /** The footer: examples (lines starting with two spaces) verbatim, other lines wrapped at the usage width. */
    static String footer(UsageMessageSpec u) {
        StringBuilder b = new StringBuilder();
        for (String line : u.footer()) {
            for (String l : line.replace("%n", "\n").replace("%%", "%").split("\n", -1)) { // picocli's format escapes
                l = l.stripTrailing();
                if (l.isEmpty() || l.startsWith("  ")) b.append(l).append('\n');
                else for (String w : wrap(l, u.width())) b.append(w).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code text} in lines of at most {@code width} columns, broken at spaces (a longer word stays whole). */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" +")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0) out.add(line.toString());
        return out;
    }
}
