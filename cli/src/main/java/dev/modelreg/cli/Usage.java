package dev.modelreg.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one line a bad command line gets (README "Exit codes": usage, 3): what is wrong, a suggestion when one is near,
 * and where to read more, e.g. {@code unknown command 'pul' (did you mean 'pull'? see 'modelreg --help')}.
 */
final class Usage {
    private Usage() {}

    /** At most this many edits from a command name, a word is taken for a misspelling of it. */
    private static final int NEAR = 2;

    static String message(ParameterException ex) {
        CommandLine c = ex.getCommandLine();
        String help = "see '" + c.getCommandSpec().qualifiedName() + " --help'";
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (!u.isUnknownOption() && !c.getSubcommands().isEmpty()) {
                List<String> near = nearest(word, new ArrayList<>(c.getSubcommands().keySet()));
                return "unknown command '" + word + "'" + (near.isEmpty()
                        ? " (commands: " + String.join(", ", visible(c)) + ")"
                        : " (did you mean " + quoted(near) + "? " + help + ")");
            }
            List<String> suggestions = u.getSuggestions();
            String what = u.isUnknownOption() ? "unknown option '" + word + "'"
                    : "unexpected argument" + (u.getUnmatched().size() > 1 ? "s " : " ") + quoted(u.getUnmatched());
            return what + (suggestions.isEmpty() ? " (" + help + ")" : " (did you mean " + quoted(suggestions) + "? " + help + ")");
        }
        return ExitException.messageOf(ex).replace("option option '", "option '") + " (" + help + ")";
    }

    /** The command names at the smallest edit distance from {@code word}, if it is at most {@link #NEAR}; else none. */
    static List<String> nearest(String word, List<String> names) {
        int best = Integer.MAX_VALUE;
        List<String> out = new ArrayList<>();
        for (String n : names) {
            int d = n.startsWith(word) && word.length() >= 2 ? 1 : distance(word, n);
            if (d < best) {
                best = d;
                out.clear();
            }
            if (d == best) out.add(n);
        }
        return best <= NEAR ? out : List.of();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours, one each. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static List<String> visible(CommandLine c) {
        List<String> out = new ArrayList<>();
        c.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName()) && !sub.getCommandSpec().usageMessage().hidden()) out.add(name);
        });
        return out;
    }

    private static String quoted(List<String> words) {
        return "'" + String.join("', '", words) + "'";
    }
}
