package dev.modelreg.cli;

import dev.modelreg.spec.Text;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Everything the command line prints goes through this filter: control characters (ESC, BEL, CR, NUL, C1 controls)
 * and bidirectional overrides become {@code \\uXXXX}, so text from a registry (a file key, a model name, an error
 * body) can neither move the cursor, retitle the terminal nor rewrite a line. Newlines and tabs pass. JSON output
 * is unchanged in meaning: inside a JSON string {@code \\uXXXX} is the same character, and outside strings there are
 * none of these characters.
 */
final class SafeWriter extends FilterWriter {
    SafeWriter(Writer out) {
        super(out);
    }

    /** {@link Text#isControl}, except newlines and tabs (output has lines; a one-line message never holds them). */
    static boolean unsafe(int c) {
        return c != '\n' && c != '\t' && Text.isControl(c);
    }

    @Override
    public void write(int c) throws IOException {
        if (unsafe(c)) out.write(Text.escape(c));
        else out.write(c);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (unsafe(buf[i])) {
                out.write(buf, start, i - start);
                write(buf[i]);
                start = i + 1;
            }
        }
        out.write(buf, start, off + len - start);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        write(s.toCharArray(), off, len);
    }
}
