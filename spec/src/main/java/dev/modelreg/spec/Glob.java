package dev.modelreg.spec;

import java.util.regex.Pattern;

/**
 * A glob over file keys, model names and tags ({@code /}-separated): {@code *} matches any run of characters within
 * one segment, {@code **} any run across segments ({@code a/**} everything below {@code a}, {@code **}{@code /x} an
 * {@code x} at any depth), {@code ?} one character other than {@code /}; everything else is literal. A glob that could
 * name something outside its tree ({@code ..} or {@code .} segments, a leading {@code /}) or holds a control character
 * is refused in one line.
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** The glob of {@code text}; {@code what} names where it came from ({@code --include}) in errors. */
    public static Glob of(String text, String what) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException(what + ": empty glob");
        if (text.startsWith("/") || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + ": '" + Text.printable(text) + "' must be a relative pattern of"
                    + " file keys, without control characters");
        }
        for (String seg : text.split("/", -1)) {
            if (seg.equals("..") || seg.equals(".") || seg.isEmpty()) {
                throw new IllegalArgumentException(what + ": '" + Text.printable(text) + "' has an empty, '.' or '..'"
                        + " segment (a glob names keys inside the ref)");
            }
        }
        return new Glob(text, Pattern.compile(regex(text)));
    }

    private static String regex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
                if (segmentStart && slashAfter) {
                    re.append("(?:[^/]*/)*"); // "**/": zero or more whole segments
                    i += 2;
                } else {
                    re.append(".*");
                    i++;
                }
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** True if {@code key} matches the whole glob. */
    public boolean matches(String key) {
        return pattern.matcher(key).matches();
    }

    /** True if the text holds a wildcard ({@code *} or {@code ?}); else it names one key exactly. */
    public boolean isPattern() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
