package dev.modelreg.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A small POSIX-shell word splitter for the examples of the help and the README: quotes, backslashes, comments, and
 * the operators that end a command ({@code && || | ; > >> < <( )}). Enough to find what a program is given.
 */
final class Shell {
    private Shell() {}

    private static final List<String> OPERATORS = List.of("&&", "||", "<(", ">>", "|", ";", ">", "<", "(", ")", "&");

    /** The words and operators of {@code line}; a word is a String, an operator a String starting with NUL. */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        for (int i = 0; i < line.length(); ) {
            char c = line.charAt(i);
            if (c == '#' && w == null) break; // a comment
            if (c == ' ' || c == '\t') {
                if (w != null) out.add(w.toString());
                w = null;
                i++;
                continue;
            }
            String op = operator(line, i);
            if (op != null) {
                if (w != null) out.add(w.toString());
                w = null;
                out.add("\0" + op);
                i += op.length();
                continue;
            }
            if (w == null) w = new StringBuilder();
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated ' in: " + line);
                w.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    if (line.charAt(j) == '\\' && j + 1 < line.length()) j++;
                    w.append(line.charAt(j));
                }
                if (j >= line.length()) throw new IllegalArgumentException("unterminated \" in: " + line);
                i = j + 1;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(i + 1));
                i += 2;
            } else {
                w.append(c);
                i++;
            }
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    private static String operator(String line, int i) {
        for (String op : OPERATORS) if (line.startsWith(op, i)) return op;
        return null;
    }

    /** The arguments of each run of {@code program} (a word equal to it or ending in {@code /program}) in {@code line}. */
    static List<List<String>> invocations(String line, String program) {
        List<List<String>> out = new ArrayList<>();
        List<String> args = null;
        boolean commandStart = true;
        for (String t : tokens(line)) {
            boolean op = t.startsWith("\0");
            if (args != null) {
                if (op) {
                    out.add(args);
                    args = null;
                } else {
                    args.add(t);
                }
            } else if (!op && commandStart && !t.contains("=") && (t.equals(program) || t.endsWith("/" + program))) {
                args = new ArrayList<>();
            }
            if (op) commandStart = !t.equals("\0>") && !t.equals("\0>>") && !t.equals("\0<");
            else if (args == null && !t.contains("=")) commandStart = false; // an argument of another program
        }
        if (args != null) out.add(args);
        return out;
    }
}
